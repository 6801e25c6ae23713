package io.spinoff.runtime.internal.remote;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The remote references a node keeps for reuse, by address, so that a reference decoded from every
 * message (a reply-to) is the same object each time and keeps its cached {@link Route}. Bounded,
 * least recently used first out (approximately): hostile traffic naming many addresses cannot grow
 * it, and the addresses in use stay. Not API.
 *
 * <p>Two generations: hits and new references go to {@code young}; a hit in {@code old} is
 * promoted to {@code young}. When {@code young} holds half the capacity it becomes {@code old}
 * and the previous {@code old} (whatever was not used during a whole generation) is dropped. So
 * at most {@code capacity} references are kept, and one used at least once per generation is
 * never dropped.
 *
 * <p><b>Threading:</b> any thread. Reads take no lock: the two maps are read through volatile
 * fields, and a reader that races a generation change may miss a reference and make a new one, or
 * two threads may make two references to one address; both are harmless, since a reference's
 * equality is its address and a second one only repeats the route cache. Generation changes are
 * made under this object's monitor.
 */
final class RefCache {
    private final int generation;
    private volatile ConcurrentHashMap<String, RemoteActorRef> young = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<String, RemoteActorRef> old = new ConcurrentHashMap<>();

    /** @param capacity the most references kept, at least 2 */
    RefCache(int capacity) {
        this.generation = Math.max(1, capacity / 2);
    }

    /** @return the reference kept for the address, or null */
    RemoteActorRef get(String address) {
        ConcurrentHashMap<String, RemoteActorRef> current = young;
        RemoteActorRef ref = current.get(address);
        if (ref != null) {
            return ref;
        }
        ref = old.get(address);
        if (ref != null) {
            keep(current, ref);
        }
        return ref;
    }

    /** @return the reference kept for the address, made by {@code make} (and kept) when none is */
    RemoteActorRef intern(String address, Function<String, RemoteActorRef> make) {
        RemoteActorRef ref = get(address);
        return ref != null ? ref : keep(young, make.apply(address));
    }

    /** @return how many references are kept */
    int size() {
        return young.size() + old.size();
    }

    private RemoteActorRef keep(ConcurrentHashMap<String, RemoteActorRef> current, RemoteActorRef ref) {
        RemoteActorRef raced = current.putIfAbsent(ref.address(), ref);
        if (current.size() >= generation) {
            synchronized (this) {
                if (young == current && current.size() >= generation) {
                    old = current;
                    young = new ConcurrentHashMap<>();
                }
            }
        }
        return raced != null ? raced : ref;
    }
}
