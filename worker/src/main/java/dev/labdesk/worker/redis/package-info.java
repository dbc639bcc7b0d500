/** Shared Redis infrastructure for several instances: the connection, pub/sub, the stream tail and the 503 for an outage. The stores built on it live beside their interfaces. */
package dev.labdesk.worker.redis;
