package dev.labdesk.desktop.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where the worker is and how to prove who we are: the worker's own key ({@code Authorization:
 * Bearer}, the embedded worker's launch key or the one from Settings), and for a deployed worker
 * behind Modal's proxy auth, {@code Modal-Key} and {@code Modal-Secret} on every request as well.
 * {@code toString} names the URL only, so an address in a message or a log never shows a secret.
 */
public record WorkerAddress(URI baseUrl, Optional<String> apiKey, Optional<String> modalKey, Optional<String> modalSecret) {
    public WorkerAddress {
        var s = baseUrl.toString();
        if (s.endsWith("/")) baseUrl = URI.create(s.substring(0, s.length() - 1));
        apiKey = apiKey.map(String::strip).filter(k -> !k.isEmpty());
        modalKey = modalKey.filter(k -> !k.isBlank());
        modalSecret = modalSecret.filter(k -> !k.isBlank());
    }

    public static WorkerAddress of(URI baseUrl) {
        return new WorkerAddress(baseUrl, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A worker that wants this key as a bearer token. */
    public static WorkerAddress of(URI baseUrl, String apiKey) {
        return new WorkerAddress(baseUrl, Optional.of(apiKey), Optional.empty(), Optional.empty());
    }

    public URI resolve(String path) {
        return URI.create(baseUrl + path);
    }

    /** The same address as a WebSocket URL ({@code ws://} or {@code wss://}). */
    public URI websocket(String path) {
        var http = resolve(path).toString();
        return URI.create(http.startsWith("https://") ? "wss://" + http.substring(8) : "ws://" + http.substring(7));
    }

    /**
     * The worker's page, signed in: the worker trades {@code ?token=} for a session cookie and
     * redirects to {@code /}, so the key leaves the address bar at once.
     */
    public URI pageUrl() {
        return resolve(apiKey.map(k -> "/?token=" + URLEncoder.encode(k, StandardCharsets.UTF_8)).orElse("/"));
    }

    @Override
    public String toString() {
        return "WorkerAddress[" + baseUrl + (apiKey.isPresent() ? ", key set" : "") + (modalKey.isPresent() ? ", Modal key set" : "") + "]";
    }
}
