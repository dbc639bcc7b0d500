/** The JavaFX desktop app: its entry point. */
package dev.labdesk.desktop;
