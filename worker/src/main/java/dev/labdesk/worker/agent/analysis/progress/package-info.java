/** Progress events while the agent works: table i of n, the profile's stage, DuckDB's own query progress. */
package dev.labdesk.worker.agent.analysis.progress;
