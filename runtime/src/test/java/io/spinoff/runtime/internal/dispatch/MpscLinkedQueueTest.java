package io.spinoff.runtime.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The mailbox queue's single-threaded contract, and its behaviour with an element in flight. */
public class MpscLinkedQueueTest {

    @Test
    void aConsumedNodeNoLongerRefersToTheNodesAfterIt() {
        MpscLinkedQueue<String> queue = new MpscLinkedQueue<>();
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");
        MpscLinkedQueue.Node<String> stub = queue.head;
        assertEquals("a", queue.poll());
        MpscLinkedQueue.Node<String> consumedA = queue.head;
        assertEquals("b", queue.relaxedPoll());

        // A consumed node that was promoted before it died must not keep the live ones alive.
        assertNull(stub.next, "the first stub still links to the queue");
        assertNull(consumedA.next, "a consumed node still links to the queue");
        assertNull(consumedA.value);
        assertEquals("c", queue.poll());
        assertNull(queue.poll());
        assertNull(queue.relaxedPoll());
        assertTrue(queue.isEmpty());
        assertFalse(queue.peekNonEmpty());
    }

    @Test
    void pollWaitsForAnElementInFlightWhileRelaxedPollDoesNot() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            MpscLinkedQueue<String> queue = new MpscLinkedQueue<>();
            queue.offer("first");
            assertEquals("first", queue.poll());

            InFlight<String> inFlight = InFlight.swapIn(queue, "second");
            assertNull(queue.relaxedPoll(), "relaxedPoll cannot see an element that is not linked yet");
            assertTrue(queue.isEmpty());
            assertTrue(queue.peekNonEmpty());

            // The producer resumes a little later; poll must wait for it, not report an empty queue.
            CompletableFuture<Void> link = CompletableFuture.runAsync(inFlight::link,
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
            assertEquals("second", queue.poll());
            link.join();
            assertNull(queue.poll());
        });
    }

    /**
     * An offer stopped between its two steps, as a producer descheduled there leaves it: swapped in
     * as the tail, not yet linked to its predecessor.
     */
    public static final class InFlight<E> {
        private static final VarHandle TAIL;
        private static final VarHandle NEXT;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(MpscLinkedQueue.class, MethodHandles.lookup());
                TAIL = lookup.findVarHandle(MpscLinkedQueue.class, "tail", MpscLinkedQueue.Node.class);
                NEXT = lookup.findVarHandle(MpscLinkedQueue.Node.class, "next", MpscLinkedQueue.Node.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final MpscLinkedQueue.Node<E> previous;
        private final MpscLinkedQueue.Node<E> node;

        private InFlight(MpscLinkedQueue.Node<E> previous, MpscLinkedQueue.Node<E> node) {
            this.previous = previous;
            this.node = node;
        }

        @SuppressWarnings("unchecked")
        public static <E> InFlight<E> swapIn(MpscLinkedQueue<E> queue, E element) {
            MpscLinkedQueue.Node<E> node = new MpscLinkedQueue.Node<>(element);
            MpscLinkedQueue.Node<E> previous = (MpscLinkedQueue.Node<E>) TAIL.getAndSet(queue, node);
            return new InFlight<>(previous, node);
        }

        public void link() {
            assertSame(null, NEXT.getVolatile(previous));
            NEXT.setRelease(previous, node);
        }
    }
}
