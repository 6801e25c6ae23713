package io.spinoff.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What every account received, across activations and nodes: nothing sent may be missing. */
public final class Ledger {

    private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    /** Per amount: how many times an account applied it (tests that send distinct amounts). */
    private final Map<Long, java.util.concurrent.atomic.AtomicInteger> applied = new ConcurrentHashMap<>();

    void received(String id, long amount) {
        received.computeIfAbsent(id, k -> new AtomicLong()).addAndGet(amount);
        total.addAndGet(amount);
        applied.computeIfAbsent(amount, a -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    }

    /** @return per amount received, how many times it was applied (live) */
    Map<Long, java.util.concurrent.atomic.AtomicInteger> applied() {
        return applied;
    }

    public long total() {
        return total.get();
    }

    public long of(String id) {
        AtomicLong value = received.get(id);
        return value == null ? 0 : value.get();
    }
}
