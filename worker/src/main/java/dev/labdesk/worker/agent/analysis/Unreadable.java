package dev.labdesk.worker.agent.analysis;

/** A file that looked like a table but DuckDB could not read, and DuckDB's reason. */
public record Unreadable(String path, FileFormat format, String reason) {}
