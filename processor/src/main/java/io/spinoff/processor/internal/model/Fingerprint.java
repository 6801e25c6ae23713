package io.spinoff.processor.internal.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Computes a protocol's fingerprint: the first 8 bytes of the SHA-256 of a canonical text of its
 * signatures. The text lists, in index order, each method's name, kind, parameter wire types and
 * reply wire type, then the shape of every record the codec writes. Parameter names are left out
 * (they never reach the wire); anything that changes the bytes on the wire changes the text.
 */
public final class Fingerprint {

    private Fingerprint() {}

    /**
     * @param binaryName the protocol's binary name
     * @param methods its methods in index order
     * @param records the records its codec writes
     * @return the canonical text
     */
    public static String canonicalText(String binaryName, List<MethodModel> methods, List<RecordShape> records) {
        StringBuilder text = new StringBuilder("protocol ").append(binaryName).append('\n');
        for (MethodModel method : methods) {
            text.append(method.index()).append(' ').append(method.name()).append('(');
            for (int i = 0; i < method.parameters().size(); i++) {
                if (i > 0) {
                    text.append(',');
                }
                text.append(method.parameters().get(i).type().signature());
            }
            text.append(")");
            if (method.isAsk()) {
                text.append(" -> ").append(method.result() == null ? "Void" : method.result().signature());
            }
            text.append('\n');
        }
        records.stream().map(RecordShape::signature).sorted().forEach(s -> text.append(s).append('\n'));
        return text.toString();
    }

    /**
     * @param canonicalText the text from {@link #canonicalText}
     * @return its fingerprint
     */
    public static long of(String canonicalText) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalText.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xFF);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256", e);
        }
    }
}
