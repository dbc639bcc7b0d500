package dev.labdesk.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 and its one written form, lowercase hex: what a manifest's {@code sha256}, a hashed key
 * ({@code sha256:<hex>}), a stored run token and an ETag all carry.
 */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();
    /** Cloned per use: cheaper than a provider lookup each time, and a clone shares no state. */
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {}

    /** A fresh digest to feed in parts. */
    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    public static byte[] of(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    /** Of the text's UTF-8 bytes. */
    public static byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String hexOf(byte[] bytes) {
        return hex(of(bytes));
    }

    /** Of the text's UTF-8 bytes. */
    public static String hexOf(String text) {
        return hex(of(text));
    }

    /** Completes {@code digest} (which resets it) and writes what it made. */
    public static String hexOf(MessageDigest digest) {
        return hex(digest.digest());
    }

    /** Any bytes as lowercase hex. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** The first {@code count} bytes as lowercase hex (a short tag from a digest). */
    public static String hexPrefix(byte[] bytes, int count) {
        return HEX.formatHex(bytes, 0, count);
    }

    /** Hex digits of either case back to bytes; {@link IllegalArgumentException} for anything else. */
    public static byte[] parseHex(String hex) {
        return HEX.parseHex(hex);
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
