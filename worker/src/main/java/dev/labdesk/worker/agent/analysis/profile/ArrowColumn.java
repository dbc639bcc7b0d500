package dev.labdesk.worker.agent.analysis.profile;

import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.duckdb.DuckDBAppender;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalTime;
import java.util.HexFormat;

/**
 * How one Arrow column becomes a DuckDB column: its SQL type and how a value is appended. Plain
 * types keep their type; binary values become hex text; nested and other kinds become their text
 * (lists and structs as JSON), so every column is profiled, the odd ones as text.
 */
record ArrowColumn(String sqlType, Writer writer, boolean asText) {
    @FunctionalInterface
    interface Writer {
        void append(DuckDBAppender to, FieldVector from, int row) throws SQLException;
    }

    static ArrowColumn of(ArrowType type) {
        return switch (type) {
            case ArrowType.Null _ -> new ArrowColumn("VARCHAR", (a, v, r) -> a.appendNull(), false);
            case ArrowType.Int i when i.getIsSigned() -> switch (i.getBitWidth()) {
                case 8 -> plain("TINYINT", (a, v, r) -> a.append((byte) ((BaseIntVector) v).getValueAsLong(r)));
                case 16 -> plain("SMALLINT", (a, v, r) -> a.append((short) ((BaseIntVector) v).getValueAsLong(r)));
                case 32 -> plain("INTEGER", (a, v, r) -> a.append((int) ((BaseIntVector) v).getValueAsLong(r)));
                default -> plain("BIGINT", (a, v, r) -> a.append(((BaseIntVector) v).getValueAsLong(r)));
            };
            // unsigned: the next wider signed type holds every value
            case ArrowType.Int i -> switch (i.getBitWidth()) {
                case 8 -> plain("SMALLINT", (a, v, r) -> a.append((short) ((BaseIntVector) v).getValueAsLong(r)));
                case 16 -> plain("INTEGER", (a, v, r) -> a.append((int) ((BaseIntVector) v).getValueAsLong(r)));
                case 32 -> plain("BIGINT", (a, v, r) -> a.append(((BaseIntVector) v).getValueAsLong(r)));
                default -> plain("HUGEINT", (a, v, r) -> a.append(((UInt8Vector) v).getObjectNoOverflow(r)));
            };
            case ArrowType.FloatingPoint _ -> plain("DOUBLE", (a, v, r) -> a.append(((FloatingPointVector) v).getValueAsDouble(r)));
            case ArrowType.Bool _ -> plain("BOOLEAN", (a, v, r) -> a.append(((BitVector) v).get(r) != 0));
            case ArrowType.Utf8 _, ArrowType.LargeUtf8 _, ArrowType.Utf8View _ ->
                    plain("VARCHAR", (a, v, r) -> a.append(v.getObject(r).toString()));
            case ArrowType.Binary _, ArrowType.LargeBinary _, ArrowType.FixedSizeBinary _, ArrowType.BinaryView _ ->
                    new ArrowColumn("VARCHAR", (a, v, r) -> a.append(HexFormat.of().formatHex((byte[]) v.getObject(r))), true);
            case ArrowType.Decimal d when d.getPrecision() <= 38 ->
                    plain("DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")", (a, v, r) -> a.append((BigDecimal) v.getObject(r)));
            case ArrowType.Decimal _ -> plain("DOUBLE", (a, v, r) -> a.append(((BigDecimal) v.getObject(r)).doubleValue()));
            case ArrowType.Date d when d.getUnit() == DateUnit.DAY -> plain("DATE", (a, v, r) -> a.appendEpochDays(((DateDayVector) v).get(r)));
            case ArrowType.Date _ -> plain("TIMESTAMP", (a, v, r) -> a.appendEpochMillis(((DateMilliVector) v).get(r)));
            case ArrowType.Timestamp t -> plain(t.getTimezone() == null ? "TIMESTAMP" : "TIMESTAMPTZ", timestamp(t.getUnit()));
            case ArrowType.Time t -> plain("TIME", (a, v, r) -> a.append(LocalTime.ofNanoOfDay(nanosOfDay(t.getUnit(), v, r))));
            default -> new ArrowColumn("VARCHAR", (a, v, r) -> a.append(String.valueOf(v.getObject(r))), true);
        };
    }

    private static ArrowColumn plain(String sqlType, Writer writer) {
        return new ArrowColumn(sqlType, writer, false);
    }

    private static Writer timestamp(TimeUnit unit) {
        return switch (unit) {
            case SECOND -> (a, v, r) -> a.appendEpochSeconds(((TimeStampVector) v).get(r));
            case MILLISECOND -> (a, v, r) -> a.appendEpochMillis(((TimeStampVector) v).get(r));
            case MICROSECOND -> (a, v, r) -> a.appendEpochMicros(((TimeStampVector) v).get(r));
            case NANOSECOND -> (a, v, r) -> a.appendEpochNanos(((TimeStampVector) v).get(r));
        };
    }

    private static long nanosOfDay(TimeUnit unit, FieldVector v, int r) {
        return switch (unit) {
            case SECOND -> ((TimeSecVector) v).get(r) * 1_000_000_000L;
            case MILLISECOND -> ((TimeMilliVector) v).get(r) * 1_000_000L;
            case MICROSECOND -> ((TimeMicroVector) v).get(r) * 1_000L;
            case NANOSECOND -> ((TimeNanoVector) v).get(r);
        };
    }
}
