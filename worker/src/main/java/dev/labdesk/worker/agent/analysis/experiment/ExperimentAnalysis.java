package dev.labdesk.worker.agent.analysis.experiment;

import java.io.IOException;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.worker.agent.analysis.Inventory;
import dev.labdesk.worker.agent.analysis.TableProfile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The report's Hypothesis section, offline and deterministic: reads the researcher's hypothesis and goals, finds the
 * columns they refer to in the session's tables (melting a wide plate-reader export first), and tests the claim.
 * Nothing here fails the analysis: a table that cannot be read for it is said so in the section.
 */
public final class ExperimentAnalysis {
    private final Connection db;
    private final Path scratch;
    private final Consumer<String> log;

    /** @param db the profile's DuckDB; @param scratch a private directory (workbook sheets as CSV); @param log the agent's progress lines */
    public ExperimentAnalysis(Connection db, Path scratch, Consumer<String> log) {
        this.db = db;
        this.scratch = scratch;
        this.log = log;
    }

    /** The section, or empty when the researcher gave neither a hypothesis nor goals. */
    public Optional<HypothesisReport> run(ExperimentContext context, Path volume, List<TableProfile> tables) {
        if (context == null || (blank(context.hypothesis()) && blank(context.goals()))) return Optional.empty();
        var claim = Claim.read(context.hypothesis(), context.goals());
        var loader = new FrameLoader(db, scratch);
        try {
            var frames = new PlateLayout(db, loader).melt(loader.load(volume, tables));
            var ranked = ColumnMatcher.rank(claim, frames);
            var report = new HypothesisTest(db).test(claim, blank(context.goals()) ? null : context.goals().strip(), ranked, loader.skipped());
            report = withFigures(volume, report);
            log.accept("Hypothesis: " + report.verdict().label() + (report.table() == null ? "" : " (table " + report.table()
                    + (report.groupColumn() == null ? "" : ", groups " + report.groupColumn()) + (report.measure() == null ? "" : ", measure " + report.measure()) + ")"));
            return Optional.of(report);
        } catch (SQLException | RuntimeException e) {
            // the hypothesis must not cost the researcher the profile: say why it was not tested
            var why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            log.accept("Hypothesis not tested: " + why);
            return Optional.of(new HypothesisReport(blank(context.hypothesis()) ? null : context.hypothesis().strip(), context.goals(),
                    blank(context.hypothesis()) ? Verdict.NO_HYPOTHESIS : Verdict.CANNOT_BE_TESTED,
                    "Cannot be tested: the tables could not be read for the test (" + why + ").", claim.direction(), claim.directionWord(),
                    null, null, List.of(), null, null, null, null, List.of(), List.of(), null, List.of(), List.of(), null, List.of()));
        } finally {
            loader.dropAll();
        }
    }

    /** The section's charts into results/figures/; a chart that cannot be drawn costs the section its charts, not its numbers. */
    private HypothesisReport withFigures(Path volume, HypothesisReport report) {
        try {
            return report.withFigures(HypothesisFigures.draw(volume.resolve(Inventory.REPORT_MD).getParent(), report));
        } catch (IOException | RuntimeException e) {
            log.accept("No hypothesis charts: " + e);
            return report;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
