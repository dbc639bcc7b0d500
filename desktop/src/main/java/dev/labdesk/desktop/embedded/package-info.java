/** The worker started inside the app on 127.0.0.1 with a launch key, and the app's data folder. */
package dev.labdesk.desktop.embedded;
