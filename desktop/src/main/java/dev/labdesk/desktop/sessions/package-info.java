/** The sessions list, the open session (its events, report, cancel) and its progress bar. */
package dev.labdesk.desktop.sessions;
