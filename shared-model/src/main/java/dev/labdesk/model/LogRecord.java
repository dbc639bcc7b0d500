package dev.labdesk.model;

import java.time.Instant;

/** One log record as an agent posts it to {@code POST /log} (JSON form). */
public record LogRecord(String level, String logger, String message, Instant time) {}
