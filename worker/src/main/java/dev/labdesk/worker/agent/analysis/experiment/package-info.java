/** The experiment offline: reading the hypothesis, finding its columns, testing the groups, the verdict and its charts. */
package dev.labdesk.worker.agent.analysis.experiment;
