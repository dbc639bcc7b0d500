/** The live log pane: its view model (bounded lines, filter, save) and its virtualized view. */
package dev.labdesk.desktop.log;
