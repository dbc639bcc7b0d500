package dev.labdesk.desktop.sessions;

import dev.labdesk.model.SessionInfo;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.TextAlignment;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/** Previous sessions on the left; Enter or a click reopens one (its log replays from the worker). */
public final class SessionListView extends VBox {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM HH:mm").withZone(ZoneId.systemDefault());
    private final ListView<SessionInfo> list = new ListView<>();

    public SessionListView(SessionListViewModel model, Consumer<SessionInfo> open) {
        getStyleClass().add("sessions-pane");
        setSpacing(6);
        setPadding(new Insets(10, 8, 10, 10));
        var title = new Label("Sessions");
        title.getStyleClass().add("pane-title");
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        var refresh = new Button("↻");
        refresh.setTooltip(new Tooltip("Refresh (F5)"));
        refresh.setOnAction(e -> model.refresh());
        refresh.getStyleClass().add("flat");
        var header = new HBox(6, title, spacer, refresh);
        header.setAlignment(Pos.CENTER_LEFT);

        list.setItems(model.sessions());
        list.setId("session-list");
        var empty = new Label();
        empty.textProperty().bind(model.emptyCaptionProperty());
        empty.setWrapText(true);
        empty.setTextAlignment(TextAlignment.CENTER);
        empty.setPadding(new Insets(0, 8, 0, 8));
        list.setPlaceholder(empty);
        list.setCellFactory(v -> new SessionCell());
        list.setOnMouseClicked(e -> {
            var s = list.getSelectionModel().getSelectedItem();
            if (s != null && e.getClickCount() >= 1) open.accept(s);
        });
        list.setOnKeyPressed(e -> {
            var s = list.getSelectionModel().getSelectedItem();
            if (s != null && e.getCode() == KeyCode.ENTER) open.accept(s);
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        var problem = new Label();
        problem.getStyleClass().add("field-error");
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        getChildren().addAll(header, list, problem);
    }

    public ListView<SessionInfo> list() {
        return list;
    }

    private static final class SessionCell extends ListCell<SessionInfo> {
        private final Label name = new Label();
        private final Label status = new Label();
        private final Label when = new Label();
        private final VBox box;

        SessionCell() {
            setPrefWidth(0); // never wider than the list: long names are cut with an ellipsis, no sideways scrolling
            name.getStyleClass().add("session-name");
            name.setMaxWidth(Double.MAX_VALUE);
            status.getStyleClass().add("status-badge");
            when.getStyleClass().add("muted");
            var spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            var line = new HBox(6, status, spacer, when);
            line.setAlignment(Pos.CENTER_LEFT);
            box = new VBox(2, name, line);
        }

        @Override
        protected void updateItem(SessionInfo s, boolean empty) {
            super.updateItem(s, empty);
            setText(null);
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            name.setText(s.context() == null || s.context().name() == null ? s.sessionId() : s.context().name());
            status.setText(s.status().wire());
            status.getStyleClass().removeIf(c -> c.startsWith("status-is-"));
            status.getStyleClass().add("status-is-" + s.status().wire());
            when.setText(s.createdAt() == null ? "" : WHEN.format(s.createdAt()));
            setGraphic(box);
        }
    }
}
