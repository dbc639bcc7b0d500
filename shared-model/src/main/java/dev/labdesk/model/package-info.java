/** The wire contract between the worker, the desktop app, the browser page and agents. */
package dev.labdesk.model;
