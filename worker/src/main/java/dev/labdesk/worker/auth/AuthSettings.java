package dev.labdesk.worker.auth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How callers prove who they are, and which hosts and origins a browser may reach the worker by.
 *
 * @param mode          {@code KEYS}: the keys below ({@code LABDESK_API_KEYS}, or the desktop's launch key);
 *                      {@code TOKEN}: one key for {@link Principal#LOCAL} generated into {@code {data dir}/token};
 *                      {@code NONE}: every caller is {@link Principal#LOCAL} (loopback only)
 * @param allowedHosts  host names besides loopback ones that {@code Host} may carry ({@code LABDESK_PUBLIC_URL}'s,
 *                      {@code LABDESK_ALLOWED_HOSTS}); {@code *} allows any (a worker behind a proxy that checks it)
 * @param corsOrigins   origins (scheme://host[:port]) other sites' pages may call from ({@code LABDESK_CORS_ORIGINS})
 * @param cookieSecret  signs the browser page's session cookie ({@code LABDESK_SESSION_SECRET}); when absent one is
 *                      kept in the data dir, so each instance signs its own
 */
public record AuthSettings(Mode mode, List<ApiKey> keys, Set<String> allowedHosts, List<String> corsOrigins,
                           Optional<String> cookieSecret) {
    public enum Mode { KEYS, TOKEN, NONE }

    public AuthSettings {
        keys = List.copyOf(keys);
        allowedHosts = Set.copyOf(allowedHosts);
        corsOrigins = List.copyOf(corsOrigins);
        if (mode == Mode.KEYS && keys.isEmpty()) throw new IllegalArgumentException("KEYS mode needs at least one key");
    }

    /** Credentials off: tests and benchmarks on loopback. */
    public static AuthSettings none() {
        return new AuthSettings(Mode.NONE, List.of(), Set.of(), List.of(), Optional.empty());
    }

    /** A generated token in the data dir, as {@code java -jar} with nothing configured. */
    public static AuthSettings token() {
        return new AuthSettings(Mode.TOKEN, List.of(), Set.of(), List.of(), Optional.empty());
    }

    /** Exactly these keys (the desktop's launch key, tests with several principals). */
    public static AuthSettings keys(List<ApiKey> keys) {
        return new AuthSettings(Mode.KEYS, keys, Set.of(), List.of(), Optional.empty());
    }

    public AuthSettings withAllowedHosts(Set<String> hosts) {
        return new AuthSettings(mode, keys, hosts, corsOrigins, cookieSecret);
    }

    public AuthSettings withCorsOrigins(List<String> origins) {
        return new AuthSettings(mode, keys, allowedHosts, origins, cookieSecret);
    }

    @Override
    public String toString() {
        return "AuthSettings[mode=" + mode + ", keys=" + keys + ", allowedHosts=" + allowedHosts + ", corsOrigins=" + corsOrigins
                + ", cookieSecret=" + (cookieSecret.isPresent() ? "(set)" : "(data dir)") + "]";
    }
}
