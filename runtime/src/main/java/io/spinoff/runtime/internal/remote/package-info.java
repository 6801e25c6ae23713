/**
 * Remoting over ZeroMQ (JeroMQ). Not API: use {@link io.spinoff.runtime.ActorSystemBuilder#bind}
 * and {@link io.spinoff.runtime.ActorSystem#lookup}.
 *
 * <p>{@link io.spinoff.runtime.internal.remote.RemoteTransport} is the entry point and lists the
 * parts: the I/O loop that owns every socket, the outbox with its batching per peer, inbound
 * decoding, remote asks, remote death watch, peers with the failure detector, and the CURVE
 * authenticator. Each part states which threads may call it.
 * {@link io.spinoff.runtime.internal.remote.WireFormat} describes the wire layout;
 * {@link io.spinoff.runtime.internal.remote.RemoteActorRef} is the reference of a remote actor.
 */
package io.spinoff.runtime.internal.remote;
