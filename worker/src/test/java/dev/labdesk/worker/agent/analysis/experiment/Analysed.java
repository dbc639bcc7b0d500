package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.worker.agent.analysis.FileOutcome;
import dev.labdesk.worker.agent.analysis.Inventory;
import dev.labdesk.worker.agent.analysis.Report;
import dev.labdesk.worker.agent.analysis.ReportWriter;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.TableProfiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The Hypothesis section of a volume as the agent makes it: every table profiled by the real profiler, then the experiment analysis on its DuckDB. */
final class Analysed {
    private Analysed() {}

    static HypothesisReport hypothesis(Path volume, Path scratch, ExperimentContext context, List<String> log) throws Exception {
        try (var profiler = new TableProfiler(scratch)) {
            return new ExperimentAnalysis(profiler.database(), scratch, log::add).run(context, volume, profiles(profiler, volume)).orElseThrow();
        }
    }

    /** The volume's report.md as the agent writes it offline (profile, Hypothesis section, figures left out), read back from the volume. */
    static String reportMd(Path volume, Path scratch, ExperimentContext context, List<String> log) throws Exception {
        try (var profiler = new TableProfiler(scratch)) {
            var profiles = profiles(profiler, volume);
            var report = new Report("s1", context, Instant.parse("2026-12-06T12:00:00Z"), "offline", Inventory.of(volume).files(), profiles, List.of(), List.of(), null);
            if (context != null)
                report = report.withHypothesis(new ExperimentAnalysis(profiler.database(), scratch, log::add).run(context, volume, profiles).orElseThrow());
            new ReportWriter(Json.newMapper()).write(volume, report);
            return Files.readString(volume.resolve(Inventory.REPORT_MD));
        }
    }

    private static List<TableProfile> profiles(TableProfiler profiler, Path volume) throws Exception {
        var profiles = new ArrayList<TableProfile>();
        for (var e : Inventory.of(volume).tables())
            if (profiler.profile(e.path(), volume.resolve(e.path()), e.format()) instanceof FileOutcome.Tables t) profiles.addAll(t.tables());
        return profiles;
    }
}
