/**
 * The chat over {@code WS /chat/{user_id}} and {@code POST /extract-profile}: frames read and written,
 * replies queued per user and written by an agent (a model or the offline interview), conversations and
 * profiles stored, and what is said relayed to every socket of the user.
 */
package dev.labdesk.worker.chat;
