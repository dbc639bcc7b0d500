package dev.labdesk.desktop.client;

import java.net.URI;
import java.util.Optional;

/**
 * Where the worker is and how to get past a Modal proxy-auth gate: a deployed worker behind
 * Modal's proxy auth wants {@code Modal-Key} and {@code Modal-Secret} on every request.
 */
public record WorkerAddress(URI baseUrl, Optional<String> modalKey, Optional<String> modalSecret) {
    public WorkerAddress {
        var s = baseUrl.toString();
        if (s.endsWith("/")) baseUrl = URI.create(s.substring(0, s.length() - 1));
        modalKey = modalKey.filter(k -> !k.isBlank());
        modalSecret = modalSecret.filter(k -> !k.isBlank());
    }

    public static WorkerAddress of(URI baseUrl) {
        return new WorkerAddress(baseUrl, Optional.empty(), Optional.empty());
    }

    public URI resolve(String path) {
        return URI.create(baseUrl + path);
    }

    /** The same address as a WebSocket URL ({@code ws://} or {@code wss://}). */
    public URI websocket(String path) {
        var http = resolve(path).toString();
        return URI.create(http.startsWith("https://") ? "wss://" + http.substring(8) : "ws://" + http.substring(7));
    }
}
