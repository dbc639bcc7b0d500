package dev.labdesk.desktop.log;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The log pane's own virtualized list in a shown window: what it draws, selects and keeps in view. */
class LogLinesViewTest {
    private static final double HEIGHT = 10 * LogLinesView.ROW_HEIGHT; // ten rows on screen

    BoundedLines<LogLine> lines;
    LogLinesView view;
    Stage stage;
    final List<Boolean> userScrolls = new ArrayList<>();

    @BeforeAll
    static void toolkit() {
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyRunning) {
            // another test class started it
        }
        Platform.setImplicitExit(false);
    }

    @BeforeEach
    void show() throws Exception {
        fx(() -> {
            lines = new BoundedLines<>(1_000);
            view = new LogLinesView(lines, LogLine::text, "nothing yet");
            view.setOnUserScroll(userScrolls::add);
            stage = new Stage();
            stage.setScene(new Scene(view, 400, HEIGHT));
            stage.show();
            return null;
        });
    }

    @AfterEach
    void close() throws Exception {
        fx(() -> {
            stage.close();
            return null;
        });
    }

    private void append(int from, int to) throws Exception {
        fx(() -> lines.append(IntStream.range(from, to).mapToObj(i -> new LogLine(i, 0, i % 10 == 0 ? LogLevel.ERROR : LogLevel.INFO, "line " + i)).toList()));
    }

    /** The texts of the rows on screen, top to bottom. */
    private List<String> shown() throws Exception {
        return fx(() -> {
            view.layout();
            return view.getChildrenUnmodifiable().stream()
                    .filter(n -> n instanceof Label l && l.getStyleClass().contains("log-row") && l.isVisible())
                    .sorted(java.util.Comparator.comparingDouble(n -> n.getLayoutY()))
                    .map(n -> ((Label) n).getText()).toList();
        });
    }

    @Test
    void onlyTheRowsOnScreenExistWhateverTheLineCount() throws Exception {
        assertThat(fx(() -> view.lookup(".placeholder").isVisible())).isTrue();
        append(0, 1_000);
        assertThat(shown()).hasSize(10).startsWith("line 0");
        fx(() -> { view.scrollToEnd(); return null; });
        assertThat(shown()).hasSize(10).endsWith("line 999");
        assertThat(fx(() -> view.getChildrenUnmodifiable().size())).as("rows, placeholder and scroll bar only").isLessThanOrEqualTo(13);
        assertThat(fx(() -> view.atBottomProperty().get())).isTrue();
    }

    @Test
    void linesPushedOutAtTheFrontKeepTheViewAndTheSelectionOnTheSameLines() throws Exception {
        append(0, 1_000);
        fx(() -> { view.scrollToEnd(); view.select(995, 997); return null; });
        var before = fx(() -> view.selectedLines().stream().map(LogLine::text).toList());
        var screenBefore = shown();
        append(1_000, 1_100); // the buffer holds 1,000: lines 0–99 go
        assertThat(fx(() -> view.selectedLines().stream().map(LogLine::text).toList())).isEqualTo(before).containsExactly("line 995", "line 996", "line 997");
        assertThat(screenBefore).startsWith("line 990");
        assertThat(shown()).as("a paused view stays on its lines").isEqualTo(screenBefore);
    }

    @Test
    void aNewFilterClearsTheSelection() throws Exception {
        var filtered = fx(() -> new javafx.collections.transformation.FilteredList<>(lines));
        fx(() -> {
            stage.setScene(new Scene(view = new LogLinesView(filtered, LogLine::text, "none"), 400, HEIGHT));
            return null;
        });
        append(0, 100);
        fx(() -> { view.select(3, 5); return null; });
        assertThat(fx(() -> view.selectedCountProperty().get())).isEqualTo(3);
        fx(() -> { filtered.setPredicate(l -> l.level() == LogLevel.ERROR); return null; });
        assertThat(fx(() -> view.selectedCountProperty().get())).isZero();
        assertThat(shown()).containsExactly("line 0", "line 10", "line 20", "line 30", "line 40", "line 50", "line 60", "line 70", "line 80", "line 90");
    }

    @Test
    void theUserScrollingUpAndBackIsReportedAndNewLinesDoNotMoveAPausedView() throws Exception {
        append(0, 200);
        fx(() -> { view.scrollToEnd(); return null; });
        wheel(+40); // up three lines
        assertThat(userScrolls).containsExactly(false);
        int top = fx(view::firstVisibleIndex);
        assertThat(top).isEqualTo(187);
        append(200, 300);
        assertThat(fx(view::firstVisibleIndex)).as("not following: the view stays").isEqualTo(top);
        key(KeyCode.END, false);
        assertThat(userScrolls).containsExactly(false, true);
        assertThat(shown()).endsWith("line 299");
    }

    @Test
    void clickShiftClickAndShiftArrowsSelectARange() throws Exception {
        append(0, 100);
        click(2 * LogLinesView.ROW_HEIGHT + 5, false); // line 2
        click(5 * LogLinesView.ROW_HEIGHT + 5, true);  // through line 5
        assertThat(fx(() -> view.selectedLines().stream().map(LogLine::text).toList()))
                .containsExactly("line 2", "line 3", "line 4", "line 5");
        key(KeyCode.DOWN, true);
        assertThat(fx(() -> view.selectedCountProperty().get())).isEqualTo(5);
        key(KeyCode.PAGE_DOWN, false);
        assertThat(fx(() -> view.selectedLines().stream().map(LogLine::text).toList())).containsExactly("line 15");
        assertThat(fx(view::firstVisibleIndex)).as("the caret is kept on screen").isEqualTo(6);
        var ctrlA = new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.A, false, true, false, false);
        fx(() -> { view.fireEvent(ctrlA); return null; });
        assertThat(fx(() -> view.selectedCountProperty().get())).isEqualTo(100);
    }

    private void wheel(double deltaY) throws Exception {
        fx(() -> {
            view.fireEvent(new ScrollEvent(ScrollEvent.SCROLL, 10, 10, 10, 10, false, false, false, false, false, false,
                    0, deltaY, 0, deltaY, ScrollEvent.HorizontalTextScrollUnits.NONE, 0, ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null));
            return null;
        });
    }

    private void key(KeyCode code, boolean shift) throws Exception {
        fx(() -> {
            view.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", code, shift, false, false, false));
            return null;
        });
    }

    private void click(double y, boolean shift) throws Exception {
        fx(() -> {
            view.fireEvent(new MouseEvent(MouseEvent.MOUSE_PRESSED, 20, y, 20, y, MouseButton.PRIMARY, 1,
                    shift, false, false, false, true, false, false, true, false, false, null));
            return null;
        });
    }

    private static <T> T fx(Callable<T> work) throws Exception {
        var done = new CompletableFuture<T>();
        Platform.runLater(() -> {
            try {
                done.complete(work.call());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }
}
