package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.Outcome;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina's Ping Pong: the time of one complete run, in which a ping actor and a pong actor
 * exchange {@code N = 40,000} pings (Savina's value) on Spinoff and on Pekko typed.
 *
 * <p>Savina's algorithm: the driver sends the ping actor a start; the ping actor sends the pong
 * actor a ping carrying its own reference and counts it; the pong actor counts it and answers with
 * a pong; on a pong the ping actor, while pings are left, sends itself a message that makes it
 * send the next ping, and otherwise tells the pong actor to stop and stops itself. That is three
 * messages per ping. Both actors are created inside each run, as Savina does, and the run ends
 * when both have stopped. Its result is the number of pings the pong actor answered, which must be
 * {@code N}.
 *
 * <p>Spinoff creates an actor from outside with a direct call; Pekko typed through an ask of its
 * guardian ({@link SpawnProtocol}), so a Pekko run includes those two round trips.
 *
 * <p>Pure messaging, with no work per message, so there is no plain-Java baseline: without actors
 * the run would be an empty loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaPingPong {

    /** @param pings the pings of one run (Savina's {@code N}) */
    record Params(int pings) {
        /** Savina's parameters. */
        static final Params SAVINA = new Params(40_000);
    }

    /**
     * @return {@code pongs} when it is the number of pings of {@code params}
     * @throws IllegalStateException otherwise
     */
    static long check(Params params, long pongs) {
        if (pongs != params.pings()) {
            throw new IllegalStateException("SavinaPingPong: expected " + params.pings() + " pongs, got " + pongs);
        }
        return pongs;
    }

    // ------------------------------------------------------------------ Spinoff

    /** The ping actor's protocol. */
    @ActorProtocol
    public interface Pinger {
        /** Sends the first ping. */
        void start();

        /** Sends the next ping (sent by the ping actor to itself). */
        void ping();

        /** The pong actor's answer to a ping. */
        void pong();
    }

    /** The pong actor's protocol. */
    @ActorProtocol
    public interface Ponger {
        /** A ping, to be answered to {@code sender}. */
        void ping(Pinger sender);

        /** Ends the run for the pong actor. */
        void stop();
    }

    static final class SpinoffPinger extends Actor implements Pinger {
        private final Ponger ponger;
        private final Outcome outcome;
        private int pingsLeft;
        private Pinger self;

        SpinoffPinger(int pings, Ponger ponger, Outcome outcome) {
            this.pingsLeft = pings;
            this.ponger = ponger;
            this.outcome = outcome;
        }

        @Override
        protected void preStart() {
            self = context().self(Pinger.class);
        }

        @Override
        public void start() {
            ping();
        }

        @Override
        public void ping() {
            ponger.ping(self);
            pingsLeft--;
        }

        @Override
        public void pong() {
            if (pingsLeft > 0) {
                self.ping();
            } else {
                ponger.stop();
                context().stop(self);
            }
        }

        @Override
        protected void postStop() {
            outcome.stopped(0);
        }
    }

    static final class SpinoffPonger extends Actor implements Ponger {
        private final Outcome outcome;
        private int pongs;

        SpinoffPonger(Outcome outcome) {
            this.outcome = outcome;
        }

        @Override
        public void ping(Pinger sender) {
            sender.pong();
            pongs++;
        }

        @Override
        public void stop() {
            context().stop(context().self());
        }

        @Override
        protected void postStop() {
            outcome.stopped(pongs);
        }
    }

    /** @return the pings answered in one run on {@code system}, checked */
    static long runSpinoff(ActorSystem system, Params params) {
        Outcome outcome = new Outcome(2);
        Ponger ponger = system.spawn(Ponger.class, () -> new SpinoffPonger(outcome));
        Pinger pinger = system.spawn(Pinger.class, () -> new SpinoffPinger(params.pings(), ponger, outcome));
        pinger.start();
        return check(params, outcome.await());
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to the Pekko ping actor. */
    sealed interface PingMessage permits Start, Ping, Pong {}

    /** Sends the first ping. */
    enum Start implements PingMessage { INSTANCE }

    /** Sends the next ping (sent by the ping actor to itself). */
    enum Ping implements PingMessage { INSTANCE }

    /** The pong actor's answer to a ping. */
    enum Pong implements PingMessage { INSTANCE }

    /** A message to the Pekko pong actor. */
    sealed interface PongMessage permits SendPing, Stop {}

    /** A ping, to be answered to {@code sender}. */
    record SendPing(ActorRef<PingMessage> sender) implements PongMessage {}

    /** Ends the run for the pong actor. */
    enum Stop implements PongMessage { INSTANCE }

    private static final class PekkoPinger {
        private final ActorRef<PongMessage> ponger;
        private final Outcome outcome;
        private int pingsLeft;

        PekkoPinger(int pings, ActorRef<PongMessage> ponger, Outcome outcome) {
            this.pingsLeft = pings;
            this.ponger = ponger;
            this.outcome = outcome;
        }

        Behavior<PingMessage> onMessage(ActorContext<PingMessage> context, PingMessage message) {
            switch (message) {
                case Start start -> sendPing(context);
                case Ping ping -> sendPing(context);
                case Pong pong -> {
                    if (pingsLeft > 0) {
                        context.getSelf().tell(Ping.INSTANCE);
                    } else {
                        ponger.tell(Stop.INSTANCE);
                        return Behaviors.stopped();
                    }
                }
            }
            return Behaviors.same();
        }

        private void sendPing(ActorContext<PingMessage> context) {
            ponger.tell(new SendPing(context.getSelf()));
            pingsLeft--;
        }

        Behavior<PingMessage> onSignal(ActorContext<PingMessage> context, Signal signal) {
            if (signal instanceof PostStop) {
                outcome.stopped(0);
            }
            return Behaviors.same();
        }
    }

    private static final class PekkoPonger {
        private final Outcome outcome;
        private int pongs;

        PekkoPonger(Outcome outcome) {
            this.outcome = outcome;
        }

        Behavior<PongMessage> onMessage(ActorContext<PongMessage> context, PongMessage message) {
            switch (message) {
                case SendPing ping -> {
                    ping.sender().tell(Pong.INSTANCE);
                    pongs++;
                }
                case Stop stop -> {
                    return Behaviors.stopped();
                }
            }
            return Behaviors.same();
        }

        Behavior<PongMessage> onSignal(ActorContext<PongMessage> context, Signal signal) {
            if (signal instanceof PostStop) {
                outcome.stopped(pongs);
            }
            return Behaviors.same();
        }
    }

    static Behavior<PingMessage> pekkoPinger(int pings, ActorRef<PongMessage> ponger, Outcome outcome) {
        return Behaviors.setup(context -> {
            PekkoPinger pinger = new PekkoPinger(pings, ponger, outcome);
            return Behaviors.receive(pinger::onMessage, pinger::onSignal);
        });
    }

    static Behavior<PongMessage> pekkoPonger(Outcome outcome) {
        return Behaviors.setup(context -> {
            PekkoPonger ponger = new PekkoPonger(outcome);
            return Behaviors.receive(ponger::onMessage, ponger::onSignal);
        });
    }

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** @return the pings answered in one run on {@code system}, checked */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params params) {
        Outcome outcome = new Outcome(2);
        int run = RUNS.incrementAndGet();
        ActorRef<PongMessage> ponger = PekkoActors.spawn(system, pekkoPonger(outcome), "ponger-" + run);
        ActorRef<PingMessage> pinger =
                PekkoActors.spawn(system, pekkoPinger(params.pings(), ponger, outcome), "pinger-" + run);
        pinger.tell(Start.INSTANCE);
        return check(params, outcome.await());
    }

    // ------------------------------------------------------------------ JMH

    @Benchmark
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.system, Params.SAVINA);
    }

    @Benchmark
    public long pekko(PekkoState state) {
        return runPekko(state.system, Params.SAVINA);
    }
}
