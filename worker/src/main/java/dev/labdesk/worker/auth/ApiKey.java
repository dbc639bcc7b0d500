package dev.labdesk.worker.auth;

import dev.labdesk.model.Sha256;

import java.security.MessageDigest;

/**
 * One configured key: the user id it authenticates and the SHA-256 of the key (the key itself is
 * never kept). {@code toString} shows the user id only.
 */
public record ApiKey(String userId, byte[] sha256, boolean admin) {
    public ApiKey {
        if (sha256.length != 32) throw new IllegalArgumentException("a key's SHA-256 is 32 bytes");
        sha256 = sha256.clone();
    }

    /** A key given in plain text (a launch key, a generated token, a plain {@code LABDESK_API_KEYS} entry). */
    public static ApiKey plain(String userId, String key, boolean admin) {
        return new ApiKey(userId, Sha256.of(key), admin);
    }

    /** Constant time in the key's bytes: a timing side channel tells nothing about how much matched. */
    public boolean matches(byte[] presentedSha256) {
        return MessageDigest.isEqual(sha256, presentedSha256);
    }

    public String sha256Hex() {
        return Sha256.hex(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && k.userId.equals(userId) && k.admin == admin && MessageDigest.isEqual(k.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return userId.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKey[" + userId + (admin ? ", admin" : "") + "]";
    }
}
