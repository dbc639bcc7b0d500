/** Sessions: their stores (memory, SQLite, Redis), the service that opens, runs, cancels and recovers them, and their routes. */
package dev.labdesk.worker.session;
