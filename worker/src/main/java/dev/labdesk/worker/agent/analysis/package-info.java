/** What the agent reads and writes: the inventory of files, each table's profile, and the report (Markdown and JSON). */
package dev.labdesk.worker.agent.analysis;
