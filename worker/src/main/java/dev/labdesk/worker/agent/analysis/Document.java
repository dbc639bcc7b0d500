package dev.labdesk.worker.agent.analysis;

import java.util.List;

/** A JSON file that is not a table (GeoJSON, TopoJSON, one nested object): listed with its top-level keys, not profiled. */
public record Document(String path, FileFormat format, String kind, List<String> keys) {
    public Document {
        keys = List.copyOf(keys);
    }
}
