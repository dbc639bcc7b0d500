package dev.labdesk.worker.agent.analysis.profile;

import java.io.UncheckedIOException;

import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.parsers.ParserConfigurationException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sheets of an .xlsx workbook as CSV files in the scratch directory, read as a stream of rows
 * with Apache POI's event reader (a large sheet never sits in memory). Numbers keep their full
 * value (not the cell's display format), dates become ISO text; rows are padded to the widest one.
 */
public final class XlsxSheets {
    public record Sheet(String name, Path csv, long rows) {}

    private XlsxSheets() {}

    public static List<Sheet> convert(Path xlsx, Path scratch) throws IOException {
        var sheets = new ArrayList<Sheet>();
        try (var pkg = OPCPackage.open(xlsx.toFile(), PackageAccess.READ)) {
            var reader = new XSSFReader(pkg);
            var strings = new ReadOnlySharedStringsTable(pkg);
            var styles = reader.getStylesTable();
            var it = (XSSFReader.SheetIterator) reader.getSheetsData();
            int n = 0;
            while (it.hasNext()) {
                try (var in = it.next()) {
                    var name = it.getSheetName();
                    var rowsFile = Files.createTempFile(scratch, "sheet-" + (++n) + "-", ".rows");
                    var rows = new RowsWriter(rowsFile);
                    try (rows) {
                        var parser = XMLHelper.newXMLReader();
                        parser.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, rows, new RawFormatter(), false));
                        parser.parse(new InputSource(in));
                    }
                    sheets.add(new Sheet(name, rows.padded(scratch, n), rows.count));
                    Files.deleteIfExists(rowsFile);
                }
            }
        } catch (OpenXML4JException | SAXException | ParserConfigurationException | RuntimeException e) {
            throw new IOException("not a readable .xlsx workbook (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        return sheets;
    }

    /** Cell values as data, not as displayed: full-precision numbers, ISO dates. */
    private static final class RawFormatter extends DataFormatter {
        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                var t = DateUtil.getLocalDateTime(value, use1904Windowing, true);
                return t.toLocalTime().toSecondOfDay() == 0 ? t.toLocalDate().toString() : t.toString().replace('T', ' ');
            }
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }

    /** Writes each row as CSV fields, its cells placed by column letter; remembers the widest row. */
    private static final class RowsWriter implements XSSFSheetXMLHandler.SheetContentsHandler, AutoCloseable {
        private final BufferedWriter out;
        private final Path file;
        private final List<String> row = new ArrayList<>();
        int width;
        long count;

        RowsWriter(Path file) throws IOException {
            this.file = file;
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        @Override
        public void startRow(int rowNum) {
            row.clear();
        }

        @Override
        public void endRow(int rowNum) {
            width = Math.max(width, row.size());
            try {
                out.write(String.join(",", row));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            count++;
        }

        @Override
        public void cell(String ref, String value, XSSFComment comment) {
            int col = ref == null ? row.size() : new CellReference(ref).getCol();
            while (row.size() < col) row.add("");
            // line breaks inside a cell become spaces: the padding pass reads the rows back line by line
            row.add(value == null ? "" : "\"" + value.replace("\"", "\"\"").replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ') + "\"");
        }

        /** The CSV, every row as wide as the widest (DuckDB takes the header's width as the table's). */
        Path padded(Path scratch, int n) throws IOException {
            var csv = Files.createTempFile(scratch, "sheet-" + n + "-", ".csv");
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8); var w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    w.write(line);
                    w.write(",".repeat(Math.max(0, width - 1 - commas(line))));
                    w.write('\n');
                }
            }
            return csv;
        }

        private static int commas(String line) {
            int n = 0;
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') quoted = !quoted;
                else if (c == ',' && !quoted) n++;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
