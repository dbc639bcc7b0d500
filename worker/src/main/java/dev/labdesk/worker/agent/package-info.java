/** The dataset-analysis agent: launching and supervising its process (worker side) and its main, its log sink and its run (agent side). */
package dev.labdesk.worker.agent;
