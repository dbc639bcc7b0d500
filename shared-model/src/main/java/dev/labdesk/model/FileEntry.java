package dev.labdesk.model;

/** One stored file of a session's volume: its relative path, size in bytes and SHA-256 (hex). */
public record FileEntry(String path, long size, String sha256) {}
