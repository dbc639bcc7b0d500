/** Conversations and profiles kept per user: in memory, in SQLite (the durable default) or in Redis (several instances). */
package dev.labdesk.worker.chat.store;
