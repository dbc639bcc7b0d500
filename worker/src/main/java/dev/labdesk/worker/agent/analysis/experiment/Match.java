package dev.labdesk.worker.agent.analysis.experiment;

/** A column the hypothesis was read as referring to: its role (group, measure, time, replicate) and why, in words. */
public record Match(String role, String column, String reason) {}
