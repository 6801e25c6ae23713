package io.spinoff.runtime.internal.remote;

import java.util.Arrays;

/**
 * The pending remote asks ordered by deadline: a binary min-heap in which every ask knows its
 * position ({@link PendingAsk#heapIndex}), so an answered ask leaves the heap at once, in
 * O(log n), rather than staying (with its message) until its deadline. Not API.
 *
 * <p><b>Threading:</b> I/O thread only ({@link RemoteAsks}); no synchronization.
 */
final class AskDeadlines {
    private PendingAsk[] heap = new PendingAsk[64];
    private int size;

    int size() {
        return size;
    }

    /** @return the ask with the earliest deadline, or null */
    PendingAsk peek() {
        return size == 0 ? null : heap[0];
    }

    void add(PendingAsk ask) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = ask;
        ask.heapIndex = size;
        size++;
        up(ask.heapIndex);
    }

    /** Removes the ask, if it is in the heap. */
    void remove(PendingAsk ask) {
        int index = ask.heapIndex;
        if (index < 0 || index >= size || heap[index] != ask) {
            return;
        }
        ask.heapIndex = -1;
        size--;
        PendingAsk last = heap[size];
        heap[size] = null;
        if (index < size) {
            heap[index] = last;
            last.heapIndex = index;
            if (!up(index)) {
                down(index);
            }
        }
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
    }

    /** Empties the heap. */
    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    /** @return whether the element moved */
    private boolean up(int index) {
        PendingAsk ask = heap[index];
        int start = index;
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            PendingAsk above = heap[parent];
            if (above.deadlineNanos - ask.deadlineNanos <= 0) {
                break;
            }
            heap[index] = above;
            above.heapIndex = index;
            index = parent;
        }
        heap[index] = ask;
        ask.heapIndex = index;
        return index != start;
    }

    private void down(int index) {
        PendingAsk ask = heap[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].deadlineNanos - heap[child].deadlineNanos < 0) {
                child++;
            }
            if (ask.deadlineNanos - heap[child].deadlineNanos <= 0) {
                break;
            }
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = ask;
        ask.heapIndex = index;
    }
}
