/** The main window, its menus and banner, and the view model that ties the others together. */
package dev.labdesk.desktop.shell;
