package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.worker.agent.analysis.FileOutcome;
import dev.labdesk.worker.agent.analysis.Inventory;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.TableProfiler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Hypothesis section of a volume as the agent makes it: every table profiled by the real profiler, then the experiment analysis on its DuckDB. */
final class Analysed {
    private Analysed() {}

    static HypothesisReport hypothesis(Path volume, Path scratch, ExperimentContext context, List<String> log) throws Exception {
        try (var profiler = new TableProfiler(scratch)) {
            var profiles = new ArrayList<TableProfile>();
            for (var e : Inventory.of(volume).tables())
                if (profiler.profile(e.path(), volume.resolve(e.path()), e.format()) instanceof FileOutcome.Tables t) profiles.addAll(t.tables());
            return new ExperimentAnalysis(profiler.database(), scratch, log::add).run(context, volume, profiles).orElseThrow();
        }
    }
}
