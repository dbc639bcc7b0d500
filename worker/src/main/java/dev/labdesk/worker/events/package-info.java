/**
 * Session events and their stores (memory, SQLite, Redis): numbered, kept per session, replayed from any
 * sequence number. Log ingest is in {@code events.ingest}, the live log over SSE in {@code events.stream}.
 */
package dev.labdesk.worker.events;
