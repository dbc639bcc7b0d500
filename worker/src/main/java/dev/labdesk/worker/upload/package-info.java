/** Uploads: the multipart intake streamed to disk, resumable (tus) uploads and their pending state, budgets and bounds. */
package dev.labdesk.worker.upload;
