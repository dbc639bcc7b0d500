/** Talking to a worker: HTTP, the live log (SSE), the chat (WebSocket) and resumable uploads (tus), behind {@code WorkerApi}. */
package dev.labdesk.desktop.client;
