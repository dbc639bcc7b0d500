/** Where the view models' work runs: the UI thread, background work and timers, injected so tests run them by hand. */
package dev.labdesk.desktop.tasks;
