package dev.labdesk.desktop.log;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.Locale;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.collections.ObservableList;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A read-only, virtualized list of log lines whose cost per frame depends on the rows on screen,
 * not on the lines behind them: one label per visible row, and a scroll bar mapped over the whole
 * list. JavaFX's {@code ListView} could not do that here: its {@code VirtualFlow} walks every
 * item's cached size on each count change and {@code scrollTo}, so its cost grows with the lines
 * behind the screen (docs/BENCHMARKS.md, "the log pane").
 *
 * <p>Selection is one contiguous range, as in a terminal: click, Shift+click or drag, Shift with
 * the arrow and page keys, Ctrl+A. Lines pushed out at the front (the pane's bounded buffer) keep
 * the view and the selection on the same lines; any other change of the list (a new filter, a
 * cleared pane) clears the selection.
 */
public final class LogLinesView extends Region {
    static final double ROW_HEIGHT = 20;
    /** Levels and selection are pseudo-classes: changing one restyles a row; a style class change re-applies all CSS. */
    private static final PseudoClass[] LEVELS = Arrays.stream(LogLevel.values())
            .map(l -> PseudoClass.getPseudoClass(l.name().toLowerCase(Locale.ROOT))).toArray(PseudoClass[]::new);
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");

    private final ObservableList<LogLine> items;
    private Function<LogLine, String> format;
    private final ScrollBar bar = new ScrollBar();
    private final Region rowsArea = new Region();
    private final List<Row> rows = new ArrayList<>();
    private final Label placeholder;
    private final ReadOnlyBooleanWrapper atBottom = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyIntegerWrapper selectedCount = new ReadOnlyIntegerWrapper();
    private int top;
    private int anchor = -1;
    private int caret = -1;
    private boolean syncingBar;
    private Consumer<Boolean> onUserScroll = atEnd -> { };

    /** One on-screen row, remembering what it shows so an unchanged row costs nothing per frame. */
    private static final class Row {
        final Label label = new Label();
        LogLine shown;
        boolean selected;
        String text;
    }

    public LogLinesView(ObservableList<LogLine> items, Function<LogLine, String> format, String placeholderText) {
        this.items = items;
        this.format = format;
        getStyleClass().add("log-lines");
        setFocusTraversable(true);
        placeholder = new Label(placeholderText);
        placeholder.getStyleClass().add("placeholder");
        placeholder.setManaged(false);
        bar.setOrientation(Orientation.VERTICAL);
        bar.setManaged(false);
        bar.setMin(0);
        bar.setUnitIncrement(1);
        bar.valueProperty().addListener((o, a, b) -> {
            if (!syncingBar) scrollTo((int) Math.round(b.doubleValue()), true);
        });
        var clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        getChildren().addAll(placeholder, bar);

        items.addListener((ListChangeListener<LogLine>) this::itemsChanged);
        addEventHandler(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() == 0) return;
            // a wheel notch is about 40 px: three lines, as text views usually scroll
            int lines = (int) Math.signum(-e.getDeltaY()) * Math.max(1, (int) Math.round(Math.abs(e.getDeltaY()) * 3 / 40));
            scrollTo(top + lines, true);
            e.consume();
        });
        addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            requestFocus();
            if (onBar(e)) return;
            int index = indexAt(e.getY());
            if (index < 0) return;
            select(e.isShiftDown() && anchor >= 0 ? anchor : index, index);
        });
        addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (anchor < 0 || onBar(e)) return;
            // dragging past an edge scrolls, one line per mouse event
            if (e.getY() < 0) scrollTo(top - 1, true);
            else if (e.getY() > getHeight()) scrollTo(top + 1, true);
            double y = clamp(e.getY(), 0, getHeight() - 1);
            select(anchor, clamp(top + (int) Math.floor(y / ROW_HEIGHT), 0, items.size() - 1));
        });
        addEventHandler(KeyEvent.KEY_PRESSED, this::key);
    }

    /** Lines shown with {@code format} from now on (e.g. timestamps toggled). */
    public void setFormat(Function<LogLine, String> format) {
        this.format = format;
        for (var r : rows) r.text = null;
        for (var r : rows) r.shown = null;
        requestLayout();
    }

    public ObservableList<LogLine> items() {
        return items;
    }

    /** Told, after every scroll the user makes (wheel, bar, keys, drag), whether the last line is on screen. */
    public void setOnUserScroll(Consumer<Boolean> listener) {
        this.onUserScroll = listener;
    }

    /** The last line is on screen (or there is none): where follow mode keeps the view. */
    public ReadOnlyBooleanProperty atBottomProperty() {
        return atBottom.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty selectedCountProperty() {
        return selectedCount.getReadOnlyProperty();
    }

    /** The selected lines, oldest first. */
    public List<LogLine> selectedLines() {
        if (anchor < 0) return List.of();
        int from = Math.min(anchor, caret), to = Math.max(anchor, caret);
        return List.copyOf(items.subList(from, to + 1));
    }

    /** The index of the first line on screen. */
    public int firstVisibleIndex() {
        return top;
    }

    public void scrollToEnd() {
        scrollTo(Integer.MAX_VALUE, false);
    }

    /** Selects lines {@code from} to {@code to} (either order); the caret is at {@code to}. */
    public void select(int from, int to) {
        if (items.isEmpty()) {
            clearSelection();
            return;
        }
        anchor = clamp(from, 0, items.size() - 1);
        caret = clamp(to, 0, items.size() - 1);
        selectedCount.set(Math.abs(caret - anchor) + 1);
        requestLayout();
    }

    public void clearSelection() {
        anchor = caret = -1;
        selectedCount.set(0);
        requestLayout();
    }

    private void itemsChanged(ListChangeListener.Change<? extends LogLine> c) {
        int droppedFront = 0;
        boolean other = false;
        boolean first = true;
        while (c.next()) {
            boolean frontDrop = first && c.wasRemoved() && !c.wasAdded() && c.getFrom() == 0;
            boolean appended = c.wasAdded() && !c.wasRemoved() && c.getTo() == items.size();
            if (frontDrop) droppedFront = c.getRemovedSize();
            else if (!appended) other = true;
            first = false;
        }
        if (other) {
            anchor = caret = -1;
            selectedCount.set(0);
        } else if (droppedFront > 0) {
            top = Math.max(0, top - droppedFront);
            if (anchor >= 0) {
                anchor -= droppedFront;
                caret -= droppedFront;
                if (Math.max(anchor, caret) < 0) {
                    anchor = caret = -1;
                } else {
                    anchor = Math.max(anchor, 0);
                    caret = Math.max(caret, 0);
                }
                selectedCount.set(anchor < 0 ? 0 : Math.abs(caret - anchor) + 1);
            }
        }
        scrollTo(top, false);
    }

    private void key(KeyEvent e) {
        if (new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN).match(e)) {
            select(0, items.size() - 1);
            e.consume();
            return;
        }
        int page = Math.max(1, visibleRows() - 1);
        int from = caret < 0 ? top : caret;
        int to = switch (e.getCode()) {
            case UP -> from - 1;
            case DOWN -> from + 1;
            case PAGE_UP -> from - page;
            case PAGE_DOWN -> from + page;
            case HOME -> 0;
            case END -> items.size() - 1;
            default -> Integer.MIN_VALUE;
        };
        if (to == Integer.MIN_VALUE || items.isEmpty()) return;
        to = clamp(to, 0, items.size() - 1);
        select(e.isShiftDown() && anchor >= 0 ? anchor : to, to);
        reveal(to);
        e.consume();
    }

    private void reveal(int index) {
        int shown = Math.max(1, visibleRows());
        if (index < top) scrollTo(index, true);
        else if (index >= top + shown) scrollTo(index - shown + 1, true);
    }

    /** Moves the first visible line to {@code index} (clamped); {@code byUser} when the user scrolled. */
    private void scrollTo(int index, boolean byUser) {
        int max = maxTop();
        top = clamp(index, 0, max);
        syncBar(max);
        requestLayout();
        if (byUser) onUserScroll.accept(atBottom.get());
    }

    private int maxTop() {
        return Math.max(0, items.size() - Math.max(1, fullRows()));
    }

    private int fullRows() {
        return (int) Math.floor(getHeight() / ROW_HEIGHT);
    }

    private int visibleRows() {
        return (int) Math.ceil(getHeight() / ROW_HEIGHT);
    }

    private boolean onBar(MouseEvent e) {
        return bar.isVisible() && e.getX() >= bar.getLayoutX();
    }

    private int indexAt(double y) {
        int index = top + (int) Math.floor(y / ROW_HEIGHT);
        return y < 0 || index >= items.size() ? -1 : index;
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth(), h = getHeight();
        double barWidth = bar.prefWidth(-1);
        boolean needBar = items.size() > fullRows();
        bar.setVisible(needBar);
        bar.resizeRelocate(w - barWidth, 0, barWidth, h);
        double rowWidth = needBar ? w - barWidth : w;
        int wanted = visibleRows();
        while (rows.size() < wanted) {
            var r = new Row();
            r.label.getStyleClass().add("log-row");
            r.label.setManaged(false);
            rows.add(r);
            getChildren().add(getChildren().size() - 1, r.label); // below the scroll bar
        }
        // a resize may have changed how many lines fit: keep the bottom in view when it was
        int max = maxTop();
        if (top > max || atBottom.get()) top = max;
        int selFrom = anchor < 0 ? -1 : Math.min(anchor, caret), selTo = anchor < 0 ? -1 : Math.max(anchor, caret);
        for (int i = 0; i < rows.size(); i++) {
            var r = rows.get(i);
            int index = top + i;
            if (i >= wanted || index >= items.size()) {
                r.label.setVisible(false);
                if (r.shown != null) r.label.pseudoClassStateChanged(LEVELS[r.shown.level().ordinal()], false);
                r.shown = null;
                continue;
            }
            var line = items.get(index);
            boolean selected = index >= selFrom && index <= selTo;
            if (line != r.shown) {
                var text = format.apply(line);
                if (!text.equals(r.text)) r.label.setText(text);
                r.text = text;
                if (r.shown == null || r.shown.level() != line.level()) {
                    if (r.shown != null) r.label.pseudoClassStateChanged(LEVELS[r.shown.level().ordinal()], false);
                    r.label.pseudoClassStateChanged(LEVELS[line.level().ordinal()], true);
                }
                r.shown = line;
            }
            if (selected != r.selected) {
                r.label.pseudoClassStateChanged(SELECTED, selected);
                r.selected = selected;
            }
            r.label.setVisible(true);
            r.label.resizeRelocate(0, i * ROW_HEIGHT, rowWidth, ROW_HEIGHT);
        }
        placeholder.setVisible(items.isEmpty());
        if (items.isEmpty()) {
            double pw = Math.min(w - 20, placeholder.prefWidth(-1)), ph = placeholder.prefHeight(pw);
            placeholder.resizeRelocate((w - pw) / 2, (h - ph) / 2, pw, ph);
        }
        syncBar(max);
    }

    /** Shows {@link #top} on the scroll bar without taking it for a user scroll, and whether that is the bottom. */
    private void syncBar(int max) {
        int rowsShown = Math.max(1, visibleRows());
        syncingBar = true;
        try {
            bar.setMax(max);
            bar.setVisibleAmount(rowsShown);
            bar.setBlockIncrement(Math.max(1, rowsShown - 1));
            bar.setValue(top);
        } finally {
            syncingBar = false;
        }
        atBottom.set(top >= max);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
