/** Who writes a reply: a model through an OpenAI-compatible API, or the offline interview that needs none. */
package dev.labdesk.worker.chat.agents;
