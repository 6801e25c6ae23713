package io.spinoff.runtime.internal.remote;

import io.spinoff.runtime.internal.observe.FlightEvents;
import io.spinoff.runtime.remote.CurveSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The ZAP handler of a node that uses CURVE: answers ZeroMQ's authentication requests, letting
 * only allowed CURVE client keys pass. Not API.
 *
 * <p><b>Threading:</b> I/O thread only. Its REP socket, like every socket of the node, is made,
 * polled and closed by the I/O thread ({@link IoLoop}); ZeroMQ's own I/O thread talks to it over
 * the in-process ZAP endpoint.
 */
final class CurveAuthenticator {
    private static final String ZAP_ENDPOINT = "inproc://zeromq.zap.01";

    private final ZMQ.Socket zap;
    private final CurveSettings curve;
    private final DropLog drops;

    private CurveAuthenticator(ZMQ.Socket zap, CurveSettings curve, DropLog drops) {
        this.zap = zap;
        this.curve = curve;
        this.drops = drops;
    }

    /**
     * Binds the ZAP endpoint of the context and makes the ROUTER a CURVE server that asks it.
     *
     * @param nodeName the node's name, or its system's name while it is being bound (for messages)
     * @throws IllegalStateException when the endpoint cannot be bound
     */
    static CurveAuthenticator start(ZContext context, ZMQ.Socket router, CurveSettings curve, String nodeName,
            DropLog drops) {
        ZMQ.Socket zap = context.createSocket(SocketType.REP);
        zap.setLinger(0);
        if (!zap.bind(ZAP_ENDPOINT)) {
            throw new IllegalStateException("Cannot start the CURVE authentication handler of " + nodeName + ".");
        }
        router.setZAPDomain("spinoff");
        router.setCurveServer(true);
        router.setCurvePublicKey(ZMQ.Curve.z85Decode(curve.keys().publicKey()));
        router.setCurveSecretKey(ZMQ.Curve.z85Decode(curve.keys().secretKey()));
        return new CurveAuthenticator(zap, curve, drops);
    }

    ZMQ.Socket socket() {
        return zap;
    }

    /**
     * Answers every waiting request, without blocking.
     *
     * @param node the node's name, for messages
     */
    void handle(String node) {
        while (true) {
            byte[] first = zap.recv(ZMQ.DONTWAIT);
            if (first == null) {
                return;
            }
            List<byte[]> parts = new ArrayList<>();
            parts.add(first);
            while (zap.hasReceiveMore()) {
                parts.add(zap.recv(0));
            }
            boolean allowed = parts.size() >= 7
                    && "CURVE".equals(new String(parts.get(5), StandardCharsets.US_ASCII))
                    && parts.get(6).length == ZMQ.Curve.KEY_SIZE
                    && curve.allowedClients().contains(ZMQ.Curve.z85Encode(parts.get(6)));
            if (!allowed) {
                FlightEvents.handshakeFailed(node, "", FlightEvents.HandshakeFailure.CURVE_REFUSED, "client key not allowed");
                drops.drop(DropLog.UNKNOWN_PEER, "Refused a connection to " + node + ": its CURVE client key is not allowed;"
                        + " allow it with CurveSettings.allowClient or allowPeer");
            }
            zap.sendMore("1.0");
            zap.sendMore(parts.size() > 1 ? parts.get(1) : new byte[0]);
            zap.sendMore(allowed ? "200" : "400");
            zap.sendMore(allowed ? "OK" : "client key not allowed");
            zap.sendMore("");
            zap.send("");
        }
    }
}
