package dev.labdesk.worker.agent;

import java.awt.AWTError;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ByteSizes;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.worker.agent.narrative.ChartTool;
import dev.labdesk.worker.agent.narrative.DatasetTools;
import dev.labdesk.worker.agent.narrative.SandboxedTables;
import dev.labdesk.worker.agent.narrative.Narrator;
import dev.labdesk.worker.agent.analysis.Document;
import dev.labdesk.worker.agent.analysis.FileFormat;
import dev.labdesk.worker.agent.analysis.FileOutcome;
import dev.labdesk.worker.agent.analysis.Inventory;
import dev.labdesk.worker.agent.analysis.JsonDepth;
import dev.labdesk.worker.agent.analysis.Numbers;
import dev.labdesk.worker.agent.analysis.Reasons;
import dev.labdesk.worker.agent.analysis.Report;
import dev.labdesk.worker.agent.analysis.ReportWriter;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.TableProfiler;
import dev.labdesk.worker.agent.analysis.Unreadable;
import dev.labdesk.worker.agent.analysis.experiment.ExperimentAnalysis;
import dev.labdesk.worker.agent.analysis.progress.RunProgress;
import dev.labdesk.worker.agent.analysis.figures.FigureNames;
import dev.labdesk.worker.agent.analysis.figures.ProfileFigures;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The offline analysis, told as it happens: inventory of the volume, a DuckDB profile of every
 * table file (a file DuckDB cannot read is noted, not fatal; a JSON file nested too deep for it, or a file
 * it crashed on in an earlier run, is noted without being read), with a model the summary it writes
 * (a model that fails leaves the offline report, never a failed analysis), the report written into the volume.
 */
final class DatasetAnalysis {
    private static final String LOGGER = "labdesk.agent";
    private static final int COLUMNS_LOGGED = 20;
    /** How long one of the model's queries may run. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

    private final LogSink sink;
    private final ReportWriter writer;
    private final Clock clock;
    private final Optional<Narrator> narrator;
    private final ObjectMapper mapper;
    private final EngineGuard guard;
    /** One set of figure names for the run: the model's charts and the profile's must not overwrite each other. */
    private final FigureNames figureNames = new FigureNames();

    DatasetAnalysis(LogSink sink, ReportWriter writer, Clock clock, Optional<Narrator> narrator, ObjectMapper mapper, EngineGuard guard) {
        this.guard = guard;
        this.sink = sink;
        this.writer = writer;
        this.clock = clock;
        this.narrator = narrator;
        this.mapper = mapper;
    }

    Report run(String sessionId, Path volume, ExperimentContext context, Path scratch) throws IOException, SQLException {
        var inventory = Inventory.of(volume);
        var tables = inventory.tables();
        info("Inventory: " + inventory.files().size() + " files, " + ByteSizes.human(inventory.bytes()) + " — " + kinds(inventory));
        var profiles = new ArrayList<TableProfile>();
        var unreadable = new ArrayList<Unreadable>();
        var documents = new ArrayList<Document>();
        var crashedOn = guard.skipped();
        var sandbox = narrator.map(n -> new SandboxedTables(scratch)); // the model's copies of the typed tables
        try (var progress = new RunProgress(sink::progress); var profiler = new TableProfiler(scratch, sandbox.orElse(null), progress)) {
            progress.tables(tables.size());
            int done = 0;
            for (var entry : tables) {
                progress.startTable(done + 1, entry.path());
                var notRead = Optional.ofNullable(crashedOn.get(entry.path())).or(() -> unsafe(volume, entry));
                if (notRead.isPresent()) {
                    unreadable.add(new Unreadable(entry.path(), entry.format(), notRead.get()));
                    sink.log("WARN", LOGGER, "Skipping " + entry.path() + ": " + notRead.get());
                    progress.endTable(++done, entry.path());
                    continue;
                }
                guard.reading(entry.path());
                try {
                    switch (profiler.profile(entry.path(), volume.resolve(entry.path()), entry.format())) {
                        case FileOutcome.Tables t -> t.tables().forEach(p -> {
                            profiles.add(p);
                            logProfile(p);
                        });
                        case FileOutcome.NotTable d -> {
                            documents.add(d.document());
                            info("Not a table: " + entry.path() + " is a " + d.document().kind() + " document with keys " + d.document().keys());
                        }
                        case FileOutcome.NotRead n -> {
                            unreadable.add(new Unreadable(entry.path(), entry.format(), n.reason()));
                            sink.log("WARN", LOGGER, "Could not read " + entry.path() + " as " + entry.format().label() + ": " + n.reason());
                        }
                    }
                } catch (SQLException e) {
                    var reason = Reasons.withoutServerPaths(duckDbReason(e), volume, scratch);
                    unreadable.add(new Unreadable(entry.path(), entry.format(), reason));
                    sink.log("WARN", LOGGER, "Could not read " + entry.path() + " as " + entry.format().label() + ": " + reason);
                } catch (IOException | RuntimeException e) {
                    // one file that cannot be read (or a reader's bug on it) must not cost the researcher the others
                    var reason = Reasons.withoutServerPaths("not read: " + (e.getMessage() == null ? e.toString() : e.getMessage()), volume, scratch);
                    unreadable.add(new Unreadable(entry.path(), entry.format(), reason));
                    sink.log("WARN", LOGGER, "Could not read " + entry.path() + " as " + entry.format().label() + ": " + reason);
                } finally {
                    guard.done();
                }
                progress.endTable(++done, entry.path());
            }
            var report = new Report(sessionId, context, clock.instant(), "offline", inventory.files(), profiles, documents, unreadable, null);
            if (context != null && !(blank(context.hypothesis()) && blank(context.goals()))) {
                progress.activity(blank(context.hypothesis()) ? "Matching the goals to the tables" : "Testing the hypothesis");
                var hypothesis = new ExperimentAnalysis(profiler.database(), scratch, this::info).run(context, volume, profiles);
                if (hypothesis.isPresent()) report = report.withHypothesis(hypothesis.get());
                progress.idle();
            }
            if (narrator.isPresent()) {
                progress.activity("Writing the summary with model " + narrator.get().model());
                report = narrate(narrator.get(), report, sandbox.get(), volume);
                progress.idle();
            }
            return written(volume, report);
        }
    }

    /** Why a file must not be given to DuckDB at all (it would crash the process, not fail a query), if so. */
    private static Optional<String> unsafe(Path volume, Inventory.Entry entry) {
        if (entry.format() != FileFormat.JSON && entry.format() != FileFormat.JSONL) return Optional.empty();
        try {
            return JsonDepth.tooDeep(volume.resolve(entry.path()), JsonDepth.LIMIT);
        } catch (IOException e) {
            return Optional.of("not read: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private void logProfile(TableProfile p) {
        info("Profiling " + p.path() + " (" + Numbers.count(p.rows(), "row") + ", " + Numbers.count(p.columns().size(), "column") + ")");
        p.notes().forEach(n -> info("  " + n));
        p.columns().stream().limit(COLUMNS_LOGGED).forEach(c -> info("  " + describe(c)));
        if (p.columns().size() > COLUMNS_LOGGED)
            info("  … and " + (p.columns().size() - COLUMNS_LOGGED) + " more columns (see the report)");
    }

    private Report narrate(Narrator n, Report report, SandboxedTables sandbox, Path volume) {
        info("Writing the summary with model " + n.model());
        try (var query = sandbox.open(QUERY_TIMEOUT, mapper)) {
            var tools = new DatasetTools(sandbox.tables(report.tables()), report.tables(), query,
                    new ChartTool(volume.resolve(Inventory.REPORT_MD).getParent(), query, figureNames, mapper), mapper);
            var analysis = n.write(report, tools, this::info);
            info("The model wrote the summary (" + Numbers.count(analysis.summary().split("\\s+").length, "word") + ") after "
                    + analysis.queries().size() + (analysis.queries().size() == 1 ? " query" : " queries") + " and " + Numbers.count(analysis.charts().size(), "chart"));
            if (!analysis.unverifiedNumbers().isEmpty())
                sink.log("WARN", LOGGER, "Numbers in the model's text that no query result holds: " + String.join(", ", analysis.unverifiedNumbers()));
            return report.withModelAnalysis(analysis);
        } catch (SQLException e) {
            sink.log("WARN", LOGGER, "No model summary, the report stays offline: the model's tables could not be opened: " + duckDbReason(e));
        } catch (Narrator.NarrativeException e) {
            sink.log("WARN", LOGGER, "No model summary, the report stays offline: " + e.getMessage());
        } catch (RuntimeException e) {
            // whatever else the client throws: a model problem must not cost the researcher the report
            sink.log("WARN", LOGGER, "No model summary, the report stays offline: " + e);
        }
        return report;
    }

    private Report written(Path volume, Report report) throws IOException {
        report = withFigures(volume, report);
        writer.write(volume, report);
        info("Wrote " + Inventory.REPORT_MD + " and " + Inventory.REPORT_JSON + ": " + report.headline());
        return report;
    }

    /** The profile's charts into results/figures/; charts that cannot be drawn cost the report its figures, never the report. */
    private Report withFigures(Path volume, Report report) {
        try {
            long start = System.nanoTime();
            var figures = new ProfileFigures(volume.resolve(Inventory.REPORT_MD).getParent(), figureNames).draw(report.tables());
            if (!figures.isEmpty())
                info("Drew " + Numbers.count(figures.size(), "figure") + " into " + Inventory.FIGURES + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            return report.withFigures(figures);
        } catch (IOException | RuntimeException | LinkageError | AWTError e) {
            // a JVM without fonts or AWT's native libraries throws Errors here, not exceptions
            sink.log("WARN", LOGGER, "No figures: " + e);
            return report;
        }
    }

    private void info(String message) {
        sink.log("INFO", LOGGER, message);
    }

    private static String kinds(Inventory inventory) {
        if (inventory.files().isEmpty()) return "nothing to profile";
        var counts = new EnumMap<FileFormat, Integer>(FileFormat.class);
        inventory.files().forEach(f -> counts.merge(f.format(), 1, Integer::sum));
        return counts.entrySet().stream()
                .map(e -> e.getValue() + " " + (e.getKey() == FileFormat.OTHER ? "other" : e.getKey().name()))
                .collect(Collectors.joining(", "));
    }

    private static String describe(TableProfile.Column c) {
        var text = new StringBuilder(c.name()).append(" (").append(c.type()).append("): ")
                .append(c.nulls()).append(c.nulls() == 1 ? " null" : " nulls");
        if (c.min() != null) text.append(", min ").append(shorten(c.min())).append(", max ").append(shorten(c.max()));
        if (c.mean() != null) text.append(", mean ").append(Numbers.significant(c.mean(), 4));
        if (c.distinct() != null) text.append(", ").append(c.distinct()).append(" distinct");
        if (c.kind().equals("id")) text.append(", an identifier");
        if (c.invalid() > 0) text.append(", ").append(c.invalid()).append(" not ").append(c.type());
        return text.toString();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 39) + "…" : s;
    }

    /** DuckDB's JDBC messages wrap the real reason in a first line about a "pending query result". */
    static String duckDbReason(SQLException e) {
        var m = e.getMessage() == null ? e.toString() : e.getMessage();
        var lines = m.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        int first = lines.size() > 1 && lines.getFirst().contains("Attempting to execute an unsuccessful") ? 1 : 0;
        if (lines.isEmpty()) return m;
        var reason = lines.get(first);
        if (reason.startsWith("Error: ")) reason = reason.substring("Error: ".length());
        return reason.length() > 500 ? reason.substring(0, 499) + "…" : reason;
    }
}
