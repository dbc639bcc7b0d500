package dev.labdesk.worker.agent.analysis.profile;

import com.fasterxml.jackson.core.JsonProcessingException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Whether a .json file is a document rather than a table: a top-level object holding nested
 * objects or arrays (GeoJSON, TopoJSON, a settings file). Streams over the top level only; an array
 * of records, or a flat object (one row), is a table.
 */
public final class JsonShape {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int MAX_KEYS = 50;

    private JsonShape() {}

    /** The document's kind and top-level keys, or empty when DuckDB should read the file as a table. */
    public static Optional<Shape> document(Path file) throws IOException {
        try (InputStream in = open(file); var p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty();
            var keys = new ArrayList<String>();
            boolean nested = false;
            String type = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                var key = p.currentName();
                if (keys.size() < MAX_KEYS) keys.add(key);
                var value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    nested = true;
                    p.skipChildren();
                } else if (key.equals("type") && value == JsonToken.VALUE_STRING) {
                    type = p.getText();
                }
            }
            if (!nested) return Optional.empty();
            return Optional.of(new Shape(kind(type, keys), keys));
        } catch (StreamConstraintsException e) {
            return Optional.empty(); // too deep for a parser: the depth guard lists it
        } catch (JsonProcessingException e) {
            return Optional.empty(); // malformed: DuckDB says where
        }
    }

    public record Shape(String kind, List<String> keys) {}

    private static String kind(String type, List<String> keys) {
        if ("Topology".equals(type)) return "TopoJSON";
        if (type != null && List.of("FeatureCollection", "Feature", "GeometryCollection", "Point", "MultiPoint", "LineString",
                "MultiLineString", "Polygon", "MultiPolygon").contains(type)) return "GeoJSON";
        return "JSON object";
    }

    private static InputStream open(Path file) throws IOException {
        var raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
