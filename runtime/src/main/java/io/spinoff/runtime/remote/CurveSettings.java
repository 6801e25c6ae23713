package io.spinoff.runtime.remote;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * CURVE encryption and authentication of a node. The node's {@linkplain #keys() key pair} is its
 * server key (inbound connections) and its client key (outbound connections). Inbound, only
 * clients whose public key is {@linkplain #allowClient(String) allowed} get through the handshake:
 * a peer with any other key delivers nothing. Outbound, the node must know the server public key of
 * each peer it connects to, by {@code host:port}.
 *
 * <pre>{@code
 * CurveSettings curve = CurveSettings.of(alphaKeys)
 *         .allowPeer("127.0.0.1:7200", betaPublicKey);   // beta may connect, and alpha trusts it
 * ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://127.0.0.1:7100").curve(curve).build();
 * }</pre>
 *
 * <p><b>Threading:</b> immutable; every method returns a new instance.
 *
 * <p><b>Failure:</b> a malformed key fails at once with {@link IllegalArgumentException}. A frame for
 * a peer whose server key is unknown is dropped, counted and logged, with the fix in the message.
 */
public final class CurveSettings {

    private final CurveKeyPair keys;
    private final Set<String> allowedClients;
    private final Map<String, String> peerServerKeys;

    private CurveSettings(CurveKeyPair keys, Set<String> allowedClients, Map<String, String> peerServerKeys) {
        this.keys = keys;
        this.allowedClients = Set.copyOf(allowedClients);
        this.peerServerKeys = Map.copyOf(peerServerKeys);
    }

    /**
     * @param keys this node's key pair
     * @return settings that allow no client yet
     */
    public static CurveSettings of(CurveKeyPair keys) {
        return new CurveSettings(Objects.requireNonNull(keys, "keys"), Set.of(), Map.of());
    }

    /**
     * @param publicKey a client public key (Z85) allowed to connect to this node
     * @return new settings that also allow it
     */
    public CurveSettings allowClient(String publicKey) {
        Set<String> clients = new LinkedHashSet<>(allowedClients);
        clients.add(CurveKeyPair.checkKey(publicKey, "publicKey"));
        return new CurveSettings(keys, clients, peerServerKeys);
    }

    /**
     * Trusts a peer node both ways: it may connect here, and this node connects to it with this key
     * as its server key.
     *
     * @param hostPort the peer's {@code host:port}, as in its node name {@code name@host:port}
     * @param publicKey the peer's public key (Z85)
     * @return new settings that also trust it
     */
    public CurveSettings allowPeer(String hostPort, String publicKey) {
        Objects.requireNonNull(hostPort, "hostPort");
        if (hostPort.indexOf(':') <= 0 || hostPort.contains("@") || hostPort.contains("/")) {
            throw new IllegalArgumentException("'" + hostPort + "' is not host:port; pass the part after '@'"
                    + " of the peer's node name, such as 127.0.0.1:7200.");
        }
        CurveKeyPair.checkKey(publicKey, "publicKey");
        Set<String> clients = new LinkedHashSet<>(allowedClients);
        clients.add(publicKey);
        Map<String, String> servers = new LinkedHashMap<>(peerServerKeys);
        servers.put(hostPort, publicKey);
        return new CurveSettings(keys, clients, servers);
    }

    /** @return this node's key pair */
    public CurveKeyPair keys() {
        return keys;
    }

    /** @return the client public keys allowed to connect */
    public Set<String> allowedClients() {
        return allowedClients;
    }

    /** @return the server public keys of peers, by {@code host:port} */
    public Map<String, String> peerServerKeys() {
        return peerServerKeys;
    }

    @Override
    public String toString() {
        return "CurveSettings[publicKey=" + keys.publicKey() + ", allowedClients=" + allowedClients.size()
                + ", peers=" + peerServerKeys.keySet() + "]";
    }
}
