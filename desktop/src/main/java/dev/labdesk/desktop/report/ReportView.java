package dev.labdesk.desktop.report;

import dev.labdesk.desktop.fx.MarkdownView;
import javafx.beans.value.ObservableStringValue;
import javafx.scene.image.Image;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.StackPane;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The agent's report, rendered from its Markdown, its figures loaded through {@code figures}. */
public final class ReportView extends StackPane {
    public ReportView(ObservableStringValue markdown, Function<String, CompletableFuture<Image>> figures) {
        var md = new MarkdownView();
        md.setImages(figures);
        md.setId("report");
        md.setPadding(new Insets(14, 18, 14, 18));
        var scroll = new ScrollPane(md);
        scroll.setFitToWidth(true);
        var empty = new Label("The report opens here when the run ends.");
        empty.getStyleClass().add("muted");
        Runnable show = () -> {
            var text = markdown.get();
            md.setMarkdown(text);
            getChildren().setAll(text == null || text.isEmpty() ? empty : scroll);
        };
        markdown.addListener((o, a, b) -> show.run());
        show.run();
    }
}
