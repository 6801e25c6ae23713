package io.spinoff.testkit;

import io.spinoff.api.ActorRef;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.ManualTime;
import io.spinoff.runtime.Process;
import io.spinoff.runtime.Terminated;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An actor of protocol {@code P} that the test reads: what the code under test sends to
 * {@link #ref()} waits in the probe until the test expects it, and asks wait for the test to
 * answer them ({@link #expectAsk}). The probe is a process of the kit's system, so its reference
 * travels in messages, is watched, and may be looked up from another node like any actor's.
 *
 * <p><b>Threads:</b> one test thread at a time calls the {@code expect} methods (they take
 * messages in order, so two threads would split them); {@link #ref()} may be used from any thread.
 * An expectation that is not met throws {@link AssertionError} naming what was expected and the
 * probe's recent messages, written as calls ({@code Counter.increment(5)}).
 *
 * @param <P> the protocol
 */
public final class TestProbe<P> {

    /** How long, in real time, a probe on a manual clock looks once more when its time is up. */
    private static final long LAST_LOOK_MILLIS = 20;
    /** How many of its latest messages a probe shows when an expectation fails. */
    private static final int HISTORY = 10;

    private final String name;
    private final ActorSystem system;
    private final P proxy;
    private final ActorRef<Object> ref;
    private final BlockingQueue<Object> received;
    private final Duration defaultTimeout;
    /** The kit's manual clock, on which every wait of this probe is measured; null for real time. */
    private final ManualTime time;
    /** What a failure adds to say how to replay it (the seed of a deterministic kit), or "". */
    private final String replay;
    /** The latest messages taken by the test, for failure messages; the test thread only. */
    private final ArrayDeque<Object> history = new ArrayDeque<>();

    TestProbe(ActorSystem system, Class<P> protocol, String name, Duration defaultTimeout, ManualTime time,
            String replay) {
        this.name = name;
        this.replay = replay;
        this.system = system;
        this.defaultTimeout = defaultTimeout;
        this.time = time;
        this.received = new LinkedBlockingQueue<>();
        this.ref = system.spawnProcess(() -> new Probe(received), name);
        this.proxy = ProtocolDefinition.of(protocol).proxy(ref);
    }

    /** @return the system the probe lives in */
    ActorSystem system() {
        return system;
    }

    /** @return the proxy to hand to the code under test; any thread */
    public P ref() {
        return proxy;
    }

    /** @return the probe's untyped reference (an {@link ActorRef} of its process) */
    public ActorRef<Object> actorRef() {
        return ref;
    }

    /** @return the probe's name, such as {@code probe-1} */
    public String name() {
        return name;
    }

    /**
     * Takes the next message, which must be of the given type, waiting up to the kit's default
     * timeout (3 s unless the kit says otherwise).
     *
     * @param type the message's record type, such as {@code CounterMessage.Increment.class}
     * @param <T> the type
     * @return the message
     * @throws AssertionError when no message comes in time, or the next one is of another type
     */
    public <T> T expect(Class<T> type) {
        return expect(type, defaultTimeout);
    }

    /**
     * As {@link #expect(Class)}, waiting up to the given time.
     *
     * @param type the message's type
     * @param timeout how long to wait
     * @param <T> the type
     * @return the message
     */
    public <T> T expect(Class<T> type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        Object message = next(timeout, "a message of type " + type.getName());
        if (!type.isInstance(message)) {
            throw failure("expected a message of type " + type.getName() + ", got " + describe(message));
        }
        return type.cast(message);
    }

    /**
     * Takes the next message, which must match, waiting up to the kit's default timeout.
     *
     * @param what a description of the message expected, for the failure
     * @param matcher the test of the message
     * @return the message
     * @throws AssertionError when no message comes in time, or the next one does not match
     */
    public Object expect(String what, Predicate<Object> matcher) {
        Objects.requireNonNull(matcher, "matcher");
        Object message = next(defaultTimeout, what);
        if (!matcher.test(message)) {
            throw failure("expected " + what + ", got " + describe(message));
        }
        return message;
    }

    /**
     * Takes the next message, which must match, waiting up to the kit's default timeout.
     *
     * @param matcher the test of the message
     * @return the message
     */
    public Object expect(Predicate<Object> matcher) {
        return expect("a message matching the predicate", matcher);
    }

    /**
     * Checks that no message comes within the given time.
     *
     * @param duration how long to wait
     * @throws AssertionError naming the message that came
     */
    public void expectNoMessage(Duration duration) {
        Object message = poll(duration);
        if (message != null) {
            throw failure("expected no message for " + duration.toMillis() + " ms, got " + describe(message));
        }
    }

    /**
     * Takes the next {@code count} messages, whatever they are, waiting up to the kit's default
     * timeout for the whole lot.
     *
     * @param count how many
     * @return them, in the order they came
     * @throws AssertionError when fewer come in time
     */
    public List<Object> receiveN(int count) {
        return receiveN(count, defaultTimeout);
    }

    /**
     * As {@link #receiveN(int)}, within the given time.
     *
     * @param count how many
     * @param timeout how long to wait for all of them
     * @return them, in order
     */
    public List<Object> receiveN(int count, Duration timeout) {
        long deadline = now() + timeout.toNanos();
        List<Object> messages = new ArrayList<>(count);
        while (messages.size() < count) {
            Object message = poll(Duration.ofNanos(Math.max(0, deadline - now())));
            if (message == null) {
                throw failure("expected " + count + " messages within " + timeout.toMillis() + " ms, got "
                        + messages.size());
            }
            messages.add(message);
        }
        return messages;
    }

    /**
     * Takes messages until one matches, skipping the others, within the given time.
     *
     * @param what a description of the message sought, for the failure
     * @param matcher the test
     * @param timeout how long to fish
     * @return the first message that matched
     * @throws AssertionError when none matched in time
     */
    public Object fishFor(String what, Predicate<Object> matcher, Duration timeout) {
        long deadline = now() + timeout.toNanos();
        while (true) {
            Object message = poll(Duration.ofNanos(Math.max(0, deadline - now())));
            if (message == null) {
                throw failure("fished for " + what + " for " + timeout.toMillis() + " ms without a catch");
            }
            if (matcher.test(message)) {
                return message;
            }
        }
    }

    /**
     * Runs a block of expectations that must all be met within the given time, measured from now.
     *
     * @param max the time the whole block may take
     * @param block the expectations
     * @throws AssertionError when the block took longer, or failed
     */
    public void within(Duration max, Runnable block) {
        long started = now();
        block.run();
        long took = now() - started;
        if (took > max.toNanos()) {
            throw failure("the block took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms, more than "
                    + max.toMillis() + " ms");
        }
    }

    /**
     * Takes the next message, which must be an ask of the given type, for the test to answer.
     *
     * @param type the ask's record type, such as {@code CounterMessage.Get.class}
     * @param <T> the type
     * @return the ask, to answer with {@link AskToAnswer#reply} or {@link AskToAnswer#fail}
     * @throws AssertionError when no message comes in time, or it is not an ask of that type
     */
    public <T> AskToAnswer<T> expectAsk(Class<T> type) {
        return expectAsk(type, defaultTimeout);
    }

    /**
     * As {@link #expectAsk(Class)}, waiting up to the given time.
     *
     * @param type the ask's record type
     * @param timeout how long to wait
     * @param <T> the type
     * @return the ask, to answer
     */
    public <T> AskToAnswer<T> expectAsk(Class<T> type, Duration timeout) {
        T message = expect(type, timeout);
        if (!(message instanceof io.spinoff.api.Ask<?>)) {
            throw failure("expected an ask of type " + type.getName() + ", got the tell " + describe(message));
        }
        return new AskToAnswer<>(message);
    }

    /**
     * Watches an actor and expects its termination notice, within the kit's default timeout.
     *
     * @param proxyOrRef the actor
     * @return the notice (its reason and cause)
     * @throws AssertionError when it does not terminate in time
     */
    public Terminated expectTerminated(Object proxyOrRef) {
        return expectTerminated(proxyOrRef, defaultTimeout);
    }

    /**
     * As {@link #expectTerminated(Object)}, within the given time.
     *
     * @param proxyOrRef the actor
     * @param timeout how long to wait
     * @return the notice
     */
    public Terminated expectTerminated(Object proxyOrRef, Duration timeout) {
        CompletableFuture<Void> watching = new CompletableFuture<>();
        ref.tell(new Command.Watch(proxyOrRef, watching));
        try {
            VirtualWait.get(watching, timeout, time);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while watching " + proxyOrRef);
        } catch (Exception e) {
            throw failure("could not watch " + proxyOrRef + ": " + e);
        }
        Object notice = fishFor("the termination of " + proxyOrRef, m -> m instanceof Terminated, timeout);
        return (Terminated) notice;
    }

    /** An ask the probe received, for the test to answer once. */
    public final class AskToAnswer<T> {
        private final T message;

        private AskToAnswer(T message) {
            this.message = message;
        }

        /** @return the ask's message */
        public T message() {
            return message;
        }

        /**
         * Answers the ask: its asker's future completes with the value.
         *
         * @param value the reply, of the ask's reply type
         */
        public void reply(Object value) {
            ref.tell(new Command.Reply(message, value));
        }

        /**
         * Fails the ask: its asker's future completes with the exception.
         *
         * @param failure the exception
         */
        public void fail(Throwable failure) {
            ref.tell(new Command.Fail(message, failure));
        }
    }

    private Object next(Duration timeout, String expected) {
        Object message = poll(timeout);
        if (message == null) {
            throw failure("expected " + expected + " within " + timeout.toMillis() + " ms, got nothing");
        }
        return message;
    }

    /** @return the time waits are measured on, in nanoseconds: the kit's manual clock, or the machine's */
    private long now() {
        return time == null ? System.nanoTime() : time.elapsed().toNanos();
    }

    private Object poll(Duration timeout) {
        Object message;
        try {
            message = time == null ? received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS) : pollOnClock(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a message to " + name, e);
        }
        if (message != null) {
            history.addLast(message);
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
        return message;
    }

    /**
     * Waits for a message on the manual clock: lets the system settle, looks, and if nothing came
     * moves the time to the next timer or timeout due (or to the end of the wait), until a message
     * comes or the time is up. Time moves only while a probe waits, so a wait of an hour takes no
     * longer than the work it lets happen.
     */
    private Object pollOnClock(Duration timeout) throws InterruptedException {
        if (VirtualWait.until(time, timeout, () -> !received.isEmpty())) {
            return received.poll();
        }
        // Whatever is on its way (from a thread the clock does not see) gets a moment more; under
        // a simulation nothing runs unless driven, so there is nothing to wait for.
        return replay.isEmpty() ? received.poll(LAST_LOOK_MILLIS, TimeUnit.MILLISECONDS) : received.poll();
    }

    private AssertionError failure(String what) {
        StringBuilder text = new StringBuilder("Probe ").append(name).append(": ").append(what);
        text.append("\n  its latest messages, oldest first: ");
        text.append(history.isEmpty() ? "none" : String.join(", ", history.stream().map(TestProbe::describe).toList()));
        List<Object> waiting = new ArrayList<>(received);
        if (!waiting.isEmpty()) {
            text.append("\n  still waiting in it: ").append(String.join(", ", waiting.stream().map(TestProbe::describe).toList()));
        }
        text.append(replay);
        return new AssertionError(text.toString());
    }

    private static String describe(Object message) {
        try {
            return String.valueOf(message);
        } catch (RuntimeException e) {
            return message.getClass().getName() + " (its toString threw " + e + ")";
        }
    }

    /** What the test asks the probe's process to do on its own thread. */
    private sealed interface Command {
        record Reply(Object request, Object value) implements Command {}

        record Fail(Object request, Throwable failure) implements Command {}

        record Watch(Object target, CompletableFuture<Void> done) implements Command {}
    }

    /** The probe's process: hands every message to the test, and runs the test's commands. */
    private static final class Probe extends Process {
        private final BlockingQueue<Object> received;

        Probe(BlockingQueue<Object> received) {
            this.received = received;
        }

        @Override
        protected void run() throws Exception {
            while (true) {
                Object message = receive(Object.class);
                switch (message) {
                    case Command.Reply reply -> reply(reply.request(), reply.value());
                    case Command.Fail fail -> replyFailure(fail.request(), fail.failure());
                    case Command.Watch watch -> {
                        try {
                            watch(watch.target());
                            watch.done().complete(null);
                        } catch (RuntimeException e) {
                            watch.done().completeExceptionally(e);
                        }
                    }
                    default -> received.add(message);
                }
            }
        }
    }
}
