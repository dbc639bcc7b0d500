package dev.labdesk.worker.agent.analysis;

import java.util.List;

/** What profiling one file gave: its tables (an .xlsx file has one per sheet), a document that is not a table, or why it was not read. */
public sealed interface FileOutcome {
    record Tables(List<TableProfile> tables) implements FileOutcome {
        public Tables {
            tables = List.copyOf(tables);
        }
    }

    record NotTable(Document document) implements FileOutcome {}

    record NotRead(String reason) implements FileOutcome {}
}
