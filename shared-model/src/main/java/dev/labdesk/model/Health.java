package dev.labdesk.model;

import java.util.Map;

/** {@code GET /health}: overall status and one entry per dependency. Never carries a secret. */
public record Health(String status, String version, Map<String, Dependency> dependencies) {
    /** {@code status} is ok, down or disabled; {@code detail} says which implementation or why it is down. */
    public record Dependency(String status, String detail) {}
}
