/** Structured profiles from conversations ({@code POST /extract-profile}): a model's or the offline extractor, merged field by field with their sources. */
package dev.labdesk.worker.chat.profile;
