package io.spinoff.runtime.internal.remote;

/**
 * Parsing of node names {@code name@host:port} and actor addresses
 * {@code name@host:port/user/NAME}. Every input may come from the wire: parsing never throws on
 * bad input, it returns {@code null}. Not API.
 *
 * <p>A node name with port 0 is a <em>client node</em>'s ({@code name@client-HEX:0}): it binds no
 * address, so it cannot be dialled; it is answered on the connection it opened, for as long as
 * that connection lasts (see {@link Peers}).
 *
 * <p><b>Threading:</b> stateless static functions and immutable records: any thread.
 */
public final class NodeAddress {

    /** The longest node name accepted. */
    static final int MAX_NODE_LENGTH = 255;
    /** The longest actor path accepted. */
    static final int MAX_PATH_LENGTH = 1024;

    /**
     * @param host a host name or IPv4 address
     * @param port a port, 0 to 65535
     */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * @param node the node's name {@code name@host:port}
     * @param path the actor's path, starting with {@code /}
     */
    public record Address(String node, String path) {}

    private NodeAddress() {}

    /**
     * @param text {@code host:port}
     * @param allowZero whether port 0 is allowed
     * @return the parts, or null when malformed
     */
    public static HostPort parseHostPort(String text, boolean allowZero) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.length() > MAX_NODE_LENGTH) {
            return null;
        }
        String host = text.substring(0, colon);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '*'))) {
                return null;
            }
        }
        String portText = text.substring(colon + 1);
        if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int port = Integer.parseInt(portText);
        if (port > 65535 || (port == 0 && !allowZero)) {
            return null;
        }
        return new HostPort(host, port);
    }

    /**
     * @param node a node name
     * @return its host and port, or null when it is not {@code name@host:port}; port 0 for a
     *     client node's name
     */
    public static HostPort hostPortOfNode(String node) {
        if (node == null || node.length() > MAX_NODE_LENGTH) {
            return null;
        }
        int at = node.indexOf('@');
        if (at <= 0 || !validName(node.substring(0, at))) {
            return null;
        }
        return parseHostPort(node.substring(at + 1), true);
    }

    /**
     * @param node a node name
     * @return whether it is a client node's name (a valid name with port 0)
     */
    public static boolean isClient(String node) {
        HostPort hostPort = hostPortOfNode(node);
        return hostPort != null && hostPort.port() == 0;
    }

    /**
     * @param systemName the system's name
     * @param id a random number drawn at the node's start
     * @return the name of a client node: {@code systemName@client-HEX:0}, unique per start
     */
    public static String clientName(String systemName, long id) {
        return systemName + "@client-" + String.format("%016x", id) + ":0";
    }

    /**
     * @param address {@code name@host:port/path}
     * @return node and path, or null when malformed
     */
    public static Address parse(String address) {
        if (address == null) {
            return null;
        }
        int slash = address.indexOf('/');
        String node = slash < 0 ? address : address.substring(0, slash);
        String path = slash < 0 ? "/" : address.substring(slash);
        if (hostPortOfNode(node) == null || !validPath(path)) {
            return null;
        }
        return new Address(node, path);
    }

    /**
     * @param path an actor path from the wire
     * @return whether it is {@code /user} or below it, or an entity's path below
     *     {@code /cluster/PROTOCOL/}, within the length limit
     */
    public static boolean validPath(String path) {
        if (path.length() > MAX_PATH_LENGTH) {
            return false;
        }
        if (path.equals("/user") || path.startsWith("/user/")) {
            return true;
        }
        if (!path.startsWith("/cluster/")) {
            return false;
        }
        int slash = path.indexOf('/', "/cluster/".length());
        return slash > "/cluster/".length() && slash < path.length() - 1;
    }

    private static boolean validName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
    }
}
