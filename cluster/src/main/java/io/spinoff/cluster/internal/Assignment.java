package io.spinoff.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The owner of each shard of one entity protocol, as the leader records it in
 * {@code /assignments/PROTOCOL}: a line {@code members=NODE,NODE,...} and a line
 * {@code owners=I,I,...} with, per shard, an index into the members (-1: none). Not API.
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param members the members the owners refer to
 * @param owners per shard, an index into {@code members}, or -1
 */
public record Assignment(List<String> members, int[] owners) {

    /** @return the bytes of the znode */
    public byte[] encode() {
        StringBuilder text = new StringBuilder("members=").append(String.join(",", members)).append("\nowners=");
        for (int i = 0; i < owners.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(owners[i]);
        }
        return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param data the bytes of the znode
     * @return the assignment, or null when they cannot be read
     */
    public static Assignment decode(byte[] data) {
        if (data == null) {
            return null;
        }
        List<String> members = null;
        int[] owners = null;
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("members=")) {
                String value = line.substring("members=".length());
                members = value.isEmpty() ? List.of() : List.of(value.split(","));
            } else if (line.startsWith("owners=")) {
                try {
                    owners = Arrays.stream(line.substring("owners=".length()).split(",")).mapToInt(Integer::parseInt).toArray();
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return members == null || owners == null ? null : new Assignment(members, owners);
    }

    /**
     * @param shard a shard
     * @return its owner's node name, or null
     */
    public String ownerOf(int shard) {
        if (shard >= owners.length || owners[shard] < 0 || owners[shard] >= members.size()) {
            return null;
        }
        return members.get(owners[shard]);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Assignment that && members.equals(that.members) && Arrays.equals(owners, that.owners);
    }

    @Override
    public int hashCode() {
        return members.hashCode() * 31 + Arrays.hashCode(owners);
    }

    @Override
    public String toString() {
        return "Assignment" + members + Arrays.toString(owners);
    }
}
