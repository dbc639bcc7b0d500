/**
 * The chat over {@code WS /chat/{user_id}} and {@code POST /extract-profile}; {@link dev.labdesk.worker.chat.ChatModule}
 * wires its parts: {@code transport} (sockets, frames, relay between instances), {@code replies} (a turn
 * answered: per-user queue, reply written), {@code agents} (model or offline interview), {@code profile}
 * (extraction and merge), {@code store} (conversations in memory, SQLite or Redis).
 */
package dev.labdesk.worker.chat;
