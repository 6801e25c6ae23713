package io.spinoff.cluster.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns shards to the members that host an entity protocol, moving as few as it can: a shard
 * stays where it is while its owner hosts the protocol; the shards of a member that left go to
 * the least loaded members; then shards move one at a time from the most to the least loaded
 * member until no member has more than one shard above another. Deterministic: the same inputs
 * give the same assignment. Not API.
 *
 * <p><b>Threading:</b> a pure function; any thread.
 */
public final class ShardAllocator {

    private ShardAllocator() {}

    /**
     * @param current the owner of each shard (an index into {@code oldMembers}, or -1), or null
     *     when nothing was assigned yet
     * @param oldMembers the members {@code current} refers to
     * @param hosts the members that host the protocol now, in a fixed order (sorted)
     * @param shards the number of shards
     * @return the owner of each shard, as an index into {@code hosts}; all -1 when there is no host
     */
    public static int[] allocate(int[] current, List<String> oldMembers, List<String> hosts, int shards) {
        int[] owners = new int[shards];
        Arrays.fill(owners, -1);
        if (hosts.isEmpty()) {
            return owners;
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            index.put(hosts.get(i), i);
        }
        List<List<Integer>> owned = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            owned.add(new ArrayList<>());
        }
        List<Integer> orphans = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            Integer owner = null;
            if (current != null && shard < current.length && current[shard] >= 0 && current[shard] < oldMembers.size()) {
                owner = index.get(oldMembers.get(current[shard]));
            }
            if (owner == null) {
                orphans.add(shard);
            } else {
                owners[shard] = owner;
                owned.get(owner).add(shard);
            }
        }
        for (int shard : orphans) {
            int least = leastLoaded(owned);
            owners[shard] = least;
            owned.get(least).add(shard);
        }
        while (true) {
            int least = leastLoaded(owned);
            int most = mostLoaded(owned);
            if (owned.get(most).size() - owned.get(least).size() <= 1) {
                return owners;
            }
            List<Integer> from = owned.get(most);
            int shard = from.remove(from.size() - 1);
            owners[shard] = least;
            owned.get(least).add(shard);
        }
    }

    private static int leastLoaded(List<List<Integer>> owned) {
        int best = 0;
        for (int i = 1; i < owned.size(); i++) {
            if (owned.get(i).size() < owned.get(best).size()) {
                best = i;
            }
        }
        return best;
    }

    private static int mostLoaded(List<List<Integer>> owned) {
        int best = 0;
        for (int i = 1; i < owned.size(); i++) {
            if (owned.get(i).size() > owned.get(best).size()) {
                best = i;
            }
        }
        return best;
    }

    /**
     * @param id an entity id
     * @param shards the number of shards
     * @return its shard: the same in every JVM ({@link String#hashCode} is specified), spread by a
     *     multiplicative mix so that ids differing in their last character land apart
     */
    public static int shardOf(String id, int shards) {
        int h = id.hashCode() * 0x9E3779B9;
        h ^= h >>> 16;
        return Integer.remainderUnsigned(h, shards);
    }
}
