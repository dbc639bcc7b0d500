/** The live log, {@code GET /sessions/{id}/events} over SSE: frames, resume by {@code Last-Event-ID}, subscriber caps, dead clients. */
package dev.labdesk.worker.events.stream;
