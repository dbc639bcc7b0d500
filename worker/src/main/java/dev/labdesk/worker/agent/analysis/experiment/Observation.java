package dev.labdesk.worker.agent.analysis.experiment;

/** One row of the chosen table as the test reads it: its group, replicate (null without one), time (NaN without one) and measured value. */
record Observation(String group, String replicate, double time, double value) {}
