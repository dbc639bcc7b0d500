package dev.labdesk.worker.auth;

import dev.labdesk.model.Sha256;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The browser page's session cookie: {@code user.expiry.keytag.mac}, signed with HMAC-SHA256. It
 * names the key it was exchanged for (a tag of its hash), so removing or rotating that key ends
 * every cookie made from it; nothing is kept per cookie, so any instance sharing the secret reads it.
 */
public final class SessionCookies {
    public static final String NAME = "labdesk_session";
    public static final Duration LIFETIME = Duration.ofDays(7);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Keyring keyring;
    private final Clock clock;

    public SessionCookies(String secret, Keyring keyring, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.keyring = keyring;
        this.clock = clock;
    }

    /** A cookie value for {@code key}'s holder, valid for {@link #LIFETIME}. */
    public String mint(ApiKey key) {
        long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
        var payload = B64.encodeToString(key.userId().getBytes(StandardCharsets.UTF_8)) + "." + expiry + "." + tag(key);
        return payload + "." + B64.encodeToString(mac(payload));
    }

    /** The principal a cookie value stands for, if it is intact, unexpired and its key still configured. */
    public Optional<Principal> verify(String value) {
        if (value == null || value.length() > 512) return Optional.empty();
        int last = value.lastIndexOf('.');
        if (last < 0) return Optional.empty();
        var payload = value.substring(0, last);
        byte[] presented;
        try {
            presented = B64D.decode(value.substring(last + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(payload), presented)) return Optional.empty();
        var parts = payload.split("\\.");
        if (parts.length != 3) return Optional.empty();
        try {
            if (Long.parseLong(parts[1]) <= clock.instant().getEpochSecond()) return Optional.empty();
            var user = new String(B64D.decode(parts[0]), StandardCharsets.UTF_8);
            return keyring.keys().stream()
                    .filter(k -> k.userId().equals(user) && tag(k).equals(parts[2]))
                    .findFirst().map(k -> new Principal(k.userId(), k.admin()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String tag(ApiKey key) {
        return Sha256.hexPrefix(key.sha256(), 8);
    }

    private byte[] mac(String payload) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
