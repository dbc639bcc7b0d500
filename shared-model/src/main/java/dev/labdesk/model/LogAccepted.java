package dev.labdesk.model;

/** {@code POST /log}'s answer (202): how many records of the post were appended to the session's events. */
public record LogAccepted(int accepted) {}
