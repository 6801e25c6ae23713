package io.spinoff.api.support;

import io.spinoff.api.ActorRef;

/**
 * Turns actor references into addresses when a message is encoded, and addresses back into working
 * references when it is decoded. The runtime provides one per node; tests may provide their own.
 *
 * <p><b>Threading:</b> implementations are called from whichever thread encodes or decodes and must
 * be thread-safe.
 */
public interface ReferenceCodec {

    /**
     * Returns the address of an object that stands for an actor but is neither a generated proxy
     * nor an {@link ActorRef} (for example an actor instance passing {@code this}).
     *
     * @param reference the object
     * @return its address
     * @throws io.spinoff.api.CodecException when the object designates no actor
     */
    String addressOf(Object reference);

    /**
     * Returns a typed proxy for the actor at an address.
     *
     * @param protocol the protocol interface the proxy implements
     * @param address the actor's address, as read from the wire
     * @param <P> the protocol type
     * @return a proxy implementing {@code protocol}
     * @throws io.spinoff.api.CodecException when the address is malformed
     */
    <P> P resolve(Class<P> protocol, String address);

    /**
     * Returns an untyped reference for the actor at an address.
     *
     * @param address the actor's address, as read from the wire
     * @return the reference
     * @throws io.spinoff.api.CodecException when the address is malformed
     */
    ActorRef<Object> resolveRef(String address);
}
