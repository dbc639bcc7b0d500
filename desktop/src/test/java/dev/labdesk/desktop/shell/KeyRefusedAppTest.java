package dev.labdesk.desktop.shell;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.labdesk.desktop.settings.Settings;
import dev.labdesk.desktop.settings.SettingsStore;
import dev.labdesk.desktop.settings.Theme;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.labdesk.desktop.shell.DesktopAppTest.fx;
import static dev.labdesk.desktop.shell.DesktopAppTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app on a remote worker that wants keys ({@code AuthSettings.keys}), with a wrong key in
 * Settings: the refused-key banner comes up with a button to Settings, the right key typed there
 * clears it, and the key stays out of the logs and in an owner-only file.
 */
@ExtendWith(ApplicationExtension.class)
class KeyRefusedAppTest {
    static final String RIGHT_KEY = "ada-key-0123456789abcdef";
    static final String WRONG_KEY = "ada-key-wrong-0000000000";

    Worker worker;
    Path home;
    MainViewModel model;
    final List<URI> opened = new CopyOnWriteArrayList<>();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @Start
    void start(Stage stage) throws Exception {
        logs.start();
        root().addAppender(logs);
        var tmp = Files.createTempDirectory("labdesk-key");
        worker = new Worker(WorkerConfig.local(Files.createDirectories(tmp.resolve("worker")))
                .withAuth(AuthSettings.keys(List.of(ApiKey.plain("ada", RIGHT_KEY, false))))).start();
        var now = Instant.now();
        worker.sessions().store().create(new SessionInfo(SessionIds.newId(), "vol", SessionStatus.SUCCEEDED,
                new ExperimentContext("Ada's run", "d", null, null, null, null, null), 0, 0, now, now, null, "ada"), List.of());
        home = tmp.resolve("home");
        new SettingsStore(home).save(new Settings(worker.baseUrl().toString(), WRONG_KEY, "", "", "ada", Theme.LIGHT));
        model = new MainViewModel(home, Platform::runLater, opened::add);
        new MainWindow(stage, model).show();
        model.start();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(model::close).get(20, TimeUnit.SECONDS);
        worker.close();
        root().detachAppender(logs);
    }

    private Banner banner() throws Exception {
        return fx(() -> model.bannerProperty().get());
    }

    @Test
    void aWrongKeyRaisesTheBannerWhoseButtonOpensSettingsWhereTheRightKeyClearsIt(FxRobot robot) throws Exception {
        waitFor(20, () -> model.bannerProperty().get().kind() == Banner.Kind.KEY_REFUSED);
        assertThat(fx(() -> robot.lookup("#banner-text").queryAs(Label.class).getText()))
                .isEqualTo("The worker refused the key: open Settings to enter the key for " + worker.baseUrl());
        waitFor(10, () -> model.chat().connectionProperty().get().equals("key refused"));
        assertThat(fx(() -> model.sessions().sessions().isEmpty())).isTrue();
        waitFor(10, () -> !model.sessions().problemProperty().get().isEmpty());
        assertThat(DesktopAppTest.<String>fx(() -> model.sessions().problemProperty().get()))
                .isEqualTo("The worker refused the key: enter the right one in Settings.");
        assertThat(fx(() -> robot.lookup("#status-key").query().isVisible())).isTrue();

        robot.clickOn("#banner-open-settings");
        waitFor(5, () -> robot.lookup("#settings-api-key").tryQuery().isPresent());
        PasswordField key = robot.lookup("#settings-api-key").queryAs(PasswordField.class);
        waitFor(5, key::isFocused);
        assertThat(DesktopAppTest.<String>fx(key::getText)).isEqualTo(WRONG_KEY);
        robot.clickOn(key).press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL).write(RIGHT_KEY);
        assertThat(DesktopAppTest.<String>fx(key::getText)).isEqualTo(RIGHT_KEY);
        DialogPane dialog = robot.lookup("#settings-dialog").queryAs(DialogPane.class);
        robot.clickOn(fx(() -> dialog.lookupButton(ButtonType.OK)));

        waitFor(20, () -> model.sessions().sessions().size() == 1);
        waitFor(10, () -> model.chat().connectedProperty().get());
        assertThat(banner()).isEqualTo(Banner.NONE);
        assertThat(fx(() -> robot.lookup("#banner").query().isVisible())).isFalse();
        assertThat(fx(() -> robot.lookup("#status-key").query().isVisible())).isFalse();

        var file = home.resolve("settings.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        assertThat(new SettingsStore(home).load().apiKey()).isEqualTo(RIGHT_KEY);
        assertThat(DesktopAppTest.<String>fx(() -> model.settingsProperty().get().toString())).doesNotContain(RIGHT_KEY).contains("api_key=(set)");
        assertThat(DesktopAppTest.<String>fx(() -> model.client().address().toString())).doesNotContain(RIGHT_KEY);
        assertThat(logs.list).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage() + e.getThrowableProxy())
                .doesNotContain(RIGHT_KEY).doesNotContain(WRONG_KEY));
    }

    @Test
    void openInBrowserSignsThePageInWithTheKeyFromSettings(FxRobot robot) throws Exception {
        waitFor(20, () -> model.bannerProperty().get().kind() == Banner.Kind.KEY_REFUSED);
        fx(() -> {
            model.applySettings(new Settings(worker.baseUrl().toString(), RIGHT_KEY, "", "", "ada", Theme.LIGHT));
            return null;
        });
        waitFor(20, () -> model.sessions().sessions().size() == 1);
        robot.press(KeyCode.CONTROL).press(KeyCode.B).release(KeyCode.B).release(KeyCode.CONTROL);
        waitFor(5, () -> !opened.isEmpty());
        assertThat(opened).containsExactly(URI.create(worker.baseUrl() + "/?token=" + RIGHT_KEY));

        var browser = BrowserSignIn.follow(opened.getFirst());
        assertThat(browser.status()).isEqualTo(303);
        assertThat(browser.location()).isEqualTo("/");
        assertThat(browser.cookieSet()).isTrue();
        assertThat(browser.meStatus()).isEqualTo(200);
        assertThat(browser.me()).contains("\"user_id\":\"ada\"");
    }
}
