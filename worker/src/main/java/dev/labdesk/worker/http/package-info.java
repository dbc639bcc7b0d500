/** HTTP plumbing shared by every feature: the front door, problem+json, the page and health routes. */
package dev.labdesk.worker.http;
