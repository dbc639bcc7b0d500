/** Modal: volumes and sandboxes through the Python bridge, as the SDK behaves. */
package dev.labdesk.worker.modal;
