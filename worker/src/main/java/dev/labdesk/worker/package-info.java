/** The headless worker: its start ({@code WorkerMain}, {@code Worker}), configuration, and the composition root ({@code Stores}) that picks the SQLite, Redis or in-memory implementations. */
package dev.labdesk.worker;
