package dev.labdesk.worker.testing;

import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Arrow IPC files and streams written by arrow-java itself: a plate table of {@link #BATCHES} record
 * batches with ints, doubles, booleans, dates, UTC timestamps, decimals, longs and a dictionary-encoded
 * strain column, with nulls in several columns.
 */
public final class ArrowFixtures {
    public static final int BATCHES = 5, PER_BATCH = 1_000;
    public static final String[] STRAINS = {"wt", "dlacZ", "dompF"};

    private ArrowFixtures() {}

    /** Row {@code i}'s od600 (null when {@code i % 7 == 0}). */
    public static double od(int i) {
        return 0.05 + (i % 500) / 1000.0;
    }

    /** BATCHES record batches; the strain column dictionary-encoded. */
    public static void write(Path file, boolean stream) throws Exception {
        try (var allocator = new RootAllocator()) {
            var strains = new VarCharVector("strain-dictionary", allocator);
            strains.allocateNew();
            for (int i = 0; i < STRAINS.length; i++) strains.setSafe(i, STRAINS[i].getBytes(StandardCharsets.UTF_8));
            strains.setValueCount(STRAINS.length);
            var encoding = new DictionaryEncoding(1L, false, new ArrowType.Int(32, true));
            var provider = new DictionaryProvider.MapDictionaryProvider();
            provider.put(new Dictionary(strains, encoding));

            var well = new VarCharVector("well", allocator);
            var hour = new IntVector("hour", allocator);
            var od = new Float8Vector("od600", allocator);
            var grown = new BitVector("grown", allocator);
            var day = new DateDayVector("day", allocator);
            var at = new TimeStampMicroTZVector("at", allocator, "UTC");
            var dose = new DecimalVector("dose", allocator, 6, 2);
            var reads = new BigIntVector("reads", allocator);
            List<FieldVector> vectors = new ArrayList<>(List.of(well, hour, od, grown, day, at, dose));
            // the encoded column's vector, made once for the schema; refilled per batch below
            FieldVector strain = new Field("strain",
                    new FieldType(true, new ArrowType.Int(32, true), encoding), null).createVector(allocator);
            vectors.add(strain);
            vectors.add(reads);
            try (var root = new VectorSchemaRoot(vectors); var out = Files.newOutputStream(file)) {
                var writer = stream ? new ArrowStreamWriter(root, provider, Channels.newChannel(out))
                        : new ArrowFileWriter(root, provider, Channels.newChannel(out));
                try (writer) {
                    writer.start();
                    for (int b = 0; b < BATCHES; b++) {
                        root.allocateNew();
                        for (int r = 0; r < PER_BATCH; r++) {
                            int i = b * PER_BATCH + r;
                            well.setSafe(r, ("ABCDEFGH".charAt(i % 96 / 12) + String.valueOf(i % 12 + 1)).getBytes(StandardCharsets.UTF_8));
                            if (i % 10 == 0) hour.setNull(r); else hour.setSafe(r, i % 72 + 1);
                            if (i % 7 == 0) od.setNull(r); else od.setSafe(r, od(i));
                            grown.setSafe(r, i % 2);
                            day.setSafe(r, (int) LocalDate.of(2026, 1, 1).plusDays(i % 100).toEpochDay());
                            at.setSafe(r, 1_767_225_600_000_000L + i * 60_000_000L);
                            dose.setSafe(r, new BigDecimal(String.format(java.util.Locale.ROOT, "%d.%02d", i % 10, i % 100)));
                            if (i % 11 == 0) ((IntVector) strain).setNull(r); else ((IntVector) strain).setSafe(r, i % 3);
                            reads.setSafe(r, 1_000_000_000_000L + i);
                        }
                        root.setRowCount(PER_BATCH);
                        writer.writeBatch();
                    }
                    writer.end();
                }
            }
            strains.close();
        }
    }
}
