package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
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
 * Savina's Chameneos ({@code chameneos}): creatures of three colours go to a mall, which pairs
 * them two by two; the two creatures of a meeting both take the complement of their colours and go
 * back to the mall, until the mall has held its meetings. Savina's {@code ChameneosConfig}:
 * 100 creatures, 200,000 meetings (one mailbox, the mall's).
 *
 * <p>One invocation is one complete run, actors included, as in Savina: the mall is spawned and
 * spawns the creatures as its children; each creature asks the mall for a meeting as it starts.
 * The mall keeps the first creature of a pair waiting and hands it the second one's meet message;
 * the waiting creature changes colour, tells its partner its new colour, and both ask for a new
 * meeting. Once the meetings are used up the mall answers every request with an exit; the creature
 * reports its meetings to the mall and stops itself. When all have reported, the mall stops, and
 * the invocation ends when the mall's post-stop hook has run, that is once every actor of the run
 * has stopped.
 *
 * <p>Result: the meetings counted by the creatures, 2 × the mall's meetings (both creatures of a
 * meeting count it), as Savina's mall sums them.
 *
 * <p>No baseline: the benchmark is pure messaging through one actor (the mall), with no work per
 * message that plain Java could do in its place.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaChameneos {

    /** Savina's parameters. */
    static final Params SAVINA = new Params(100, 200_000);

    /**
     * @param creatures the creatures (numChameneos)
     * @param meetings the meetings the mall holds (numMeetings)
     */
    record Params(int creatures, int meetings) {
        /** @return the meetings the creatures count in all */
        long expectedMeetings() {
            return 2L * meetings;
        }
    }

    /**
     * @return {@code meetings} when it is what the creatures must count
     * @throws IllegalStateException otherwise
     */
    static long check(Params params, long meetings) {
        if (meetings != params.expectedMeetings()) {
            throw new IllegalStateException(
                    "Chameneos: expected " + params.expectedMeetings() + " meetings, got " + meetings);
        }
        return meetings;
    }


    /** A creature's colour. */
    public enum Color {
        RED, YELLOW, BLUE;

        /** @return the colour a creature of this colour takes after meeting one of {@code other} */
        Color complement(Color other) {
            if (this == other) {
                return this;
            }
            return values()[3 - ordinal() - other.ordinal()];
        }

        /** @return the starting colour of the {@code index}th creature */
        static Color initial(int index) {
            return values()[index % 3];
        }
    }

    // ------------------------------------------------------------------ Spinoff

    /** The mall: pairs the creatures, then collects their meeting counts. */
    @ActorProtocol
    public interface Mall {
        /** A creature of {@code color} asks for a meeting. */
        void meet(Color color, Creature from);

        /** A creature that has left reports how many meetings it had. */
        void meetings(int count);
    }

    /** A creature. */
    @ActorProtocol
    public interface Creature {
        /** The mall pairs this creature with {@code from}, of colour {@code color}. */
        void meet(Color color, Creature from);

        /** The partner of a meeting tells its new colour. */
        void change(Color color);

        /** The mall has no meetings left: report and stop. */
        void exit();
    }

    static final class SpinoffMall extends Actor implements Mall {
        private final Params params;
        private final CompletableFuture<Long> result;
        private int meetingsLeft;
        private Creature waiting;
        private int faded;
        private long sumMeetings;

        SpinoffMall(Params params, CompletableFuture<Long> result) {
            this.params = params;
            this.result = result;
            this.meetingsLeft = params.meetings();
        }

        @Override
        protected void preStart() {
            Mall self = context().self(Mall.class);
            for (int i = 0; i < params.creatures(); i++) {
                Color color = Color.initial(i);
                context().spawn(Creature.class, () -> new SpinoffCreature(self, color));
            }
        }

        @Override
        public void meet(Color color, Creature from) {
            if (meetingsLeft == 0) {
                from.exit();
            } else if (waiting == null) {
                waiting = from;
            } else {
                meetingsLeft--;
                waiting.meet(color, from);
                waiting = null;
            }
        }

        @Override
        public void meetings(int count) {
            sumMeetings += count;
            if (++faded == params.creatures()) {
                context().stop(context().self());
            }
        }

        @Override
        protected void postStop() {
            result.complete(sumMeetings);
        }
    }

    static final class SpinoffCreature extends Actor implements Creature {
        private final Mall mall;
        private Creature self;
        private Color color;
        private int meetings;

        SpinoffCreature(Mall mall, Color color) {
            this.mall = mall;
            this.color = color;
        }

        @Override
        protected void preStart() {
            self = context().self(Creature.class);
            mall.meet(color, self);
        }

        @Override
        public void meet(Color otherColor, Creature from) {
            color = color.complement(otherColor);
            meetings++;
            from.change(color);
            mall.meet(color, self);
        }

        @Override
        public void change(Color newColor) {
            color = newColor;
            meetings++;
            mall.meet(color, self);
        }

        @Override
        public void exit() {
            mall.meetings(meetings);
            context().stop(self);
        }
    }

    /** @return the meetings of one complete run on {@code system}, checked */
    static long runSpinoff(ActorSystem system, Params params) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        system.spawn(Mall.class, () -> new SpinoffMall(params, result));
        return check(params, SavinaSystems.await("Chameneos", result));
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to the mall. */
    sealed interface MallMessage permits Meet, MeetingCount {}

    /** A message to a creature. */
    sealed interface CreatureMessage permits Meet, Change, Exit {}

    /** A request for a meeting, which the mall hands on to the waiting creature as it is. */
    record Meet(Color color, ActorRef<CreatureMessage> from) implements MallMessage, CreatureMessage {}

    record MeetingCount(int count) implements MallMessage {}

    record Change(Color color) implements CreatureMessage {}

    enum Exit implements CreatureMessage { INSTANCE }

    static Behavior<MallMessage> pekkoMall(Params params, CompletableFuture<Long> result) {
        return Behaviors.setup(context -> new PekkoMall(context, params, result).behavior());
    }

    /** The state of the Pekko mall, behind its behaviour. */
    private static final class PekkoMall {
        private final Params params;
        private final CompletableFuture<Long> result;
        private int meetingsLeft;
        private ActorRef<CreatureMessage> waiting;
        private int faded;
        private long sumMeetings;

        PekkoMall(ActorContext<MallMessage> context, Params params, CompletableFuture<Long> result) {
            this.params = params;
            this.result = result;
            this.meetingsLeft = params.meetings();
            for (int i = 0; i < params.creatures(); i++) {
                context.spawnAnonymous(pekkoCreature(context.getSelf(), Color.initial(i)));
            }
        }

        Behavior<MallMessage> behavior() {
            return Behaviors.receive(MallMessage.class)
                    .onMessage(Meet.class, this::onMeet)
                    .onMessage(MeetingCount.class, this::onMeetingCount)
                    .onSignal(PostStop.class, signal -> {
                        result.complete(sumMeetings);
                        return Behaviors.same();
                    })
                    .build();
        }

        private Behavior<MallMessage> onMeet(Meet meet) {
            if (meetingsLeft == 0) {
                meet.from().tell(Exit.INSTANCE);
            } else if (waiting == null) {
                waiting = meet.from();
            } else {
                meetingsLeft--;
                waiting.tell(meet);
                waiting = null;
            }
            return Behaviors.same();
        }

        private Behavior<MallMessage> onMeetingCount(MeetingCount count) {
            sumMeetings += count.count();
            return ++faded == params.creatures() ? Behaviors.stopped() : Behaviors.same();
        }
    }

    static Behavior<CreatureMessage> pekkoCreature(ActorRef<MallMessage> mall, Color color) {
        return Behaviors.setup(context -> new PekkoCreature(context.getSelf(), mall, color).behavior());
    }

    /** The state of a Pekko creature, behind its behaviour. */
    private static final class PekkoCreature {
        private final ActorRef<CreatureMessage> self;
        private final ActorRef<MallMessage> mall;
        private Color color;
        private int meetings;

        PekkoCreature(ActorRef<CreatureMessage> self, ActorRef<MallMessage> mall, Color color) {
            this.self = self;
            this.mall = mall;
            this.color = color;
            mall.tell(new Meet(color, self));
        }

        Behavior<CreatureMessage> behavior() {
            return Behaviors.receive(CreatureMessage.class)
                    .onMessage(Meet.class, this::onMeet)
                    .onMessage(Change.class, this::onChange)
                    .onMessageEquals(Exit.INSTANCE, this::onExit)
                    .build();
        }

        private Behavior<CreatureMessage> onMeet(Meet meet) {
            color = color.complement(meet.color());
            meetings++;
            meet.from().tell(new Change(color));
            mall.tell(new Meet(color, self));
            return Behaviors.same();
        }

        private Behavior<CreatureMessage> onChange(Change change) {
            color = change.color();
            meetings++;
            mall.tell(new Meet(color, self));
            return Behaviors.same();
        }

        private Behavior<CreatureMessage> onExit() {
            mall.tell(new MeetingCount(meetings));
            return Behaviors.stopped();
        }
    }

    /** @return the meetings of one complete run on {@code system}, checked */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params params) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        system.tell(new SpawnProtocol.Spawn<>(pekkoMall(params, result), "", Props.empty(), system.ignoreRef()));
        return check(params, SavinaSystems.await("Chameneos", result));
    }

    // ------------------------------------------------------------------ JMH

    /** @return the meetings of one run */
    @Benchmark
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.system, SAVINA);
    }

    /** @return the meetings of one run */
    @Benchmark
    public long pekko(PekkoState state) {
        return runPekko(state.system, SAVINA);
    }
}
