/** Session events: their stores (memory, SQLite, Redis), the agents' log sink ({@code POST /log}) and the live log over SSE. */
package dev.labdesk.worker.events;
