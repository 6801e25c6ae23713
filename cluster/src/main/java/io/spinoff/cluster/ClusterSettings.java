package io.spinoff.cluster;

import io.spinoff.cluster.internal.EmbeddedZooKeeper;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where a cluster keeps its state and how its members behave: the ZooKeeper ensemble and the
 * path of the cluster in it, the session timeout (how soon a silent member is removed), the
 * member's roles and the number of shards entities hash to.
 *
 * <p>{@link #embedded()} starts one ZooKeeper server inside this JVM, on a free loopback port,
 * when the first node joins with these settings; every node of the JVM that joins with the same
 * instance shares it, other JVMs join it with {@link #connectString()}, and it stops when the last
 * of those nodes leaves.
 *
 * <p><b>Threading:</b> the {@code with...} methods return a copy and may be called from any thread;
 * an embedded server's start and stop are synchronized.
 */
public final class ClusterSettings {

    /** The default session timeout: a member silent this long is removed and its shards move. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** The default number of shards that entity ids hash to. */
    public static final int DEFAULT_SHARDS = 1024;

    private final String connect;
    private final String path;
    private final EmbeddedZooKeeper embedded;
    private final Duration sessionTimeout;
    private final Set<String> roles;
    private final int shards;

    private ClusterSettings(String connect, String path, EmbeddedZooKeeper embedded, Duration sessionTimeout,
            Set<String> roles, int shards) {
        this.connect = connect;
        this.path = path;
        this.embedded = embedded;
        this.sessionTimeout = sessionTimeout;
        this.roles = Set.copyOf(roles);
        this.shards = shards;
    }

    /**
     * A cluster kept in an existing ZooKeeper ensemble.
     *
     * @param connect the ensemble, {@code host:port[,host:port...]}
     * @param path the cluster's path in it, such as {@code /spinoff/shop}; clusters with different
     *     paths share an ensemble without seeing each other
     * @return the settings
     * @throws IllegalArgumentException for an empty ensemble or a path that is not absolute
     */
    public static ClusterSettings zookeeper(String connect, String path) {
        Objects.requireNonNull(connect, "connect");
        if (connect.isBlank()) {
            throw new IllegalArgumentException("The ZooKeeper ensemble is empty; give host:port[,host:port...],"
                    + " such as 127.0.0.1:2181.");
        }
        return new ClusterSettings(connect, validPath(path), null, DEFAULT_SESSION_TIMEOUT, Set.of(), DEFAULT_SHARDS);
    }

    /**
     * A cluster kept in a ZooKeeper server started in this JVM (on 127.0.0.1 and a free port) by
     * the first node that joins with these settings; see the class description.
     *
     * @return the settings, for the path {@code /spinoff}
     */
    public static ClusterSettings embedded() {
        return new ClusterSettings(null, "/spinoff", new EmbeddedZooKeeper(0), DEFAULT_SESSION_TIMEOUT, Set.of(),
                DEFAULT_SHARDS);
    }

    /**
     * Like {@link #embedded()}, on a given loopback port, so that nodes of other JVMs can be told
     * in advance where to join: {@code zookeeper("127.0.0.1:PORT", "/spinoff")}.
     *
     * @param port the server's port on 127.0.0.1
     * @return the settings, for the path {@code /spinoff}
     */
    public static ClusterSettings embedded(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Port " + port + " is not a TCP port; use 1 to 65535, such as 2181.");
        }
        return new ClusterSettings(null, "/spinoff", new EmbeddedZooKeeper(port), DEFAULT_SESSION_TIMEOUT, Set.of(),
                DEFAULT_SHARDS);
    }

    /**
     * Parses the node launcher's option: {@code zk://HOST:PORT[,HOST:PORT...]/PATH},
     * {@code embedded} or {@code embedded:PORT}, each optionally followed by
     * {@code ?session=DURATION} (such as {@code ?session=5s}) for the session timeout.
     *
     * @param option the option's value
     * @return the settings
     * @throws IllegalArgumentException naming the expected forms
     */
    public static ClusterSettings parse(String option) {
        Objects.requireNonNull(option, "option");
        int query = option.indexOf('?');
        if (query >= 0) {
            String parameter = option.substring(query + 1);
            if (!parameter.startsWith("session=")) {
                throw new IllegalArgumentException("Cluster '" + option + "' has an unknown parameter '" + parameter
                        + "'; the only one is session=DURATION, such as ?session=5s.");
            }
            return parse(option.substring(0, query)).withSessionTimeout(duration(parameter.substring("session=".length())));
        }
        if (option.equals("embedded")) {
            return embedded();
        }
        if (option.startsWith("embedded:")) {
            try {
                return embedded(Integer.parseInt(option.substring("embedded:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Cluster '" + option + "' names no port; write embedded:2181.");
            }
        }
        if (!option.startsWith("zk://") || option.indexOf('/', "zk://".length()) < 0) {
            throw new IllegalArgumentException("Cluster '" + option + "' is neither zk://HOST:PORT[,HOST:PORT...]/PATH"
                    + " (such as zk://127.0.0.1:2181/spinoff/shop) nor embedded[:PORT].");
        }
        int slash = option.indexOf('/', "zk://".length());
        return zookeeper(option.substring("zk://".length(), slash), option.substring(slash));
    }

    private static Duration duration(String text) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)").matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Session timeout '" + text + "' is not a duration such as 500ms, 5s or 1m.");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    private static String validPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("Cluster path '" + path + "' must be an absolute ZooKeeper path"
                    + " without a trailing slash, such as /spinoff/shop.");
        }
        return path;
    }

    /**
     * @param timeout how long ZooKeeper waits for a silent member before removing it (its
     *     registrations vanish and its shards move); a member cut off from ZooKeeper while
     *     other members reach it stops its entities within five sixths of it. The server bounds it (by default 2 to 20 ticks; the embedded
     *     server's tick is 500 ms, so 1 to 10 s there)
     * @return a copy with that timeout
     */
    public ClusterSettings withSessionTimeout(Duration timeout) {
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("The session timeout must be positive, not " + timeout + ".");
        }
        return new ClusterSettings(connect, path, embedded, timeout, roles, shards);
    }

    /**
     * @param memberRoles the roles this member announces (free text, shown to the others)
     * @return a copy with those roles
     */
    public ClusterSettings withRoles(String... memberRoles) {
        Set<String> set = new LinkedHashSet<>();
        for (String role : memberRoles) {
            if (role.isBlank() || role.contains(",") || role.contains("\n")) {
                throw new IllegalArgumentException("Role '" + role + "' must be non-blank, without commas or line breaks.");
            }
            set.add(role);
        }
        return new ClusterSettings(connect, path, embedded, sessionTimeout, set, shards);
    }

    /**
     * @param count the number of shards entity ids hash to; every member of a cluster must use the
     *     same number (a member with another number is refused when it joins)
     * @return a copy with that number
     */
    public ClusterSettings withShards(int count) {
        if (count < 1 || count > 65_536) {
            throw new IllegalArgumentException("The shard count must be between 1 and 65536, not " + count + ".");
        }
        return new ClusterSettings(connect, path, embedded, sessionTimeout, roles, count);
    }

    /**
     * @return the ensemble, {@code host:port[,...]}; for embedded settings, the server's address,
     *     starting the server if no node has joined yet
     */
    public String connectString() {
        return embedded == null ? connect : embedded.connectString();
    }

    /** @return the cluster's path in ZooKeeper */
    public String path() {
        return path;
    }

    /** @return the session timeout */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** @return this member's roles */
    public Set<String> roles() {
        return roles;
    }

    /** @return the number of shards */
    public int shards() {
        return shards;
    }

    /** @return the embedded server, or null; for Cluster */
    EmbeddedZooKeeper embeddedServer() {
        return embedded;
    }

    @Override
    public String toString() {
        return (embedded == null ? "zk://" + connect : "embedded") + path;
    }
}
