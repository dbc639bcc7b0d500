package dev.labdesk.model;

/** The 202 answer to {@code POST /upload}. */
public record UploadAccepted(String sessionId, String volume, String streamUrl, int files, long bytes) {}
