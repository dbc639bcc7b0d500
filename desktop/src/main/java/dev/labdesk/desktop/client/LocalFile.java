package dev.labdesk.desktop.client;

import java.nio.file.Path;

/** A file on this computer and the relative path it is uploaded under ({@code plates/day1/a.csv}). */
public record LocalFile(Path path, String relativePath, long size) {}
