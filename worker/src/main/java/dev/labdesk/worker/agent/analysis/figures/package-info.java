/** The report's charts (JFreeChart, SVG and PNG): one style, safe names, the profile's figures. */
package dev.labdesk.worker.agent.analysis.figures;
