package io.spinoff.benchmarks;

import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The serializer of the Pekko side of {@link RemoteBenchmarks}, as hand-written and as compact as
 * Spinoff's generated codec: a payload travels as its bytes alone, numbers as fixed-width binary,
 * actor references as their address text (the only form Pekko offers). Bound to the messages in
 * {@link PekkoActors#remoteConfig()}; Pekko instantiates it once per system.
 */
public final class PekkoRemoteSerializer extends SerializerWithStringManifest {

    private static final String PAYLOAD = "P";
    private static final String ACK_TO = "T";
    private static final String ACKED = "A";
    private static final String ECHO = "E";

    private final ExtendedActorSystem system;
    /** Made on first use: the typed view of the system is not ready while serializers are made. */
    private volatile ActorRefResolver resolver;

    /** @param system the system, as Pekko passes it to every serializer it instantiates */
    public PekkoRemoteSerializer(ExtendedActorSystem system) {
        this.system = system;
    }

    @Override
    public int identifier() {
        return 582_731_001;
    }

    @Override
    public String manifest(Object message) {
        return switch (message) {
            case PekkoActors.Payload payload -> PAYLOAD;
            case PekkoActors.AckTo ackTo -> ACK_TO;
            case PekkoActors.Acked acked -> ACKED;
            case PekkoActors.Echo echo -> ECHO;
            default -> throw new IllegalArgumentException("Cannot serialize " + message.getClass().getName()
                    + "; bind only the messages of the remote benchmarks to this serializer.");
        };
    }

    @Override
    public byte[] toBinary(Object message) {
        return switch (message) {
            case PekkoActors.Payload payload -> payload.data();
            case PekkoActors.AckTo ackTo -> address(ackTo.acks());
            case PekkoActors.Acked acked -> ByteBuffer.allocate(16).putLong(acked.received())
                    .putLong(acked.deadLetters()).array();
            case PekkoActors.Echo echo -> {
                byte[] replyTo = address(echo.replyTo());
                yield ByteBuffer.allocate(4 + replyTo.length).putInt(echo.value()).put(replyTo).array();
            }
            default -> throw new IllegalArgumentException("Cannot serialize " + message.getClass().getName()
                    + "; bind only the messages of the remote benchmarks to this serializer.");
        };
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        return switch (manifest) {
            case PAYLOAD -> new PekkoActors.Payload(bytes);
            case ACK_TO -> new PekkoActors.AckTo(resolve(bytes, 0));
            case ACKED -> {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                yield new PekkoActors.Acked(buffer.getLong(), buffer.getLong());
            }
            case ECHO -> new PekkoActors.Echo(ByteBuffer.wrap(bytes).getInt(), resolve(bytes, 4));
            default -> throw new NotSerializableException("Unknown manifest '" + manifest + "'.");
        };
    }

    private byte[] address(ActorRef<?> ref) {
        return resolver().toSerializationFormat(ref).getBytes(StandardCharsets.UTF_8);
    }

    private <T> ActorRef<T> resolve(byte[] bytes, int offset) {
        return resolver().resolveActorRef(new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8));
    }

    private ActorRefResolver resolver() {
        ActorRefResolver current = resolver;
        if (current == null) {
            current = ActorRefResolver.get(Adapter.toTyped(system));
            resolver = current;
        }
        return current;
    }
}
