package io.spinoff.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The mailbox queue's single-threaded contract, and its behaviour with an element in flight. */
class MpscLinkedQueueTest {

    @Test
    void aConsumedNodeNoLongerRefersToTheNodesAfterIt() {
        MpscLinkedQueue<String> queue = new MpscLinkedQueue<>();
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");
        MpscLinkedQueue.Node<String> stub = queue.head;
        assertEquals("a", queue.poll());
        MpscLinkedQueue.Node<String> consumedA = queue.head;
        assertEquals("b", queue.poll());

        // A consumed node that was promoted before it died must not keep the live ones alive.
        assertNull(stub.next, "the first stub still links to the queue");
        assertNull(consumedA.next, "a consumed node still links to the queue");
        assertNull(consumedA.value);
        assertEquals("c", queue.poll());
        assertNull(queue.poll());
        assertTrue(queue.isEmpty());
        assertFalse(queue.peekNonEmpty());
    }
}
