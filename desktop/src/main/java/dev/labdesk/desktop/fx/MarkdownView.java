package dev.labdesk.desktop.fx;

import org.commonmark.node.ListBlock;

import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Markdown (CommonMark with GitHub tables, parsed by commonmark-java) as plain JavaFX nodes:
 * headings, paragraphs with bold/italic/code, lists, code blocks, quotes and tables. No WebView:
 * it is light enough for every chat message and follows the theme's CSS. A paragraph that is only
 * images (the report's figures) shows each as an {@link ImageView} no wider than the pane, its image
 * from whoever {@link #setImages gives} them (it neither fetches nor decodes); without them, or where
 * one fails, the alt text shows.
 */
public final class MarkdownView extends VBox {
    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();
    /** The report's PNGs have two pixels per point: shown at half their pixel width at most. */
    private static final double PIXELS_PER_POINT = 2;

    private Function<String, CompletableFuture<Image>> images;

    public MarkdownView() {
        getStyleClass().add("markdown");
        setSpacing(6);
    }

    public MarkdownView(String markdown) {
        this();
        setMarkdown(markdown);
    }

    /** Where images come from, by their link (see {@link FigureImages}); called on the FX thread, completing on any. */
    public void setImages(Function<String, CompletableFuture<Image>> images) {
        this.images = images;
    }

    public void setMarkdown(String markdown) {
        getChildren().clear();
        var doc = PARSER.parse(markdown == null ? "" : markdown);
        for (var n = doc.getFirstChild(); n != null; n = n.getNext()) {
            var node = block(n, 0);
            if (node != null) getChildren().add(node);
        }
    }

    private Node block(org.commonmark.node.Node n, int depth) {
        return switch (n) {
            case Heading h -> styled(inline(h), "md-h" + Math.min(h.getLevel(), 3));
            case Paragraph p when onlyImages(p) -> figures(p);
            case Paragraph p -> inline(p);
            case FencedCodeBlock c -> code(c.getLiteral());
            case IndentedCodeBlock c -> code(c.getLiteral());
            case BulletList l -> list(l, depth, false);
            case OrderedList l -> list(l, depth, true);
            case BlockQuote q -> {
                var box = new VBox(4);
                for (var c = q.getFirstChild(); c != null; c = c.getNext()) {
                    var b = block(c, depth);
                    if (b != null) box.getChildren().add(b);
                }
                yield styled(box, "md-quote");
            }
            case ThematicBreak t -> styled(new javafx.scene.control.Separator(), "md-rule");
            case TableBlock t -> table(t);
            default -> null;
        };
    }

    private static boolean onlyImages(Paragraph p) {
        boolean any = false;
        for (var n = p.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof org.commonmark.node.Image) any = true;
            else if (!(n instanceof SoftLineBreak || n instanceof HardLineBreak
                    || n instanceof org.commonmark.node.Text t && t.getLiteral().isBlank())) return false;
        }
        return any;
    }

    private Node figures(Paragraph p) {
        var box = new VBox(8);
        for (var n = p.getFirstChild(); n != null; n = n.getNext())
            if (n instanceof org.commonmark.node.Image i) box.getChildren().add(figure(i.getDestination(), altText(i)));
        return box;
    }

    private Node figure(String link, String alt) {
        var placeholder = new Label(images == null ? "[image: " + alt + "]" : alt);
        placeholder.getStyleClass().add("md-figure-alt");
        placeholder.setWrapText(true);
        var box = new StackPane(placeholder);
        box.getStyleClass().add("md-figure");
        box.setAlignment(Pos.CENTER_LEFT);
        box.setMinWidth(0); // lets the pane shrink below the image's width: the image follows it
        if (images == null) return box;
        images.apply(link).whenComplete((image, failure) -> Platform.runLater(() -> {
            if (failure != null || image == null || image.isError()) {
                placeholder.setText("[figure not available: " + alt + "]");
                return;
            }
            var view = new ImageView(image);
            view.setPreserveRatio(true);
            view.setSmooth(true);
            view.setAccessibleText(alt);
            view.fitWidthProperty().bind(Bindings.createDoubleBinding(
                    () -> Math.max(40, Math.min(image.getWidth() / PIXELS_PER_POINT, getWidth() - snappedLeftInset() - snappedRightInset() - 2)),
                    widthProperty(), paddingProperty()));
            box.getChildren().setAll(view);
        }));
        return box;
    }

    private static String altText(org.commonmark.node.Node parent) {
        var s = new StringBuilder();
        for (var n = parent.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof org.commonmark.node.Text t) s.append(t.getLiteral());
            else if (n instanceof Code c) s.append(c.getLiteral());
            else s.append(altText(n));
        }
        return s.toString();
    }

    private static Node styled(Node node, String style) {
        node.getStyleClass().add(style);
        return node;
    }

    private Node code(String literal) {
        var text = new Label(literal.stripTrailing());
        text.getStyleClass().add("md-code-block");
        text.setMaxWidth(Double.MAX_VALUE);
        text.setWrapText(true);
        return text;
    }

    private Node list(ListBlock l, int depth, boolean ordered) {
        var box = new VBox(2);
        int i = ordered ? ((OrderedList) l).getMarkerStartNumber() : 1;
        for (var item = l.getFirstChild(); item != null; item = item.getNext()) {
            if (!(item instanceof ListItem li)) continue;
            var content = new VBox(2);
            for (var c = li.getFirstChild(); c != null; c = c.getNext()) {
                var b = block(c, depth + 1);
                if (b != null) content.getChildren().add(b);
            }
            var marker = new Label(ordered ? (i++) + "." : "•");
            marker.setMinWidth(18);
            var row = new javafx.scene.layout.HBox(4, marker, content);
            javafx.scene.layout.HBox.setHgrow(content, javafx.scene.layout.Priority.ALWAYS);
            box.getChildren().add(row);
        }
        box.setPadding(new javafx.geometry.Insets(0, 0, 0, depth * 14));
        return box;
    }

    private Node table(TableBlock t) {
        var grid = new GridPane();
        grid.getStyleClass().add("md-table");
        int r = 0;
        for (var section = t.getFirstChild(); section != null; section = section.getNext()) {
            for (var row = section.getFirstChild(); row != null; row = row.getNext()) {
                if (!(row instanceof TableRow)) continue;
                int c = 0;
                for (var cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                    if (!(cell instanceof TableCell tc)) continue;
                    var flow = inline(tc);
                    flow.getStyleClass().add(tc.isHeader() ? "md-th" : "md-td");
                    // a cell keeps its words on one line: a wide table scrolls sideways instead of breaking "mean" into letters
                    flow.setMinWidth(Region.USE_PREF_SIZE);
                    grid.add(flow, c++, r);
                }
                r++;
            }
        }
        var scroll = new ScrollPane(grid);
        scroll.getStyleClass().add("md-table-scroll");
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
        scroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.prefViewportHeightProperty().bind(grid.heightProperty());
        scroll.prefViewportWidthProperty().bind(grid.widthProperty());
        scroll.setMinWidth(0);
        scroll.setMaxWidth(Region.USE_PREF_SIZE);
        return scroll;
    }

    private TextFlow inline(org.commonmark.node.Node parent) {
        var flow = new TextFlow();
        flow.getStyleClass().add("md-text");
        append(flow, parent, "");
        return flow;
    }

    private void append(TextFlow flow, org.commonmark.node.Node parent, String style) {
        for (var n = parent.getFirstChild(); n != null; n = n.getNext()) {
            switch (n) {
                case org.commonmark.node.Text t -> flow.getChildren().add(text(t.getLiteral(), style));
                case Code c -> flow.getChildren().add(text(c.getLiteral(), style + " md-code"));
                case StrongEmphasis s -> append(flow, s, style + " md-strong");
                case Emphasis e -> append(flow, e, style + " md-em");
                case Link l -> append(flow, l, style + " md-link");
                case org.commonmark.node.Image i -> flow.getChildren().add(text("[image: " + altText(i) + "]", style + " md-em"));
                case SoftLineBreak b -> flow.getChildren().add(text(" ", style));
                case HardLineBreak b -> flow.getChildren().add(text("\n", style));
                default -> append(flow, n, style);
            }
        }
    }

    private static Text text(String s, String style) {
        var t = new Text(s);
        t.getStyleClass().add("md-run");
        for (var c : style.strip().split(" ")) if (!c.isEmpty()) t.getStyleClass().add(c);
        return t;
    }
}
