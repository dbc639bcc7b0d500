package dev.labdesk.desktop.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log pane's model without any UI: batching, the bound, filters, copy, save. */
class LogViewModelTest {
    static LogLine line(int i, LogLevel level, String text) {
        return new LogLine(i, 1_700_000_000_000L + i, level, text);
    }

    @Test
    void linesOfferedFromManyThreadsArriveInOneChangePerDrain() throws Exception {
        var model = new LogViewModel();
        var changes = new int[1];
        model.visibleLines().addListener((javafx.collections.ListChangeListener<LogLine>) c -> changes[0]++);
        var threads = IntStream.range(0, 4).mapToObj(t -> Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 2_500; i++) model.offer(line(i, LogLevel.INFO, "t" + t));
        })).toList();
        for (var t : threads) t.join();

        assertThat(model.drain()).isEqualTo(10_000);
        assertThat(model.size()).isEqualTo(10_000);
        assertThat(changes[0]).isEqualTo(1);
        assertThat(model.drain()).isZero();
    }

    @Test
    void oneDrainTakesAtMostItsShareSoAPulseStaysShort() {
        var model = new LogViewModel();
        for (int i = 0; i < LogViewModel.MAX_PER_DRAIN + 5; i++) model.offer(line(i, LogLevel.INFO, "x"));
        assertThat(model.drain()).isEqualTo(LogViewModel.MAX_PER_DRAIN);
        assertThat(model.pending()).isEqualTo(5);
        assertThat(model.drain()).isEqualTo(5);
    }

    @Test
    void whatMustBeTrueBeforeALineShowsRunsInTheDrainThatShowsItBeforeTheListChanges() {
        var model = new LogViewModel();
        var said = new java.util.ArrayList<String>();
        var sizeWhenRun = new java.util.ArrayList<Integer>();
        model.visibleLines().addListener((javafx.collections.ListChangeListener<LogLine>) c -> said.add("lines " + model.size()));
        model.offer(line(1, LogLevel.INFO, "a"));
        model.offer(line(2, LogLevel.INFO, "session running"), () -> { said.add("running"); sizeWhenRun.add(model.size()); });
        model.offer(line(3, LogLevel.INFO, "b"));
        assertThat(said).as("nothing before the drain").isEmpty();

        assertThat(model.drain()).isEqualTo(3);
        assertThat(said).containsExactly("running", "lines 3");
        assertThat(sizeWhenRun).containsExactly(0);
        assertThat(model.drain()).isZero();
        assertThat(said).as("once").hasSize(2);
    }

    @Test
    void aLineLeftForTheNextDrainKeepsItsActionForThatDrain() {
        var model = new LogViewModel();
        for (int i = 0; i < LogViewModel.MAX_PER_DRAIN; i++) model.offer(line(i, LogLevel.INFO, "x"));
        var ran = new java.util.concurrent.atomic.AtomicInteger();
        model.offer(line(-1, LogLevel.INFO, "session succeeded"), ran::incrementAndGet);
        model.drain();
        assertThat(ran).as("its line is not shown yet").hasValue(0);
        assertThat(model.drain()).isEqualTo(1);
        assertThat(ran).hasValue(1);
    }

    @Test
    void theOldestLinesGoFirstBeyondTheCapacityAndAreCounted() {
        var model = new LogViewModel(100);
        for (int i = 1; i <= 250; i++) model.offer(line(i, LogLevel.INFO, "l" + i));
        model.drain();
        assertThat(model.size()).isEqualTo(100);
        assertThat(model.droppedProperty().get()).isEqualTo(150);
        assertThat(model.visibleLines().getFirst().seq()).isEqualTo(151);
        assertThat(model.visibleLines().getLast().seq()).isEqualTo(250);
        assertThat(model.droppedCaptionProperty().get()).as("the limit of this pane, not the default")
                .isEqualTo("150 oldest lines dropped (limit 100)");
    }

    @Test
    void theCountBesideTheSearchSaysLinesOrMatchingAsAFilterIsOn() {
        var model = new LogViewModel();
        assertThat(model.droppedCaptionProperty().get()).isEmpty();
        for (int i = 1; i <= 1500; i++) model.offer(line(i, i % 100 == 0 ? LogLevel.ERROR : LogLevel.INFO, "line " + i));
        model.drain();
        assertThat(model.matchesCaptionProperty().get()).isEqualTo(String.format("%,d lines", 1500));
        model.minimumLevelProperty().set(LogLevel.ERROR);
        assertThat(model.matchesCaptionProperty().get()).isEqualTo("15 matching");
        model.minimumLevelProperty().set(LogLevel.TRACE);
        model.searchProperty().set("line 15");
        assertThat(model.matchesCaptionProperty().get()).isEqualTo("12 matching"); // 15, 150–159, 1500
        model.searchProperty().set("  ");
        assertThat(model.matchesCaptionProperty().get()).isEqualTo(String.format("%,d lines", 1500));
    }

    @Test
    void levelFilterAndSearchApplyToEveryKeptLineIncludingLaterOnes() {
        var model = new LogViewModel();
        model.offer(line(1, LogLevel.DEBUG, "reading plates/day1.csv"));
        model.offer(line(2, LogLevel.INFO, "table growth: 40 rows"));
        model.offer(line(3, LogLevel.WARN, "column od600 has 3 empty cells"));
        model.offer(line(4, LogLevel.ERROR, "cannot read scan.bin"));
        model.drain();

        model.minimumLevelProperty().set(LogLevel.WARN);
        assertThat(model.visibleLines()).extracting(LogLine::seq).containsExactly(3L, 4L);
        model.minimumLevelProperty().set(LogLevel.TRACE);
        model.searchProperty().set("OD600");
        assertThat(model.visibleLines()).extracting(LogLine::seq).containsExactly(3L);
        assertThat(model.matchesProperty().get()).isEqualTo(1);

        model.offer(line(5, LogLevel.INFO, "od600 mean 0.61"));
        model.drain();
        assertThat(model.visibleLines()).extracting(LogLine::seq).containsExactly(3L, 5L);
        model.searchProperty().set("");
        assertThat(model.visibleLines()).hasSize(5);
    }

    @Test
    void copyAndSaveWriteLinesAsShownWithOrWithoutTimestamps(@TempDir Path tmp) throws Exception {
        var model = new LogViewModel();
        var a = line(1, LogLevel.INFO, "agent: started");
        var b = line(2, LogLevel.ERROR, "agent: failed");
        model.offer(a);
        model.offer(b);
        model.drain();

        model.timestampsProperty().set(false);
        assertThat(model.copyText(List.of(a, b))).isEqualTo("INFO   agent: started\nERROR  agent: failed\n");
        model.timestampsProperty().set(true);
        assertThat(model.copyText(List.of(b))).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  ERROR  agent: failed\n");

        model.searchProperty().set("failed"); // saving keeps every line, not only the filtered ones
        model.timestampsProperty().set(false);
        var file = tmp.resolve("log.txt");
        model.saveTo(file).get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllLines(file)).containsExactly("INFO   agent: started", "ERROR  agent: failed");
    }

    @Test
    void aSaveThatCannotWriteFailsWithTheFileAndTheReason(@TempDir Path tmp) throws Exception {
        var ran = new AtomicReference<String>();
        var model = new LogViewModel(100, task -> {
            ran.set(Thread.currentThread().getName());
            task.run();
        });
        model.offer(line(1, LogLevel.INFO, "a"));
        model.drain();
        var notADirectory = tmp.resolve("file");
        Files.writeString(notADirectory, "x");

        var saved = model.saveTo(notADirectory.resolve("log.txt"));

        assertThat(ran.get()).as("the write went through the background executor").isNotNull();
        assertThatThrownBy(() -> saved.get(10, TimeUnit.SECONDS)).cause()
                .hasMessageStartingWith("Could not save the log to " + notADirectory.resolve("log.txt"));
    }

    @Test
    void clearEmptiesThePaneAndWhatIsStillQueued() {
        var model = new LogViewModel();
        model.offer(line(1, LogLevel.INFO, "a"));
        model.drain();
        model.offer(line(2, LogLevel.INFO, "b"));
        model.clear();
        assertThat(model.drain()).isZero();
        assertThat(model.size()).isZero();
    }
}
