package dev.labdesk.desktop.upload;

import dev.labdesk.desktop.client.LocalFile;
import dev.labdesk.model.ContextField;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.collections.MapChangeListener;
import javafx.scene.TraversalDirection;
import javafx.scene.input.KeyEvent;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

import java.io.File;
import java.util.List;

/**
 * Drop zone and file list (left), the experiment form (right), progress and actions (below).
 * Each form field shows its own error right under it.
 */
public final class UploadView extends VBox {
    private final UploadViewModel model;
    private final ListView<LocalFile> fileList = new ListView<>();
    private final Button uploadButton = new Button("Upload");

    public UploadView(UploadViewModel model) {
        this.model = model;
        getStyleClass().add("upload-pane");
        setSpacing(8);
        setPadding(new Insets(10, 12, 10, 12));

        var columns = new HBox(14, filesColumn(), form());
        HBox.setHgrow(columns.getChildren().get(1), Priority.ALWAYS);
        VBox.setVgrow(columns, Priority.ALWAYS);
        getChildren().addAll(columns, actions());
    }

    private Node filesColumn() {
        var hint = new Label("Drop files or folders here");
        hint.getStyleClass().add("drop-hint");
        var addFiles = new Button("Add files…");
        addFiles.setOnAction(e -> pickFiles());
        addFiles.setId("add-files");
        var addFolder = new Button("Add folder…");
        addFolder.setOnAction(e -> pickFolder());
        addFolder.setId("add-folder");
        var buttons = new HBox(6, addFiles, addFolder);
        buttons.setAlignment(Pos.CENTER);

        fileList.setItems(model.files());
        fileList.setId("file-list");
        fileList.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        fileList.setCellFactory(v -> new FileCell());
        fileList.setPlaceholder(new Label("No files yet"));
        fileList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                model.removeFiles(List.copyOf(fileList.getSelectionModel().getSelectedItems()));
            }
        });
        VBox.setVgrow(fileList, Priority.ALWAYS);

        var total = new Label();
        total.getStyleClass().add("muted");
        total.textProperty().bind(model.filesCaptionProperty());
        var filesError = errorLabel(UploadViewModel.FILES);

        var zone = new VBox(8, hint, buttons, fileList, total, filesError);
        zone.setId("drop-zone");
        zone.getStyleClass().add("drop-zone");
        zone.setPadding(new Insets(10));
        zone.setPrefWidth(330);
        zone.setMinWidth(260);
        zone.setOnDragOver(this::dragOver);
        zone.setOnDragEntered(e -> { if (e.getDragboard().hasFiles()) zone.getStyleClass().add("drop-zone-active"); });
        zone.setOnDragExited(e -> zone.getStyleClass().remove("drop-zone-active"));
        zone.setOnDragDropped(this::dropped);
        return zone;
    }

    private Node form() {
        var grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(2);
        var half = new ColumnConstraints();
        half.setPercentWidth(50);
        half.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(half, half);

        grid.add(field("Name *", ContextField.NAME, new TextField(), "e.g. Plate reader, day 3"), 0, 0);
        grid.add(field("Contact email", ContextField.CONTACT_EMAIL, new TextField(), "name@example.org"), 1, 0);
        grid.add(field("Description *", ContextField.DESCRIPTION, area(2), "What was measured, how, and why"), 0, 1, 2, 1);
        grid.add(field("Goals", ContextField.GOALS, area(2), "What should the analysis find out?"), 0, 2);
        grid.add(field("Hypothesis", ContextField.HYPOTHESIS, area(2), "What do you expect?"), 1, 2);
        grid.add(field("Tags", ContextField.TAGS, new TextField(), "comma-separated: growth, e-coli"), 0, 3);
        grid.add(field("Parameters", ContextField.PARAMETERS, area(2), "one per line: temperature = 37"), 1, 3);
        grid.setId("experiment-form");
        return grid;
    }

    private static TextArea area(int rows) {
        var a = new TextArea();
        a.setPrefRowCount(rows);
        a.setWrapText(true);
        return a;
    }

    private Node field(String label, ContextField field, TextInputControl input, String prompt) {
        var name = field.wire();
        var l = new Label(label);
        l.getStyleClass().add("field-label");
        l.setLabelFor(input);
        input.setPromptText(prompt);
        input.setId("field-" + name);
        input.textProperty().bindBidirectional(model.field(field));
        if (input instanceof TextArea area) {
            // Tab moves focus, as in every other field; Ctrl+Tab inserts a tab if anyone needs one
            area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == KeyCode.TAB && !e.isControlDown()) {
                    e.consume();
                    area.requestFocusTraversal(e.isShiftDown() ? TraversalDirection.PREVIOUS : TraversalDirection.NEXT);
                }
            });
        }
        var error = errorLabel(name);
        model.errors().addListener((MapChangeListener<String, String>) c -> {
            if (!c.getKey().equals(name)) return;
            input.pseudoClassStateChanged(PseudoClass.getPseudoClass("invalid"), model.errors().containsKey(name));
        });
        var box = new VBox(3, l, input, error);
        box.setPadding(new Insets(0, 0, 4, 0));
        return box;
    }

    private Label errorLabel(String name) {
        var error = new Label();
        error.getStyleClass().add("field-error");
        error.setId("error-" + name);
        error.setWrapText(true);
        error.textProperty().bind(Bindings.valueAt(model.errors(), name));
        error.visibleProperty().bind(error.textProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        return error;
    }

    private Node actions() {
        var bar = new ProgressBar();
        bar.setId("upload-progress");
        bar.progressProperty().bind(model.progressProperty());
        bar.setMaxWidth(Double.MAX_VALUE);
        // only while it moves: a full bar after the upload would sit beside the run's own progress bar
        bar.visibleProperty().bind(model.busyBinding());
        HBox.setHgrow(bar, Priority.ALWAYS);
        var text = new Label();
        text.setId("upload-status");
        text.getStyleClass().add("muted");
        text.textProperty().bind(model.progressTextProperty());
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE); // wraps onto a second line rather than ending in "…"
        var openUploaded = new Hyperlink("Open its log");
        openUploaded.setId("open-uploaded");
        openUploaded.setOnAction(e -> model.openUploaded());
        openUploaded.visibleProperty().bind(model.uploadedElsewhereBinding());
        openUploaded.managedProperty().bind(openUploaded.visibleProperty());
        openUploaded.setMinWidth(Region.USE_PREF_SIZE);
        var status = new HBox(6, text, openUploaded);
        status.setAlignment(Pos.CENTER_LEFT);

        uploadButton.setId("upload");
        uploadButton.setDefaultButton(false);
        uploadButton.setOnAction(e -> model.upload());
        uploadButton.textProperty().bind(model.uploadLabelBinding());
        uploadButton.disableProperty().bind(model.uploadAllowedBinding().not());
        var cancel = new Button("Cancel");
        cancel.setId("cancel-upload");
        cancel.setOnAction(e -> model.cancel());
        cancel.disableProperty().bind(model.busyBinding().not());
        var next = new Button("New upload");
        next.setId("new-upload");
        next.setOnAction(e -> model.newUpload());
        next.disableProperty().bind(model.newUploadAllowedBinding().not());
        // once this dataset is uploaded, the next step is the next dataset: that button takes the accent
        model.alreadyUploadedProperty().subscribe(done -> {
            uploadButton.getStyleClass().remove("accent");
            next.getStyleClass().remove("accent");
            (done ? next : uploadButton).getStyleClass().add("accent");
        });
        var clear = new Button("Clear form");
        clear.setId("clear-form");
        clear.setOnAction(e -> model.reset());
        clear.disableProperty().bind(model.clearAllowedBinding().not());

        var message = new Label();
        message.setId("upload-message");
        message.getStyleClass().add("field-error");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(message.textProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());

        var progressRow = new StackPane(bar);
        HBox.setHgrow(progressRow, Priority.ALWAYS);
        var row = new HBox(8, uploadButton, cancel, next, clear, progressRow);
        row.setAlignment(Pos.CENTER_LEFT);
        return new VBox(4, row, status, message);
    }

    public void pickFiles() {
        var chooser = new FileChooser();
        chooser.setTitle("Add files");
        var chosen = chooser.showOpenMultipleDialog(getScene().getWindow());
        if (chosen != null) model.addPaths(chosen.stream().map(File::toPath).toList());
    }

    public void pickFolder() {
        var chooser = new DirectoryChooser();
        chooser.setTitle("Add folder");
        var chosen = chooser.showDialog(getScene().getWindow());
        if (chosen != null) model.addPaths(List.of(chosen.toPath()));
    }

    private void dragOver(DragEvent e) {
        if (e.getDragboard().hasFiles() && !model.phaseProperty().get().busy()) e.acceptTransferModes(TransferMode.COPY);
        e.consume();
    }

    private void dropped(DragEvent e) {
        var board = e.getDragboard();
        boolean ok = board.hasFiles();
        if (ok) model.addPaths(board.getFiles().stream().map(File::toPath).toList());
        e.setDropCompleted(ok);
        e.consume();
    }

    public Button uploadButton() {
        return uploadButton;
    }

    private static final class FileCell extends ListCell<LocalFile> {
        private final Label path = new Label();
        private final Label size = new Label();
        private final HBox row = new HBox(8, path, size);

        FileCell() {
            setPrefWidth(0); // never wider than the list: long paths are cut at the front
            size.getStyleClass().add("muted");
            size.setMinWidth(Region.USE_PREF_SIZE);
            path.setMaxWidth(Double.MAX_VALUE);
            path.setTextOverrun(javafx.scene.control.OverrunStyle.LEADING_ELLIPSIS);
            HBox.setHgrow(path, Priority.ALWAYS);
            row.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(LocalFile f, boolean empty) {
            super.updateItem(f, empty);
            if (empty || f == null) {
                setGraphic(null);
            } else {
                path.setText(f.relativePath());
                size.setText(Sizes.bytes(f.size()));
                setGraphic(row);
            }
            setText(null);
        }
    }
}
