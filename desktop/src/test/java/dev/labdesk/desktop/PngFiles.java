package dev.labdesk.desktop;

import javafx.scene.image.Image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A JavaFX snapshot written as a PNG file, for the screenshot tools and the app tests that keep one. */
public final class PngFiles {
    private PngFiles() {
    }

    /** Writes {@code image} to {@code file} (its folder made if missing) and returns the file. */
    public static Path write(Image image, Path file) throws IOException {
        int w = (int) image.getWidth(), h = (int) image.getHeight();
        var png = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var reader = image.getPixelReader();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) png.setRGB(x, y, reader.getArgb(x, y));
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        ImageIO.write(png, "png", file.toFile());
        return file;
    }
}
