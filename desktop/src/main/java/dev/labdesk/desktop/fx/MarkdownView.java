package dev.labdesk.desktop.fx;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
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

/**
 * Markdown (CommonMark with GitHub tables, parsed by commonmark-java) as plain JavaFX nodes:
 * headings, paragraphs with bold/italic/code, lists, code blocks, quotes and tables. No WebView:
 * it is light enough for every chat message and follows the theme's CSS.
 */
public final class MarkdownView extends VBox {
    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    public MarkdownView() {
        getStyleClass().add("markdown");
        setSpacing(6);
    }

    public MarkdownView(String markdown) {
        this();
        setMarkdown(markdown);
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

    private Node list(org.commonmark.node.ListBlock l, int depth, boolean ordered) {
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
                    grid.add(flow, c++, r);
                }
                r++;
            }
        }
        return grid;
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
