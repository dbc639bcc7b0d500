package dev.labdesk.desktop;

import javafx.application.Application;

/**
 * Entry point of {@code java -jar labdesk-desktop.jar}. It does not extend {@link Application}
 * on purpose: with JavaFX on the class path (a shaded jar), the launcher refuses a main class that
 * is an Application ("JavaFX runtime components are missing").
 */
public final class DesktopMain {
    private DesktopMain() {}

    public static void main(String[] args) {
        Application.launch(LabdeskApp.class, args);
    }
}
