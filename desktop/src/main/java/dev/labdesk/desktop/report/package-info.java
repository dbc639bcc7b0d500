/** The report tab: the agent's Markdown with its figures. */
package dev.labdesk.desktop.report;
