/** Settings: the worker, the key, the user, the theme; kept in a 0600 file. */
package dev.labdesk.desktop.settings;
