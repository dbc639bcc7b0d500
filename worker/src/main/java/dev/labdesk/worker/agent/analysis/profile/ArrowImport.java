package dev.labdesk.worker.agent.analysis.profile;

import java.util.Arrays;
import org.apache.arrow.vector.types.pojo.ArrowType;
import java.util.stream.IntStream;
import org.apache.arrow.memory.OutOfMemoryException;

import dev.labdesk.worker.agent.analysis.progress.TableProgress;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An Arrow IPC file ({@code .arrow}, Feather v2) or stream, copied into a DuckDB table one record
 * batch at a time with DuckDB's appender, so memory holds one batch whatever the file's size. Types
 * map as {@link ArrowColumn} says; dictionary-encoded columns are stored as their values.
 */
final class ArrowImport {
    /** One record batch must fit; a larger one is refused with a reason rather than taking the agent's memory. */
    static final long BATCH_MEMORY = 256L << 20;
    private static final byte[] FILE_MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

    /** The file is not something this reads, and why (for the report). */
    static final class NotArrow extends Exception {
        NotArrow(String reason) {
            super(reason);
        }
    }

    record Imported(long rows, List<String> notes) {}

    private ArrowImport() {}

    static Imported into(Connection db, Path file, String table, TableProgress progress) throws NotArrow, IOException, SQLException {
        try (var channel = FileChannel.open(file, StandardOpenOption.READ); var allocator = new RootAllocator(BATCH_MEMORY)) {
            long size = channel.size();
            var kind = kind(channel);
            channel.position(0);
            try (ArrowReader reader = kind == Kind.FILE ? new ArrowFileReader(channel, allocator) : new ArrowStreamReader(channel, allocator)) {
                return copy(db, reader, table, () -> progress.within(size == 0 ? 1 : (double) position(channel) / size));
            } catch (IOException | RuntimeException e) {
                if (e instanceof OutOfMemoryException)
                    throw new NotArrow("not read: one record batch needs more than " + (BATCH_MEMORY >> 20) + " MB; re-save the file with smaller batches");
                throw new NotArrow("not read: not a readable Arrow " + (kind == Kind.FILE ? "file" : "IPC stream") + " ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
    }

    private enum Kind { FILE, STREAM }

    /** By its first bytes: the Arrow file magic, else a stream; Feather v1 and Parquet are named, not misread. */
    private static Kind kind(FileChannel channel) throws IOException, NotArrow {
        var head = ByteBuffer.allocate(8);
        while (head.hasRemaining() && channel.read(head) > 0) { }
        head.flip();
        var bytes = new byte[head.remaining()];
        head.get(bytes);
        if (bytes.length == 0) throw new NotArrow("not read: the file is empty");
        var text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.startsWith("FEA1")) throw new NotArrow("not read: Feather v1 (old format); re-save with pyarrow as Feather v2");
        if (text.startsWith("PAR1")) throw new NotArrow("not read: this is a Parquet file with an Arrow name; rename it to .parquet");
        if (bytes.length >= FILE_MAGIC.length && Arrays.equals(bytes, 0, FILE_MAGIC.length, FILE_MAGIC, 0, FILE_MAGIC.length))
            return Kind.FILE;
        return Kind.STREAM;
    }

    private static long position(FileChannel channel) {
        try {
            return channel.position();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Imported copy(Connection db, ArrowReader reader, String table, Runnable batchRead) throws IOException, SQLException, NotArrow {
        var root = reader.getVectorSchemaRoot();
        var fields = root.getSchema().getFields();
        if (fields.isEmpty()) throw new NotArrow("not read: the Arrow file has no columns");
        var columns = new ArrayList<ArrowColumn>();
        for (var f : fields) columns.add(ArrowColumn.of(valueType(reader, f)));
        Sql.run(db, "CREATE TABLE " + table + " (" + IntStream.range(0, fields.size())
                .mapToObj(i -> Sql.id(fields.get(i).getName()) + " " + columns.get(i).sqlType()).collect(Collectors.joining(", ")) + ")");
        long rows = 0;
        try (DuckDBAppender appender = db.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            while (reader.loadNextBatch()) {
                var vectors = new ArrayList<FieldVector>(fields.size());
                var decode = new ArrayList<FieldVector>(fields.size()); // a dictionary column's values, else null
                for (int c = 0; c < fields.size(); c++) {
                    vectors.add(root.getVector(c));
                    decode.add(dictionary(reader, fields.get(c)).map(Dictionary::getVector).orElse(null));
                }
                int n = root.getRowCount();
                for (int r = 0; r < n; r++) {
                    appender.beginRow();
                    for (int c = 0; c < vectors.size(); c++) {
                        var v = vectors.get(c);
                        if (v.isNull(r)) {
                            appender.appendNull();
                            continue;
                        }
                        var values = decode.get(c);
                        if (values == null) columns.get(c).writer().append(appender, v, r);
                        else {
                            int at = (int) ((BaseIntVector) v).getValueAsLong(r);
                            if (values.isNull(at)) appender.appendNull();
                            else columns.get(c).writer().append(appender, values, at);
                        }
                    }
                    appender.endRow();
                }
                rows += n;
                batchRead.run();
            }
        }
        var notes = new ArrayList<String>();
        var text = IntStream.range(0, fields.size()).filter(i -> columns.get(i).asText()).mapToObj(i -> fields.get(i).getName()).toList();
        if (!text.isEmpty()) notes.add("Arrow columns of nested or binary types profiled as text: " + String.join(", ", text));
        return new Imported(rows, notes);
    }

    /** The type of a column's values: a dictionary-encoded column's dictionary type, else its own. */
    private static ArrowType valueType(ArrowReader reader, Field f) throws IOException {
        var encoding = f.getDictionary();
        if (encoding == null) return f.getType();
        var dict = reader.getDictionaryVectors().get(encoding.getId());
        return dict == null ? f.getType() : dict.getVectorType();
    }

    private static Optional<Dictionary> dictionary(ArrowReader reader, Field f) throws IOException {
        var encoding = f.getDictionary();
        return encoding == null ? Optional.empty() : Optional.ofNullable(reader.getDictionaryVectors().get(encoding.getId()));
    }
}
