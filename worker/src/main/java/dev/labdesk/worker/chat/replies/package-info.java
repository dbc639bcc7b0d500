/** A chat turn answered: each user's messages queued in order, the agent's reply streamed and stored, errors turned into frames. */
package dev.labdesk.worker.chat.replies;
