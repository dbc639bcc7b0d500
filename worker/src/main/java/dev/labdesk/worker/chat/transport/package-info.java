/** Chat sockets: the WebSocket route, frames read and written, pings, and the relay of frames to every socket of a user (in memory or across instances through Redis streams). */
package dev.labdesk.worker.chat.transport;
