/** The OpenAI-compatible client shared by the chat and the dataset agent. */
package dev.labdesk.worker.llm;
