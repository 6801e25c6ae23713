package io.spinoff.runtime;

import io.spinoff.runtime.internal.cell.ActorCell;
import io.spinoff.runtime.internal.process.ProcessRunner;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An Erlang-style sequential actor: {@link #run()} runs on a virtual thread of its own and takes
 * messages when it chooses, with selective {@code receive}.
 *
 * <pre>{@code
 * public final class ExampleProcess extends Process {
 *     @Override protected void run() throws Exception {
 *         Greeter child = spawn(Greeter.class, ExampleActor::new);
 *         Acker me = self(Acker.class);
 *         while (true) {
 *             child.greet("hello!", me);
 *             receive(AckerMessage.Ack.class, Duration.ofSeconds(5));
 *             sleep(Duration.ofSeconds(1));
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Messages.</b> A process takes the messages of every protocol: whatever is sent to any view
 * of it ({@link #self(Class)}, or a proxy made from its reference) queues in its mailbox, in the
 * order sent per sender, until a {@code receive} takes it. A receive takes the first queued message
 * that matches and leaves the others queued, in order. A message sent as an ask (a protocol method
 * returning a {@code CompletionStage}) is received as its record; answer it with
 * {@link #reply(Object, Object)} or {@link #replyFailure(Object, Throwable)}, or its asker times
 * out. Asks still unanswered when the process stops or restarts fail with
 * {@link ActorStoppedException}. A watched actor's end arrives as a {@link Terminated} message
 * (processes make no death pact: they receive it like any other message).
 *
 * <p><b>Lifecycle.</b> {@code run()} starts after {@code preStart}. When it returns, the process
 * stops normally; when it throws, the process fails and its parent's {@link SupervisorStrategy}
 * decides: a restart makes a new instance from the factory and runs its {@code run()} (the mailbox
 * is kept), a resume runs {@code run()} of the same instance again. Stopping a process interrupts
 * its thread: a blocked {@code receive}, {@code sleep} or {@code await} throws
 * {@link InterruptedException}, and the stop completes when {@code run()} has returned (or after
 * the stop timeout, by force).
 *
 * <p><b>Threading.</b> The methods of this class, and {@link #context()}, are for the process's own
 * thread, inside {@code run()}; the receive family throws {@link IllegalStateException} elsewhere.
 * Blocking here parks the virtual thread and holds no carrier thread; tens of thousands of
 * processes fit in one JVM. Waiting for an ask's reply with {@link #await} does not look at the
 * mailbox at all, however many messages wait there.
 */
public abstract class Process extends Actor {

    /** Binds the new instance to the process being created; only through a spawn factory. */
    protected Process() {}

    /**
     * The body of the process, on its own virtual thread.
     *
     * @throws Exception to fail the process (its supervisor decides what follows)
     */
    protected abstract void run() throws Exception;

    /**
     * Takes the first queued message of a type, waiting for one without limit.
     *
     * @param type the message type, such as {@code AckerMessage.Ack.class}
     * @param <T> the type
     * @return the message
     * @throws InterruptedException when the process is being stopped
     */
    protected final <T> T receive(Class<T> type) throws InterruptedException {
        Objects.requireNonNull(type, "type");
        return type.cast(runner("receive").receive(type::isInstance, -1));
    }

    /**
     * Takes the first queued message of a type, waiting at most the timeout.
     *
     * @param type the message type
     * @param timeout how long to wait; zero only looks at what is queued
     * @param <T> the type
     * @return the message
     * @throws ReceiveTimeoutException when none came in time
     * @throws InterruptedException when the process is being stopped
     */
    protected final <T> T receive(Class<T> type, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(type, "type");
        return type.cast(receiveWithin(type::isInstance, timeout, type.getName()));
    }

    /**
     * Takes the first queued message the filter accepts, waiting at most the timeout.
     *
     * @param filter tested on each queued message in order (on this thread; it must not block)
     * @param timeout how long to wait; zero only looks at what is queued
     * @return the message
     * @throws ReceiveTimeoutException when none came in time
     * @throws InterruptedException when the process is being stopped
     */
    protected final Object receive(Predicate<Object> filter, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(filter, "filter");
        return receiveWithin(filter, timeout, "the filter");
    }

    private Object receiveWithin(Predicate<Object> filter, Duration timeout, String what) throws InterruptedException {
        return receiveWithin(filter, timeout, null, what);
    }

    private Object receiveWithin(Predicate<Object> filter, Duration timeout, ReceiveMark after, String what)
            throws InterruptedException {
        long nanos = nanos(timeout);
        ProcessRunner runner = runner("receive");
        Object message = after == null ? runner.receive(filter, nanos) : runner.receiveAfter(filter, nanos, after.position());
        if (message == null) {
            throw new ReceiveTimeoutException("Process " + context().address() + " received no message matching "
                    + what + " within " + timeout.toMillis() + " ms (" + runner.queued()
                    + " other messages queued); catch ReceiveTimeoutException to handle the silence.");
        }
        return message;
    }

    /**
     * Marks the present end of this process's mailbox, for a receive that looks only at what comes
     * after it: Erlang's receive marker, for the request/reply pattern. Take the mark, send the
     * request, then receive the reply with the mark: the receive skips the messages queued before
     * the mark without looking at them, so it costs the number of new arrivals whatever the
     * backlog. A message already on its way at the mark (sent, not yet queued) may still be looked
     * at, so the filter should match only what the request provokes (a reply carrying its id, say).
     *
     * @return the mark
     * @throws IllegalStateException off the process's own thread
     */
    protected final ReceiveMark mark() {
        return new ReceiveMark(runner("mark").mark());
    }

    /**
     * Takes the first message of a type queued after the mark, waiting at most the timeout.
     * Messages queued before the mark stay queued and are not looked at.
     *
     * @param type the message type
     * @param timeout how long to wait; zero only looks at what is queued
     * @param after from {@link #mark()}
     * @param <T> the type
     * @return the message
     * @throws ReceiveTimeoutException when none came in time
     * @throws InterruptedException when the process is being stopped
     */
    protected final <T> T receive(Class<T> type, Duration timeout, ReceiveMark after) throws InterruptedException {
        Objects.requireNonNull(type, "type");
        return type.cast(receiveWithin(type::isInstance, timeout, after, type.getName()));
    }

    /**
     * Takes the first message the filter accepts among those queued after the mark, waiting at
     * most the timeout. Messages queued before the mark stay queued and are not looked at.
     *
     * @param filter tested on each message queued after the mark, in order (on this thread; it
     *     must not block)
     * @param timeout how long to wait; zero only looks at what is queued
     * @param after from {@link #mark()}
     * @return the message
     * @throws ReceiveTimeoutException when none came in time
     * @throws InterruptedException when the process is being stopped
     */
    protected final Object receive(Predicate<Object> filter, Duration timeout, ReceiveMark after) throws InterruptedException {
        Objects.requireNonNull(filter, "filter");
        return receiveWithin(filter, timeout, after, "the filter");
    }

    /**
     * A position in a process's mailbox, from {@link #mark()}; valid for that process only.
     *
     * @param position the number of messages queued before the mark, since the process was created
     */
    public record ReceiveMark(long position) {}

    /**
     * Answers a message received as an ask. If the asker has stopped waiting (its ask timed out),
     * the reply goes to dead letters instead; this process remembers the last
     * 1,024 asks that timed out unanswered for that.
     *
     * @param request the message as {@code receive} returned it
     * @param value the reply (of the method's result type)
     * @throws IllegalArgumentException when the message was not an ask, or was answered already
     */
    protected final void reply(Object request, Object value) {
        if (runner("reply").answer(request, value, null) == ProcessRunner.Answer.NOT_AN_ASK) {
            throw notAnAsk(request);
        }
    }

    /**
     * Fails a message received as an ask: its asker's future completes with the failure. If the
     * asker has stopped waiting, the failure goes to dead letters, as with {@link #reply}.
     *
     * @param request the message as {@code receive} returned it
     * @param failure the failure
     * @throws IllegalArgumentException when the message was not an ask, or was answered already
     */
    protected final void replyFailure(Object request, Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        if (runner("replyFailure").answer(request, null, failure) == ProcessRunner.Answer.NOT_AN_ASK) {
            throw notAnAsk(request);
        }
    }

    private IllegalArgumentException notAnAsk(Object request) {
        return new IllegalArgumentException(request + " is not an unanswered ask of process " + context().address()
                + "; reply only to messages received from an ask method, once each.");
    }

    /**
     * Pauses the process. Messages keep queuing meanwhile.
     *
     * @param duration how long
     * @throws InterruptedException when the process is being stopped
     */
    protected final void sleep(Duration duration) throws InterruptedException {
        long nanos = nanos(duration);
        runner("sleep").sleep(nanos);
    }

    /**
     * Waits for a stage, such as the future of an ask, at most the timeout. O(1): it waits on the
     * future itself and never scans the mailbox.
     *
     * @param stage what to wait for
     * @param timeout how long
     * @param <T> the result type
     * @return the result
     * @throws ReceiveTimeoutException when the stage did not complete in time
     * @throws InterruptedException when the process is being stopped
     * @throws RuntimeException the stage's failure, as it is when unchecked, else in a
     *     {@link CompletionException}
     */
    protected final <T> T await(CompletionStage<T> stage, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(stage, "stage");
        long nanos = nanos(timeout);
        ProcessRunner runner = runner("await");
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            return runner.await(future, nanos);
        } catch (TimeoutException e) {
            throw new ReceiveTimeoutException("Process " + context().address() + " waited " + timeout.toMillis()
                    + " ms for " + stage + " to complete; it did not.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CompletionException(cause);
        }
    }

    /**
     * Spawns a child actor.
     *
     * @param protocol the protocol of the returned proxy
     * @param factory makes the child (again at each restart)
     * @param <P> the protocol type
     * @return the child's proxy
     */
    protected final <P> P spawn(Class<P> protocol, Supplier<? extends P> factory) {
        return context().spawn(protocol, factory);
    }

    /**
     * Spawns a named child actor.
     *
     * @param protocol the protocol of the returned proxy
     * @param factory makes the child
     * @param name its name among its siblings
     * @param <P> the protocol type
     * @return the child's proxy
     */
    protected final <P> P spawn(Class<P> protocol, Supplier<? extends P> factory, String name) {
        return context().spawn(protocol, factory, name);
    }

    /**
     * A view of this process through a protocol: what is sent to it queues in the mailbox.
     *
     * @param protocol any protocol
     * @param <P> its type
     * @return the proxy
     */
    protected final <P> P self(Class<P> protocol) {
        return context().self(protocol);
    }

    /**
     * Watches an actor: its end arrives as a {@link Terminated} message.
     *
     * @param proxyOrRef the actor
     */
    protected final void watch(Object proxyOrRef) {
        context().watch(proxyOrRef);
    }

    /**
     * Stops watching an actor.
     *
     * @param proxyOrRef the actor
     */
    protected final void unwatch(Object proxyOrRef) {
        context().unwatch(proxyOrRef);
    }

    private ProcessRunner runner(String operation) {
        ProcessRunner runner = ((ActorCell) context()).processRunner();
        runner.checkOwnThread(operation);
        return runner;
    }

    private static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("Timeout " + timeout + " is negative; pass zero or more.");
        }
        return timeout.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
    }
}
