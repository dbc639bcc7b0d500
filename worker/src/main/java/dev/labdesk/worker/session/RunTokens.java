package dev.labdesk.worker.session;

import dev.labdesk.model.Sha256;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * A run's bearer token: minted for each agent run, kept by the stores only as its SHA-256 hash, and read
 * back from a log post. Where it may come from: {@code Authorization: Bearer <token>} (our agents),
 * {@code Authorization: Basic base64(user:token)} (Python HTTPHandler's {@code credentials=(user, token)};
 * the user part is ignored; a token given as the user with an empty password is accepted too), or the
 * URL's {@code ?token=} (for clients that can set neither).
 */
public final class RunTokens {
    private RunTokens() {}

    /** 256 random bits, URL-safe: what an agent presents on every log post of its run. */
    static String mint(SecureRandom random) {
        var bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the store keeps of a run token: its SHA-256, so a leaked store leaks no credential. */
    public static String hash(String token) {
        return Sha256.hexOf(token);
    }

    public static Optional<String> fromRequest(String authorization, String queryToken) {
        if (authorization != null && !authorization.isBlank()) {
            var value = authorization.strip();
            int space = value.indexOf(' ');
            if (space > 0) {
                var scheme = value.substring(0, space);
                var credentials = value.substring(space + 1).strip();
                if (scheme.equalsIgnoreCase("Bearer")) return nonBlank(credentials);
                if (scheme.equalsIgnoreCase("Basic")) return basicPassword(credentials);
            }
            return Optional.empty();
        }
        return nonBlank(queryToken);
    }

    private static Optional<String> basicPassword(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return nonBlank(decoded);
        var password = decoded.substring(colon + 1);
        return password.isEmpty() ? nonBlank(decoded.substring(0, colon)) : Optional.of(password);
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }
}
