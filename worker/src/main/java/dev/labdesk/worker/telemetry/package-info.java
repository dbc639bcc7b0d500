/** Traces over OTLP (Logfire): spans around uploads, agent runs and chat turns. */
package dev.labdesk.worker.telemetry;
