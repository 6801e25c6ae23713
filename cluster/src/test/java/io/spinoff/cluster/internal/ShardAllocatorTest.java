package io.spinoff.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leader's allocation, at the scale the issue names: 20 members, 1,024 shards, 100,000 entities. */
class ShardAllocatorTest {

    private static final int SHARDS = 1024;

    private static List<String> members(int count) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(String.format("node%02d@127.0.0.1:%d", i, 7000 + i));
        }
        return members;
    }

    private static int[] entitiesPerMember(int[] owners, int memberCount, int entities) {
        int[] counts = new int[memberCount];
        for (int i = 0; i < entities; i++) {
            counts[owners[ShardAllocator.shardOf("account-" + i, SHARDS)]]++;
        }
        return counts;
    }

    @Test
    void twentyMembersGetBalancedShardsAndEntitiesWithinTenPercent() {
        List<String> members = members(20);
        long start = System.nanoTime();
        int[] owners = ShardAllocator.allocate(null, List.of(), members, SHARDS);
        long micros = (System.nanoTime() - start) / 1000;
        int[] shardCounts = new int[20];
        for (int owner : owners) {
            shardCounts[owner]++;
        }
        assertTrue(Arrays.stream(shardCounts).max().getAsInt() - Arrays.stream(shardCounts).min().getAsInt() <= 1,
                Arrays.toString(shardCounts));
        int[] entities = entitiesPerMember(owners, 20, 100_000);
        double mean = 100_000 / 20.0;
        for (int count : entities) {
            assertTrue(Math.abs(count - mean) <= mean * 0.10, "entities per member " + Arrays.toString(entities));
        }
        System.out.println("20 members, 1024 shards: allocated in " + micros + " µs; entities per member "
                + Arrays.stream(entities).min().getAsInt() + ".." + Arrays.stream(entities).max().getAsInt());
    }

    @Test
    void removingAMemberMovesOnlyItsShards() {
        List<String> before = members(20);
        int[] owners = ShardAllocator.allocate(null, List.of(), before, SHARDS);
        List<String> after = new ArrayList<>(before);
        String gone = after.remove(7);
        long start = System.nanoTime();
        int[] next = ShardAllocator.allocate(owners, before, after, SHARDS);
        long micros = (System.nanoTime() - start) / 1000;
        int moved = 0;
        for (int shard = 0; shard < SHARDS; shard++) {
            String was = before.get(owners[shard]);
            String is = after.get(next[shard]);
            if (!was.equals(is)) {
                moved++;
                assertEquals(gone, was, "shard " + shard + " moved from a member that stayed");
            }
        }
        long ownedByGone = Arrays.stream(owners).filter(o -> o == 7).count();
        assertEquals(ownedByGone, moved);
        int[] counts = new int[19];
        for (int owner : next) {
            counts[owner]++;
        }
        assertTrue(Arrays.stream(counts).max().getAsInt() - Arrays.stream(counts).min().getAsInt() <= 1);
        System.out.println("member removed: " + moved + " shards moved, rebalanced in " + micros + " µs");
    }

    @Test
    void aMemberThatJoinsTakesOnlyItsShareAndTheRestStays() {
        List<String> before = members(19);
        int[] owners = ShardAllocator.allocate(null, List.of(), before, SHARDS);
        List<String> after = members(20);
        int[] next = ShardAllocator.allocate(owners, before, after, SHARDS);
        int moved = 0;
        for (int shard = 0; shard < SHARDS; shard++) {
            if (!before.get(owners[shard]).equals(after.get(next[shard]))) {
                moved++;
                assertEquals(after.get(19), after.get(next[shard]), "a shard moved elsewhere than to the new member");
            }
        }
        assertTrue(moved >= SHARDS / 20 - 1 && moved <= SHARDS / 20 + 1, "moved " + moved);
    }

    @Test
    void theSameInputsGiveTheSameAssignmentAndNoHostsGiveNone() {
        List<String> members = members(5);
        assertArrayEquals(ShardAllocator.allocate(null, List.of(), members, SHARDS),
                ShardAllocator.allocate(null, List.of(), members, SHARDS));
        assertTrue(Arrays.stream(ShardAllocator.allocate(null, List.of(), List.of(), 16)).allMatch(o -> o == -1));
        Assignment assignment = new Assignment(members, ShardAllocator.allocate(null, List.of(), members, 16));
        assertEquals(assignment, Assignment.decode(assignment.encode()));
    }
}
