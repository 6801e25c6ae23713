package io.spinoff.cluster.internal;

import io.spinoff.cluster.Member;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The text a member keeps in its ZooKeeper entry, {@code /members/NODE}: lines
 * {@code incarnation=N}, {@code shards=N}, {@code roles=a,b} and
 * {@code entities=PROTOCOL:FINGERPRINT_HEX;...}. Unknown lines are ignored, so a later version may
 * add some. Not API.
 *
 * <p><b>Threading:</b> pure functions; any thread.
 */
public final class MemberData {

    private MemberData() {}

    /**
     * @param member the member
     * @param shards its shard count
     * @return the entry's bytes
     */
    public static byte[] encode(Member member, int shards) {
        StringBuilder text = new StringBuilder();
        text.append("incarnation=").append(member.incarnation()).append('\n');
        text.append("shards=").append(shards).append('\n');
        text.append("roles=").append(String.join(",", member.roles())).append('\n');
        text.append("entities=");
        String separator = "";
        for (Map.Entry<String, Long> entity : member.entities().entrySet()) {
            text.append(separator).append(entity.getKey()).append(':').append(Long.toHexString(entity.getValue()));
            separator = ";";
        }
        return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param node the entry's name
     * @param data its bytes
     * @return the member; fields it cannot read are left empty
     */
    public static Member decode(String node, byte[] data) {
        long incarnation = 0;
        Set<String> roles = new LinkedHashSet<>();
        Map<String, Long> entities = new LinkedHashMap<>();
        for (String line : new String(data == null ? new byte[0] : data, StandardCharsets.UTF_8).split("\n")) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = line.substring(0, equals);
            String value = line.substring(equals + 1);
            try {
                switch (key) {
                    case "incarnation" -> incarnation = Long.parseLong(value);
                    case "roles" -> Arrays.stream(value.split(",")).filter(r -> !r.isEmpty()).forEach(roles::add);
                    case "entities" -> {
                        for (String entry : value.split(";")) {
                            int colon = entry.lastIndexOf(':');
                            if (colon > 0) {
                                entities.put(entry.substring(0, colon), Long.parseUnsignedLong(entry.substring(colon + 1), 16));
                            }
                        }
                    }
                    default -> { }
                }
            } catch (NumberFormatException e) {
                // A field this version cannot read stays empty.
            }
        }
        return new Member(node, incarnation, roles, entities);
    }

    /**
     * @param data an entry's bytes
     * @return its shard count, or 0 when it names none
     */
    public static int shards(byte[] data) {
        for (String line : new String(data == null ? new byte[0] : data, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("shards=")) {
                try {
                    return Integer.parseInt(line.substring("shards=".length()));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
