/**
 * The agents' log sink, {@code POST /log}: run tokens checked, Python logging's form posts and JSON batches
 * parsed into records, batch idempotency keys kept (memory, SQLite, Redis), records appended to the event log.
 */
package dev.labdesk.worker.events.ingest;
