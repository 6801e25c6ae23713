package io.spinoff.runtime.remote;

import java.util.Objects;
import org.zeromq.ZMQ;

/**
 * A CURVE key pair, both keys as 40-character Z85 text (the form ZeroMQ tools print and read).
 *
 * <p><b>Threading:</b> immutable. <b>Secrecy:</b> {@link #toString()} never shows the secret key.
 *
 * @param publicKey the public key, shared with peers
 * @param secretKey the secret key, never shared
 */
public record CurveKeyPair(String publicKey, String secretKey) {

    /**
     * Checks both keys.
     *
     * @throws IllegalArgumentException when a key is not 40 characters of Z85
     */
    public CurveKeyPair {
        checkKey(publicKey, "publicKey");
        checkKey(secretKey, "secretKey");
    }

    /** @return a fresh random key pair */
    public static CurveKeyPair generate() {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        return new CurveKeyPair(pair.publicKey, pair.secretKey);
    }

    /**
     * @param key a key as Z85 text
     * @param what what the key is, for the error message
     * @return the key
     * @throws IllegalArgumentException when the key is not 40 characters of Z85
     */
    static String checkKey(String key, String what) {
        Objects.requireNonNull(key, what);
        byte[] decoded = key.length() == ZMQ.Curve.KEY_SIZE_Z85 ? decodeOrNull(key) : null;
        if (decoded == null || decoded.length != ZMQ.Curve.KEY_SIZE) {
            throw new IllegalArgumentException(what + " is not a CURVE key: expected "
                    + ZMQ.Curve.KEY_SIZE_Z85 + " characters of Z85 text, got " + key.length()
                    + " characters; make keys with CurveKeyPair.generate().");
        }
        return key;
    }

    private static byte[] decodeOrNull(String key) {
        try {
            return ZMQ.Curve.z85Decode(key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "CurveKeyPair[publicKey=" + publicKey + "]";
    }
}
