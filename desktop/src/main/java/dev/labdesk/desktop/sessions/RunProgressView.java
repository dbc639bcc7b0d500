package dev.labdesk.desktop.sessions;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The agent's progress above the log: its current step, how far the run is, and the bar. */
public final class RunProgressView extends VBox {
    public RunProgressView(RunProgressViewModel model) {
        super(4);
        setId("run-progress");
        getStyleClass().add("run-progress");
        setPadding(new Insets(6, 10, 6, 10));
        var step = new Label();
        step.setId("run-progress-step");
        step.textProperty().bind(model.stepProperty());
        step.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(step, Priority.ALWAYS);
        var amount = new Label();
        amount.setId("run-progress-amount");
        amount.getStyleClass().add("muted");
        amount.textProperty().bind(model.amountProperty());
        amount.setMinWidth(Region.USE_PREF_SIZE);
        var head = new HBox(12, step, amount);
        head.setAlignment(Pos.CENTER_LEFT);
        var bar = new ProgressBar();
        bar.setId("run-progress-bar");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(model.fractionProperty());
        getChildren().addAll(head, bar);
        visibleProperty().bind(model.shownProperty());
        managedProperty().bind(visibleProperty());
    }
}
