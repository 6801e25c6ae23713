package io.spinoff.runtime;

import io.spinoff.runtime.internal.cell.ActorCell;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The node launcher: starts an {@link ActorSystem}, spawns one actor or {@link Process} class as a
 * top-level actor, and runs until a signal or until that actor ends.
 *
 * <pre>
 * java -cp CLASSPATH io.spinoff.runtime.Node --actor io.spinoff.examples.example1.ExampleProcess \
 *      [--name alpha] [--bind tcp://127.0.0.1:7100 | --client] [--ask-timeout 5s]
 * </pre>
 *
 * <p><b>Exit codes:</b> 0 after SIGINT or SIGTERM (the system is closed cleanly first: every actor
 * stopped, children first, every {@code postStop} run) or when the actor stops normally; 1 when the
 * actor fails for good (its supervisor, the user guardian, gave up restarting it); 2 for bad
 * arguments, with the reason on stderr. {@code --help} prints the usage on stdout and exits 0.
 *
 * <p><b>Logging:</b> the runtime logs through {@link System.Logger}; unless the JVM was given its own
 * {@code java.util.logging} format, the launcher sets a one-line format, so each record is one line
 * on stderr: time, level, logger, message; a record with an exception (an actor's failure) has its
 * stack trace on the lines after it. docs/LOGGING.md tells how to route the log elsewhere.
 */
public final class Node {

    static final int EXIT_OK = 0;
    /**
     * Beyond the ask timeout, how long the exit hook waits for the node to close: the stop timeout
     * of the actors (twice, nested) and the remoting's linger fit in it.
     */
    private static final long EXIT_CLOSE_MARGIN_MILLIS = 15_000;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final String USAGE = """
            Usage: java -cp CLASSPATH io.spinoff.runtime.Node --actor CLASS [options]

            Starts a Spinoff node running one actor or process class as a top-level actor, until
            SIGINT/SIGTERM (exit 0) or until the actor stops (exit 0) or fails for good (exit 1).

              --actor CLASS          the class to run: an Actor or a Process with a no-argument
                                     constructor (required)
              --name NAME            the node's name (default: spinoff)
              --bind tcp://HOST:PORT make the node reachable from other nodes as NAME@HOST:PORT
              --client               make it a client node instead: it binds nothing, and calls
                                     nodes (and is answered) over the connections it opens
              --ask-timeout DURATION the default ask timeout, such as 500ms, 5s or 1m (default: 5s)
              --cluster CLUSTER      join a cluster kept in ZooKeeper: zk://HOST:PORT[,...]/PATH,
                                     or embedded (a ZooKeeper server in this JVM on a free port)
                                     or embedded:PORT, optionally with ?session=5s (the session
                                     timeout); needs spinoff-cluster on the class path
              --jfr FILE             record a Flight Recorder file from start to stop, with the
                                     JDK's default settings and Spinoff's events
              --no-jmx               do not register the io.spinoff:type=ActorSystem MBean
              --help                 print this and exit
            Bad arguments exit with code 2.

            JVM options such as -Xmx512m go in the JAVA_OPTS environment variable when started
            through bin/startnode, or before -cp when started with java.
            """;

    private Node() {}

    /**
     * Runs the launcher and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        configureLogging();
        System.exit(launch(args, System.out, System.err));
    }

    /** What the command line asked for. */
    record Options(String actorClass, String name, String bind, boolean client, Duration askTimeout, boolean help,
            boolean jmx, Path jfr, String cluster) {}

    /** A command line that cannot run, with the reason. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static int launch(String[] args, PrintStream out, PrintStream err) {
        Options options;
        Supplier<?> factory;
        try {
            options = parse(args);
            if (options.help()) {
                out.print(USAGE);
                return EXIT_OK;
            }
            factory = factoryOf(options.actorClass());
        } catch (UsageException e) {
            err.println("spinoff node: " + e.getMessage());
            err.println("Run with --help for the usage.");
            return EXIT_USAGE;
        }
        return run(options, factory, err);
    }

    static Options parse(String[] args) throws UsageException {
        String actor = null;
        String name = "spinoff";
        String bind = null;
        Duration askTimeout = Duration.ofSeconds(5);
        boolean jmx = true;
        boolean client = false;
        Path jfr = null;
        String cluster = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            switch (arg) {
                case "--help", "-h" -> {
                    return new Options(null, name, null, false, askTimeout, true, jmx, jfr, null);
                }
                case "--no-jmx" -> jmx = false;
                case "--client" -> client = true;
                case "--actor", "--name", "--bind", "--ask-timeout", "--jfr", "--cluster" -> {
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new UsageException(arg + " needs a value, such as " + example(arg) + ".");
                        }
                        value = args[++i];
                    }
                    switch (arg) {
                        case "--actor" -> actor = value;
                        case "--name" -> name = nodeName(value);
                        case "--bind" -> bind = bindAddress(value);
                        case "--jfr" -> jfr = recordingFile(value);
                        case "--cluster" -> cluster = value;
                        default -> askTimeout = duration(value);
                    }
                }
                default -> throw new UsageException("unknown argument '" + arg + "'; the options are --actor, --name,"
                        + " --bind, --client, --ask-timeout, --cluster, --jfr, --no-jmx and --help.");
            }
        }
        if (actor == null || actor.isBlank()) {
            throw new UsageException("--actor is required: name the Actor or Process class to run, such as"
                    + " --actor io.spinoff.examples.example1.ExampleProcess.");
        }
        if (client && bind != null) {
            throw new UsageException("--client and --bind exclude each other: a client node binds nothing;"
                    + " drop one of them.");
        }
        if (cluster != null && bind == null && !client) {
            throw new UsageException("--cluster needs a node: add --bind tcp://HOST:PORT (a member) or --client"
                    + " (a node that only calls the cluster).");
        }
        return new Options(actor, name, bind, client, askTimeout, false, jmx, jfr, cluster);
    }

    private static String example(String option) {
        return switch (option) {
            case "--actor" -> "--actor io.spinoff.examples.example1.ExampleProcess";
            case "--name" -> "--name alpha";
            case "--bind" -> "--bind tcp://127.0.0.1:7100";
            case "--jfr" -> "--jfr node.jfr";
            case "--cluster" -> "--cluster zk://127.0.0.1:2181/spinoff";
            default -> "--ask-timeout 5s";
        };
    }

    private static Path recordingFile(String value) throws UsageException {
        Path file;
        try {
            file = Path.of(value).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException("--jfr '" + value + "' is not a file name; name a file to write, such as node.jfr.");
        }
        if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
            throw new UsageException("--jfr " + value + ": directory " + file.getParent()
                    + " does not exist; create it, or name a file in an existing directory.");
        }
        return file;
    }

    private static String nodeName(String value) throws UsageException {
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new UsageException("node name '" + value + "' is not valid; use letters, digits, '_', '.' and '-',"
                    + " starting with a letter or digit, such as --name alpha.");
        }
        return value;
    }

    private static final Pattern BIND = Pattern.compile("tcp://([^:/]+):(\\d{1,5})");

    private static String bindAddress(String value) throws UsageException {
        Matcher matcher = BIND.matcher(value);
        if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535) {
            throw new UsageException("--bind '" + value + "' is not an address of the form tcp://HOST:PORT,"
                    + " such as --bind tcp://127.0.0.1:7100.");
        }
        return value;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    static Duration duration(String value) throws UsageException {
        Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        Duration parsed;
        if (matcher.matches()) {
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw new UsageException("--ask-timeout '" + value + "' is too large; use at most a few hours.");
            }
            parsed = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } else {
            try {
                parsed = Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new UsageException("--ask-timeout '" + value + "' is not a duration; write it like 500ms, 5s,"
                        + " 2m, 1h or PT5S.");
            }
        }
        if (parsed.isZero() || parsed.isNegative()) {
            throw new UsageException("--ask-timeout '" + value + "' must be longer than zero, such as 5s.");
        }
        return parsed;
    }

    /** Finds the class and its no-argument constructor; a bad class is a usage error. */
    static Supplier<?> factoryOf(String className) throws UsageException {
        Class<?> type;
        try {
            type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new UsageException("no class " + className + " on the class path; check the name (a binary name"
                    + " such as io.spinoff.examples.example1.ExampleProcess) and the -cp argument (from the module"
                    + " path: --add-modules with the class's module).");
        }
        if (!Actor.class.isAssignableFrom(type) && !implementsProtocol(type)) {
            throw new UsageException(className + " is neither an Actor nor a Process nor a class implementing an"
                    + " actor protocol; run a class that extends io.spinoff.runtime.Process or Actor.");
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new UsageException(className + " is abstract; run a concrete class.");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new UsageException(className + " has no constructor without arguments; add one, since the node"
                    + " creates the actor (again at each restart) with it.");
        } catch (RuntimeException e) {
            // In a named module, only a package exported (or opened) to this module can be reached.
            String fix = type.getModule().isNamed()
                    ? "make it public and add 'exports " + type.getPackageName() + " to io.spinoff.runtime;' to the"
                            + " module-info of " + type.getModule().getName()
                    : "make it public";
            throw new UsageException("the constructor of " + className + " is not accessible (" + e.getMessage()
                    + "); " + fix + ".");
        }
        return () -> {
            try {
                return constructor.newInstance();
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("The constructor of " + className + " failed: " + cause, cause);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Could not create " + className + ": " + e, e);
            }
        };
    }

    private static boolean implementsProtocol(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> implemented : c.getInterfaces()) {
                if (implemented.isAnnotationPresent(io.spinoff.api.ActorProtocol.class) || implementsProtocol(implemented)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int run(Options options, Supplier<?> factory, PrintStream err) {
        Recording recording = null;
        if (options.jfr() != null) {
            try {
                recording = startRecording(options.jfr());
            } catch (IOException | ParseException | RuntimeException e) {
                err.println("spinoff node: cannot record to " + options.jfr() + ": " + e.getMessage());
                return EXIT_USAGE;
            }
        }
        try {
            return runSystem(options, factory, err);
        } finally {
            if (recording != null) {
                // With a destination, stopping writes the file.
                recording.stop();
                recording.close();
            }
        }
    }

    /**
     * Starts a recording to a file, with the JDK's default settings and every Spinoff event
     * ({@code spinoff.jfc} in this jar).
     */
    static Recording startRecording(Path file) throws IOException, ParseException {
        Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("default").getSettings());
        try (InputStream in = Node.class.getResourceAsStream("spinoff.jfc")) {
            if (in == null) {
                throw new IOException("spinoff.jfc is missing from the runtime jar");
            }
            settings.putAll(Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8)).getSettings());
        }
        Recording recording = new Recording(settings);
        recording.setName("spinoff-node");
        recording.setToDisk(true);
        recording.setDestination(file);
        recording.start();
        return recording;
    }

    /** Joins the cluster of {@code --cluster}; returns the exit code when it cannot, else null. */
    private static Integer joinCluster(ActorSystem system, Options options, PrintStream err, System.Logger log) {
        java.util.Optional<io.spinoff.runtime.internal.NodeClusterJoin> joiner =
                java.util.ServiceLoader.load(io.spinoff.runtime.internal.NodeClusterJoin.class).findFirst();
        if (joiner.isEmpty()) {
            err.println("spinoff node: --cluster needs the cluster module: add io.spinoff:spinoff-cluster to the"
                    + " node's class path.");
            return EXIT_USAGE;
        }
        try {
            log.log(System.Logger.Level.INFO, joiner.get().join(system, options.cluster()));
            return null;
        } catch (IllegalArgumentException e) {
            err.println("spinoff node: --cluster " + options.cluster() + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (IllegalStateException e) {
            err.println("spinoff node: cannot join cluster " + options.cluster() + ": " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static int runSystem(Options options, Supplier<?> factory, PrintStream err) {
        System.Logger log = System.getLogger("io.spinoff.node");
        ActorSystem system;
        try {
            ActorSystemBuilder builder = ActorSystem.builder(options.name()).askTimeout(options.askTimeout())
                    .jmx(options.jmx());
            if (options.bind() != null) {
                builder.bind(options.bind());
            } else if (options.client()) {
                builder.client();
            }
            system = builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("spinoff node: cannot start node " + options.name() + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        if (options.cluster() != null) {
            Integer failed = joinCluster(system, options, err, log);
            if (failed != null) {
                system.close();
                return failed;
            }
        }
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        CountDownLatch closed = new CountDownLatch(1);
        Runnable onSignal = () -> {
            if (exit.complete(EXIT_OK)) {
                log.log(System.Logger.Level.INFO, "Signal received; stopping node " + options.name());
            }
        };
        Thread hook = new Thread(() -> {
            // The JVM is exiting for another reason (System.exit elsewhere, a signal without a
            // handler): close the system all the same, and let the exit wait for that, within the
            // time a close may take.
            onSignal.run();
            try {
                closed.await(options.askTimeout().toMillis() + EXIT_CLOSE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "spinoff-node-shutdown");
        try {
            installSignalHandlers(onSignal);
            Runtime.getRuntime().addShutdownHook(hook);
            String actorName = actorName(options.actorClass());
            ActorCell cell;
            try {
                cell = system.spawnAny(factory, actorName);
            } catch (RuntimeException e) {
                err.println("spinoff node: could not start " + options.actorClass() + ": " + e.getMessage());
                return EXIT_FAILED;
            }
            log.log(System.Logger.Level.INFO, "Node " + options.name() + " running " + options.actorClass()
                    + " as " + cell.address() + (options.bind() != null ? " (reachable at " + options.bind() + ")"
                            : options.client() ? " (a client node)" : ""));
            cell.terminationFuture().thenAccept(terminated -> {
                if (terminated.reason() == Terminated.Reason.FAILED) {
                    if (exit.complete(EXIT_FAILED)) {
                        log.log(System.Logger.Level.ERROR, options.actorClass() + " failed for good: " + terminated.cause());
                    }
                } else if (exit.complete(EXIT_OK)) {
                    log.log(System.Logger.Level.INFO, options.actorClass() + " stopped");
                }
            });
            return exit.join();
        } catch (RuntimeException | Error e) {
            log.log(System.Logger.Level.ERROR, "Node " + options.name() + " failed", e);
            return EXIT_FAILED;
        } finally {
            try {
                system.close();
                log.log(System.Logger.Level.INFO, "Node " + options.name() + " stopped");
            } finally {
                closed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    // shutting down already (the hook is running and now released), or never added
                }
            }
        }
    }

    /** {@code ExampleProcess} runs as {@code /user/exampleProcess}. */
    static String actorName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1).replace('$', '_');
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }

    /**
     * Handles SIGINT and SIGTERM so that they close the system and exit 0. The handlers come from
     * the JDK's {@code sun.misc.Signal} (module jdk.unsupported) when present; without it, the
     * shutdown hook still closes the system, but the exit code is the JVM's own.
     */
    private static void installSignalHandlers(Runnable onSignal) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onSignal.run());
            } catch (IllegalArgumentException | LinkageError e) {
                System.getLogger("io.spinoff.node").log(System.Logger.Level.DEBUG,
                        "Cannot handle SIG" + name + " here: " + e);
            }
        }
    }

    private static void configureLogging() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
                && System.getProperty("java.util.logging.config.file") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        }
    }
}
