package io.spinoff.api;

/**
 * A message or reply could not be encoded to or decoded from Spinoff's binary wire format.
 *
 * <p>Decoding untrusted bytes fails with this exception and nothing else: truncated input, a
 * length beyond the remaining bytes, an unknown method or enum index, malformed UTF-8, nesting past
 * the depth limit and trailing bytes are all reported this way, before anything large is allocated.
 */
public final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong with the input */
    public CodecException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the underlying failure
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
