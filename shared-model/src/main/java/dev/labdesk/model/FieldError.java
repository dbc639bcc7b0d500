package dev.labdesk.model;

/** One validation failure, named by the wire field it concerns (`name`, `files[3]`, `parameters.temp`). */
public record FieldError(String field, String message) {}
