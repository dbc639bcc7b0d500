/** Small JavaFX helpers: Markdown as nodes, the UI queue that batches work per pulse. */
package dev.labdesk.desktop.fx;
