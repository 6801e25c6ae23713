package io.spinoff.api.support;

import java.util.Arrays;

/**
 * Renders message arguments for the {@code toString()} of generated message records, so that a
 * message reads like the call it stands for: {@code Greeter.greet("hello", 3)}.
 *
 * <p><b>Threading:</b> stateless; callable from any thread.
 */
public final class MessageText {

    private MessageText() {}

    /**
     * @param value an argument
     * @return strings and characters quoted, arrays with their elements, anything else as
     *     {@link String#valueOf(Object)}
     */
    public static String argument(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> '"' + s + '"';
            case Character c -> "'" + c + "'";
            case byte[] a -> Arrays.toString(a);
            case boolean[] a -> Arrays.toString(a);
            case short[] a -> Arrays.toString(a);
            case char[] a -> Arrays.toString(a);
            case int[] a -> Arrays.toString(a);
            case long[] a -> Arrays.toString(a);
            case float[] a -> Arrays.toString(a);
            case double[] a -> Arrays.toString(a);
            case Object[] a -> Arrays.deepToString(a);
            default -> String.valueOf(value);
        };
    }
}
