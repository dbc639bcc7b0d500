package dev.labdesk.worker;

import dev.labdesk.worker.WorkerConfig.ConfigException;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The environment as the worker reads it, flags folded in: a blank value is unset, and a bad one
 * is a {@link ConfigException} of one line that never shows a secret or a URL's password.
 */
record EnvValues(Map<String, String> values) {
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([kKmMgGtT]?)(i?[bB])?");

    EnvValues {
        values = Map.copyOf(values);
    }

    /** {@code env} with each {@code --name=value} flag over it: {@code --port} is {@code LABDESK_PORT}, {@code --redis-url} is {@code REDIS_URL}. */
    static EnvValues of(Map<String, String> env, List<String> args) {
        var values = new HashMap<String, String>();
        env.forEach((k, v) -> {
            if (k != null && v != null) values.put(k, v);
        });
        for (var arg : args) {
            if (!arg.startsWith("--") || !arg.contains("="))
                throw new ConfigException("unknown argument '" + arg + "': use --name=value, e.g. --port=8000");
            var eq = arg.indexOf('=');
            var key = arg.substring(2, eq).toUpperCase(Locale.ROOT).replace('-', '_');
            values.put(key.startsWith("OPENAI_") || key.startsWith("OTEL_") || key.equals("REDIS_URL") || key.equals("LOGFIRE_TOKEN") ? key : "LABDESK_" + key,
                    arg.substring(eq + 1));
        }
        return new EnvValues(values);
    }

    Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** Whitespace-separated words (a command line). */
    Optional<List<String>> words(String name) {
        return text(name).map(v -> List.of(v.split("\\s+")));
    }

    /** Seconds, or a duration like {@code 500ms}, {@code 90m}, {@code 1h}, {@code 7d}; more than zero. */
    Optional<Duration> duration(String name) {
        return text(name).map(v -> {
            try {
                var d = v.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(v))
                        : v.matches("\\d+[dD]") ? Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)))
                        : v.matches("\\d+ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
                        : Duration.parse("PT" + v.toUpperCase(Locale.ROOT));
                if (!d.isNegative() && !d.isZero()) return d;
            } catch (RuntimeException ignored) {
                // reported below
            }
            throw new ConfigException(name + " must be seconds or a duration like 90m, 1h or 7d, got '" + v + "'");
        });
    }

    /** A byte count: {@code 1048576}, {@code 512M}, {@code 10G}, {@code 2T} (binary units). */
    Optional<Long> bytes(String name) {
        return text(name).map(v -> {
            var m = BYTES.matcher(v);
            if (m.matches()) {
                try {
                    long n = Long.parseLong(m.group(1));
                    int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                        case "K" -> 10; case "M" -> 20; case "G" -> 30; case "T" -> 40; default -> 0;
                    };
                    if (n > 0 && n <= (Long.MAX_VALUE >> shift)) return n << shift;
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
            throw new ConfigException(name + " must be a number of bytes like 1073741824, 512M or 10G, got '" + v + "'");
        });
    }

    /** A whole number of at least {@code min}. */
    Optional<Integer> count(String name, int min) {
        return text(name).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= min) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new ConfigException(name + " must be a whole number ≥ " + min + ", got '" + v + "'");
        });
    }

    Optional<Integer> port(String name) {
        return text(name).map(v -> {
            try {
                int port = Integer.parseInt(v);
                if (port >= 0 && port <= 65535) return port;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new ConfigException(name + " must be a port number from 0 to 65535, got '" + v + "'");
        });
    }

    Optional<URI> httpUrl(String name) {
        return text(name).map(v -> httpUrl(name, v));
    }

    /** An OTLP base endpoint: the traces path is added to it. */
    Optional<URI> otlpBase(String name) {
        return text(name).map(v -> httpUrl(name, v.replaceAll("/+$", "") + "/v1/traces"));
    }

    private static URI httpUrl(String name, String v) {
        try {
            var uri = URI.create(v);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new ConfigException(name + " must be an http:// or https:// URL" + (v.contains("@") ? " (value not shown: it may hold a password)" : ", got '" + v + "'"));
    }

    Optional<URI> redisUrl(String name) {
        return text(name).map(v -> {
            try {
                var uri = URI.create(v);
                if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) return uri;
            } catch (IllegalArgumentException ignored) {
                // reported below; the URL may hold a password, so it is not echoed
            }
            throw new ConfigException(name + " must look like redis://[:password@]host[:port][/db] (value not shown: it may hold a password)");
        });
    }

    /** A token or key: no spaces or control characters. */
    Optional<String> secret(String name) {
        return text(name).map(v -> {
            if (v.chars().anyMatch(ch -> Character.isWhitespace(ch) || Character.isISOControl(ch)))
                throw new ConfigException(name + " is malformed: it contains spaces or control characters (value not shown)");
            return v;
        });
    }

    /** One of the enum's constants, by name in any case. */
    <E extends Enum<E>> Optional<E> choice(String name, Class<E> type) {
        return text(name).map(v -> {
            for (var c : type.getEnumConstants()) if (c.name().equalsIgnoreCase(v)) return c;
            var names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            throw new ConfigException(name + " must be one of " + String.join(", ", names) + ", got '" + v + "'");
        });
    }

    /** The OpenTelemetry format: {@code key=value,key2=value2}, values URL-encoded; values are never echoed. */
    Map<String, String> otlpHeaders(String name) {
        var out = new HashMap<String, String>();
        text(name).ifPresent(v -> {
            for (var pair : v.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new ConfigException(name + " must look like key=value,key2=value2 (value not shown)");
                out.put(pair.substring(0, eq).strip(), URLDecoder.decode(pair.substring(eq + 1).strip(), StandardCharsets.UTF_8));
            }
        });
        return out;
    }

    /** So that a record's default string form can never print the environment's secrets. */
    @Override
    public String toString() {
        return "EnvValues" + values.keySet();
    }
}
