/** The drop zone, the experiment form and the upload: view model and view. */
package dev.labdesk.desktop.upload;
