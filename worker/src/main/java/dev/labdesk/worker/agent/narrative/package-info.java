/** With a model: the narrator and its read-only tools ({@code query}, {@code chart}) over the session's tables. */
package dev.labdesk.worker.agent.narrative;
