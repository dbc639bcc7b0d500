/** The single-worker durable store: the database (WAL, group commit, checkpoints), its schema and migrations, and the composition of the SQLite stores. */
package dev.labdesk.worker.sqlite;
