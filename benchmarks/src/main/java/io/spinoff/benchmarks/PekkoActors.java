package io.spinoff.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.AllDeadLetters;
import org.apache.pekko.actor.SuppressedDeadLetter;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The Pekko (typed) behaviours of the benchmarks, mirroring {@link SpinoffActors}. */
final class PekkoActors {
    private PekkoActors() {}

    /** The same pool as Spinoff's: 2 threads, 64 messages per turn. */
    static Config config() {
        return config("fj-64");
    }

    /**
     * The executor settings Pekko is measured with, each on 2 threads like Spinoff's pool: the
     * names of a benchmark's {@code @Param}, so that a result names its setting.
     */
    static final String[] EXECUTORS = {"fj-5", "fj-64", "fj-256", "affinity"};

    /**
     * @param executor {@code fj-N} (fork-join, N messages per turn) or {@code affinity} (Pekko's
     *     affinity pool, 64 messages per turn)
     * @return the configuration of a local benchmark's system with that default dispatcher
     */
    static Config config(String executor) {
        String dispatcher;
        if (executor.startsWith("fj-")) {
            dispatcher = """
                    executor = "fork-join-executor"
                    fork-join-executor { parallelism-min = 2, parallelism-max = 2, parallelism-factor = 1.0 }
                    throughput = %d
                    """.formatted(Integer.parseInt(executor.substring(3)));
        } else if (executor.equals("affinity")) {
            dispatcher = """
                    executor = "affinity-pool-executor"
                    affinity-pool-executor { parallelism-min = 2, parallelism-max = 2, parallelism-factor = 1.0 }
                    throughput = 64
                    """;
        } else {
            throw new IllegalArgumentException("Unknown Pekko executor setting '" + executor
                    + "'; use one of " + String.join(", ", EXECUTORS));
        }
        return ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                pekko.actor.default-dispatcher {
                %s}
                """.formatted(dispatcher)).withFallback(ConfigFactory.load());
    }

    /**
     * @param executor one of {@link #EXECUTORS}
     * @return a system whose guardian spawns actors ({@link #spawn}), on that executor setting
     */
    static ActorSystem<SpawnProtocol.Command> system(String name, String executor) {
        ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), name, config(executor));
        logMailbox(system, executor);
        return system;
    }

    /**
     * Prints, once per JVM and executor setting, the queue class of a typed actor's mailbox and
     * the dispatcher's executor, read from the actor's classic cell: the typed actors' mailbox is
     * {@code pekko.actor.typed.default-mailbox} (a single-consumer queue), which the classic
     * {@code pekko.actor.default-mailbox} setting does not reach, so the log shows what they get.
     */
    private static void logMailbox(ActorSystem<SpawnProtocol.Command> system, String executor) {
        if (!LOGGED_MAILBOX.add(executor)) {
            return;
        }
        CompletableFuture<String> seen = new CompletableFuture<>();
        spawn(system, Behaviors.<String>setup(context -> {
            var cell = (org.apache.pekko.actor.ActorCell) context.classicActorContext();
            seen.complete(cell.mailbox().messageQueue().getClass().getName() + " on "
                    + cell.dispatcher().getClass().getSimpleName() + " (" + cell.dispatcher().id() + ")");
            return Behaviors.stopped();
        }), "mailbox-probe");
        try {
            System.err.println("Pekko typed actor mailbox with executor " + executor + ": "
                    + seen.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("Could not read a Pekko actor's mailbox", e);
        }
    }

    private static final java.util.Set<String> LOGGED_MAILBOX = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * {@link #config()} plus Artery over TCP on a free loopback port. Every message of the remote
     * benchmarks is bound to {@link PekkoRemoteSerializer} (replies of asks are {@code Integer}s,
     * which Pekko's own int serializer handles); Java serialization stays off, so a message without
     * a binding fails instead of being serialized slowly. Artery's remote dispatcher gets 2 threads,
     * like the default dispatcher; its send queue holds twice the benchmark's largest in-flight
     * window, so it never drops a message of the benchmark. Artery's own default of 4 inbound lanes
     * is kept.
     */
    static Config remoteConfig() {
        return remoteConfig(4);
    }

    /**
     * {@link #remoteConfig()} with another number of inbound lanes (Artery's reference
     * configuration says 1 gives the lowest latency).
     */
    static Config remoteConfig(int inboundLanes) {
        return ConfigFactory.parseString("""
                pekko.actor.provider = remote
                pekko.remote.warn-about-direct-use = off
                pekko.remote.artery {
                  transport = tcp
                  canonical.hostname = "127.0.0.1"
                  canonical.port = 0
                  advanced.outbound-message-queue-size = %d
                  advanced.inbound-lanes = %d
                }
                pekko.remote.default-remote-dispatcher.fork-join-executor {
                  parallelism-min = 2, parallelism-max = 2, parallelism-factor = 1.0
                }
                pekko.actor.allow-java-serialization = off
                pekko.actor.serializers.spinoff-benchmarks = "io.spinoff.benchmarks.PekkoRemoteSerializer"
                pekko.actor.serialization-bindings {
                  "io.spinoff.benchmarks.PekkoActors$Payload" = spinoff-benchmarks
                  "io.spinoff.benchmarks.PekkoActors$AckTo" = spinoff-benchmarks
                  "io.spinoff.benchmarks.PekkoActors$Acked" = spinoff-benchmarks
                  "io.spinoff.benchmarks.PekkoActors$Echo" = spinoff-benchmarks
                }
                """.formatted(2 * RemoteBenchmarks.WINDOW, inboundLanes)).withFallback(config());
    }

    /**
     * {@link #remoteConfig()} as a cluster node, for the receptionist benchmark of
     * {@link ClusterBenchmarks}: the node joins itself, so no downing provider is needed.
     */
    static Config clusterConfig() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.cluster.jmx.enabled = off
                pekko.cluster.log-info = off
                """).withFallback(remoteConfig());
    }

    static ActorSystem<SpawnProtocol.Command> remoteSystem(String name) {
        return remoteSystem(name, 4);
    }

    static ActorSystem<SpawnProtocol.Command> remoteSystem(String name, int inboundLanes) {
        return ActorSystem.create(SpawnProtocol.create(), name, remoteConfig(inboundLanes));
    }

    static ActorSystem<SpawnProtocol.Command> system(String name) {
        return system(name, "fj-64");
    }

    static <T> ActorRef<T> spawn(ActorSystem<SpawnProtocol.Command> system, Behavior<T> behavior, String name) {
        try {
            return AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
                            replyTo -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), replyTo),
                            Duration.ofSeconds(10), system.scheduler())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not spawn " + name, e);
        }
    }

    static void terminate(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Pekko did not terminate", e);
        }
    }

    record Ball(int remaining, ActorRef<Ball> partner) {}

    static Behavior<Ball> player(AtomicReference<CountDownLatch> done) {
        return Behaviors.setup(context -> Behaviors.receiveMessage(ball -> {
            if (ball.remaining() == 0) {
                done.get().countDown();
            } else {
                ball.partner().tell(new Ball(ball.remaining() - 1, context.getSelf()));
            }
            return Behaviors.same();
        }));
    }

    enum Hit { INSTANCE }

    static Behavior<Hit> counter(AtomicReference<CountDownLatch> done, int target) {
        return Behaviors.setup(context -> {
            int[] hits = {0};
            return Behaviors.receiveMessage(hit -> {
                if (++hits[0] == target) {
                    hits[0] = 0;
                    done.get().countDown();
                }
                return Behaviors.same();
            });
        });
    }

    record Echo(int value, ActorRef<Integer> replyTo) {}

    static Behavior<Echo> echoer() {
        return Behaviors.receiveMessage(echo -> {
            echo.replyTo().tell(echo.value());
            return Behaviors.same();
        });
    }

    enum Poke { INSTANCE }

    static Behavior<Poke> ephemeral(AtomicReference<CountDownLatch> done) {
        return Behaviors.receive(Poke.class)
                .onSignal(PostStop.class, signal -> {
                    done.get().countDown();
                    return Behaviors.same();
                })
                .build();
    }

    record SpawnAndStop(int count) {}

    static Behavior<SpawnAndStop> parent(AtomicReference<CountDownLatch> done) {
        return Behaviors.setup(context -> Behaviors.receiveMessage(request -> {
            for (int i = 0; i < request.count(); i++) {
                ActorRef<Poke> child = context.spawnAnonymous(ephemeral(done));
                context.stop(child);
            }
            return Behaviors.same();
        }));
    }

    static Behavior<Poke> sleeper() {
        return Behaviors.receiveMessage(poke -> Behaviors.same());
    }

    record SpawnIdle(int count, ActorRef<Integer> replyTo) {}

    static Behavior<SpawnIdle> idleSpawner() {
        return Behaviors.setup(context -> Behaviors.receiveMessage(request -> {
            for (int i = 0; i < request.count(); i++) {
                context.spawnAnonymous(sleeper());
            }
            request.replyTo().tell(request.count());
            return Behaviors.same();
        }));
    }

    /** A message to the receiving actor of the remote tell benchmark. */
    sealed interface RemoteSinkMessage permits AckTo, Payload {}

    /** Names the actor that gets the acknowledgements; sent once, before any payload. */
    record AckTo(ActorRef<Acked> acks) implements RemoteSinkMessage {}

    /** One message of the benchmark, carrying the benchmark's payload. */
    record Payload(byte[] data) implements RemoteSinkMessage {}

    /** Acknowledges payloads; {@code deadLetters} are the receiving node's dead letters so far. */
    record Acked(long received, long deadLetters) {}

    /**
     * The receiving side of the remote tell benchmark, on the second node: counts payloads and
     * acknowledges every {@link RemoteBenchmarks#ACK_EVERY}, with the node's dead letters.
     *
     * @param payloadBytes the size every payload must have
     */
    static Behavior<RemoteSinkMessage> remoteCounter(AtomicLong deadLetters, int payloadBytes) {
        return Behaviors.setup(context -> {
            Object[] acks = {null};
            long[] received = {0};
            return Behaviors.receiveMessage(message -> {
                switch (message) {
                    case AckTo ackTo -> acks[0] = ackTo.acks();
                    case Payload payload -> {
                        if (payload.data().length != payloadBytes) {
                            throw new IllegalStateException("A payload of " + payload.data().length
                                    + " bytes arrived instead of " + payloadBytes + ".");
                        }
                        if (++received[0] % RemoteBenchmarks.ACK_EVERY == 0) {
                            @SuppressWarnings("unchecked")
                            ActorRef<Acked> to = (ActorRef<Acked>) acks[0];
                            to.tell(new Acked(received[0], deadLetters.get()));
                        }
                    }
                }
                return Behaviors.same();
            });
        });
    }

    /**
     * The sending side's end of the acknowledgements: each gives the sender back the credit of
     * {@link RemoteBenchmarks#ACK_EVERY} messages, and records the largest dead
     * letter count any receiving node reported.
     */
    static Behavior<Acked> ackCounter(Semaphore credits, AtomicLong remoteLosses) {
        return Behaviors.receiveMessage(acked -> {
            // Several peers may acknowledge here: keep the largest loss any of them reported.
            remoteLosses.accumulateAndGet(acked.deadLetters(), Math::max);
            credits.release(RemoteBenchmarks.ACK_EVERY);
            return Behaviors.same();
        });
    }

    /**
     * Counts the dead letters of a system, dropped messages included (Artery sends a message it
     * drops for a full send queue to dead letters); suppressed ones, such as messages of shutdown,
     * are not counted.
     */
    static AtomicLong countDeadLetters(ActorSystem<SpawnProtocol.Command> system) {
        AtomicLong count = new AtomicLong();
        ActorRef<AllDeadLetters> counter = spawn(system, Behaviors.receiveMessage(letter -> {
            if (!(letter instanceof SuppressedDeadLetter)) {
                count.incrementAndGet();
            }
            return Behaviors.same();
        }), "dead-letter-counter");
        system.eventStream().tell(new EventStream.Subscribe<>(AllDeadLetters.class, counter));
        return count;
    }
}
