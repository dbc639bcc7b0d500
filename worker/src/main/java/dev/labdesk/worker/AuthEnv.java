package dev.labdesk.worker;

import dev.labdesk.model.ChatRules;
import dev.labdesk.model.Sha256;
import dev.labdesk.worker.WorkerConfig.ConfigException;
import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import dev.labdesk.worker.auth.Hosts;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads {@link AuthSettings} from the environment; a key's value is never part of an error. */
final class AuthEnv {
    static final int MIN_KEY_LENGTH = 16;

    private AuthEnv() {}

    static AuthSettings read(EnvValues values, String host, Optional<URI> publicUrl) {
        var mode = values.text("LABDESK_AUTH").map(v -> v.toLowerCase(Locale.ROOT)).orElse("");
        var keys = values.text("LABDESK_API_KEYS").map(AuthEnv::keys).orElse(List.of());
        var hosts = new LinkedHashSet<String>();
        publicUrl.ifPresent(u -> hosts.add(u.getHost().toLowerCase(Locale.ROOT)));
        if (!Hosts.isLoopback(host) && !host.equals("0.0.0.0") && !host.equals("::")) hosts.add(host.toLowerCase(Locale.ROOT));
        values.text("LABDESK_ALLOWED_HOSTS").ifPresent(v -> {
            for (var h : v.split(",")) if (!h.isBlank()) hosts.add(h.strip().toLowerCase(Locale.ROOT));
        });
        var origins = values.text("LABDESK_CORS_ORIGINS").map(AuthEnv::origins).orElse(List.of());
        var secret = values.text("LABDESK_SESSION_SECRET");
        if (secret.isPresent() && secret.get().length() < MIN_KEY_LENGTH)
            throw new ConfigException("LABDESK_SESSION_SECRET must be at least " + MIN_KEY_LENGTH + " characters (value not shown)");
        AuthSettings.Mode m;
        switch (mode) {
            case "" -> m = keys.isEmpty() ? AuthSettings.Mode.TOKEN : AuthSettings.Mode.KEYS;
            case "none" -> {
                if (!Hosts.isLoopback(host))
                    throw new ConfigException("LABDESK_AUTH=none is only allowed on a loopback address, but LABDESK_HOST is '" + host
                            + "': set LABDESK_API_KEYS instead, or bind 127.0.0.1");
                m = AuthSettings.Mode.NONE;
            }
            default -> throw new ConfigException("LABDESK_AUTH must be 'none' or unset, got '" + mode + "'");
        }
        return new AuthSettings(m, m == AuthSettings.Mode.KEYS ? keys : List.of(), hosts, origins, secret);
    }

    /** {@code user:key[:admin]} entries, comma-separated; a key is plain or {@code sha256:<64 hex digits>}. */
    static List<ApiKey> keys(String v) {
        var out = new ArrayList<ApiKey>();
        var seen = new HashSet<String>();
        int n = 0;
        for (var raw : v.split(",")) {
            n++;
            var entry = raw.strip();
            if (entry.isEmpty()) continue;
            var where = "LABDESK_API_KEYS entry " + n;
            var parts = entry.split(":", -1);
            if (parts.length < 2) throw new ConfigException(where + " must look like user_id:key[:admin] (value not shown)");
            var user = parts[0];
            if (!ChatRules.validUserId(user))
                throw new ConfigException(where + ": the user id must be 1-" + ChatRules.USER_ID_MAX + " of A-Z a-z 0-9 . _ - (value not shown)");
            byte[] sha;
            int rest;
            if (parts[1].equals("sha256")) {
                if (parts.length < 3 || !parts[2].matches("[0-9a-fA-F]{64}"))
                    throw new ConfigException(where + " (user " + user + "): sha256: must be followed by 64 hexadecimal digits");
                sha = Sha256.parseHex(parts[2]);
                rest = 3;
            } else {
                if (parts[1].length() < MIN_KEY_LENGTH || parts[1].chars().anyMatch(c -> c <= ' ' || c == 127))
                    throw new ConfigException(where + " (user " + user + "): a key must be at least " + MIN_KEY_LENGTH
                            + " printable characters without spaces (value not shown)");
                sha = Sha256.of(parts[1]);
                rest = 2;
            }
            boolean admin = false;
            if (parts.length == rest + 1 && parts[rest].equals("admin")) admin = true;
            else if (parts.length != rest) throw new ConfigException(where + " (user " + user + "): only ':admin' may follow the key");
            var key = new ApiKey(user, sha, admin);
            if (!seen.add(key.sha256Hex())) throw new ConfigException(where + " (user " + user + "): the same key is given twice");
            out.add(key);
        }
        if (out.isEmpty()) throw new ConfigException("LABDESK_API_KEYS is set but holds no user_id:key entry");
        return out;
    }

    private static List<String> origins(String v) {
        var out = new ArrayList<String>();
        for (var raw : v.split(",")) {
            var o = raw.strip();
            if (o.isEmpty()) continue;
            if (!o.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+"))
                throw new ConfigException("LABDESK_CORS_ORIGINS must list origins like https://lab.example.org or http://localhost:5173, got '" + o + "'");
            out.add(o.toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
