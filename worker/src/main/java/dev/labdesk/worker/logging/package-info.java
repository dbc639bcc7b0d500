/** Console logging configuration for the worker and its agents. */
package dev.labdesk.worker.logging;
