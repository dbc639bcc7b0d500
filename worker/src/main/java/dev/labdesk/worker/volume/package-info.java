/** Per-session volumes: local directories or Modal volumes behind one interface. */
package dev.labdesk.worker.volume;
