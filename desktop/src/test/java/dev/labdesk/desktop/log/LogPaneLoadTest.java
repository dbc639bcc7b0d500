package dev.labdesk.desktop.log;

import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short run of the log pane benchmark: 150,000 lines at 50,000 lines/s into a shown, following pane
 * holding at most 100,000. It checks that every line is shown or counted as dropped, that the bound
 * holds and that the FX thread keeps pulsing. The 100 ms pulse-gap target is measured by
 * {@link LogPaneLoad#main} (docs/BENCHMARKS.md); here the limit is looser, because this test shares
 * a software renderer and two cores with the rest of the build.
 */
class LogPaneLoadTest {
    @BeforeAll
    static void toolkit() {
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyRunning) {
            // another test class started it
        }
        Platform.setImplicitExit(false);
    }

    @Test
    void theFxThreadKeepsPulsingUnderAFloodOfLines() throws Exception {
        var result = LogPaneLoad.run(150_000, 50_000, 100_000);
        assertThat(result.shown()).isEqualTo(100_000);
        assertThat(result.dropped()).isEqualTo(50_000);
        assertThat(result.pulses()).isGreaterThan(5);
        assertThat(result.maxGapMillis()).isLessThan(2_000);
    }
}
