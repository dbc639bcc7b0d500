/** The exact profile of one table with DuckDB: reading, typing, missing tokens, column and table statistics. */
package dev.labdesk.worker.agent.analysis.profile;
