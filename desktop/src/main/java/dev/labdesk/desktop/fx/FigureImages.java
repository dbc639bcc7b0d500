package dev.labdesk.desktop.fx;

import javafx.scene.image.Image;

import java.io.ByteArrayInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A report's figures as images for a {@link MarkdownView}: the bytes come from the view model, which
 * fetches them; they are decoded on {@code background}, so a large PNG never stalls the UI thread.
 */
public final class FigureImages implements Function<String, CompletableFuture<Image>> {
    private final Function<String, CompletableFuture<byte[]>> bytes;
    private final Executor background;

    public FigureImages(Function<String, CompletableFuture<byte[]>> bytes, Executor background) {
        this.bytes = bytes;
        this.background = background;
    }

    @Override
    public CompletableFuture<Image> apply(String link) {
        return bytes.apply(link).thenApplyAsync(b -> new Image(new ByteArrayInputStream(b)), background);
    }
}
