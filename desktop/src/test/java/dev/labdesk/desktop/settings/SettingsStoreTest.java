package dev.labdesk.desktop.settings;

import dev.labdesk.desktop.embedded.AppDataDirAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsStoreTest {
    @Test
    void settingsSurviveARestartAndTheFileIsTheOwnersOnly(@TempDir Path tmp) throws Exception {
        var s = new Settings("https://lab--labdesk.modal.run", "lab-key-0123456789abcdef", "wk-1", "ws-2", "ada.l", Theme.DARK);
        new SettingsStore(tmp).save(s);
        assertThat(new SettingsStore(tmp).load()).isEqualTo(s);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("settings.json")))).isEqualTo("rw-------");
    }

    @Test
    void aWorldReadableFileAndFolderFromBeforeBecomeTheOwnersOnlyAtTheNextSave(@TempDir Path tmp) throws Exception {
        var home = Files.createDirectories(tmp.resolve("labdesk"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("settings.json"), "{\"worker_url\": \"http://127.0.0.1:8000\"}");
        Files.setPosixFilePermissions(home.resolve("settings.json"), PosixFilePermissions.fromString("rw-r--r--"));
        var store = new SettingsStore(home);
        assertThat(store.load().apiKey()).isEmpty();

        store.save(store.load().withTheme(Theme.DARK));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("settings.json")))).isEqualTo("rw-------");
        assertThat(store.load().workerUrl()).isEqualTo("http://127.0.0.1:8000");
    }

    @Test
    void theStringFormSaysWhichSecretsAreSetButNotWhatTheyAre() {
        var s = new Settings("https://lab--labdesk.modal.run", "lab-key-0123456789abcdef", "wk-1", "ws-2", "ada", Theme.LIGHT);
        assertThat(s.toString()).contains("api_key=(set)", "modal_secret=(set)", "https://lab--labdesk.modal.run")
                .doesNotContain("lab-key-0123456789abcdef", "wk-1", "ws-2");
    }

    @Test
    void noFileOrABrokenOneGivesTheDefaultsWhichMeanTheEmbeddedWorker(@TempDir Path tmp) throws Exception {
        assertThat(new SettingsStore(tmp).load().embedded()).isTrue();
        Files.writeString(tmp.resolve("settings.json"), "{not json");
        assertThat(new SettingsStore(tmp).load()).isEqualTo(Settings.DEFAULTS);
    }

    @Test
    void problemsNameTheField() {
        assertThat(new Settings("ftp://x", "", "", "", "ada", Theme.LIGHT).problems()).extracting(p -> p.field()).containsExactly("worker_url");
        assertThat(new Settings("", "", "wk-1", "", "a b", Theme.LIGHT).problems()).extracting(p -> p.field()).containsExactly("user_id", "modal_secret");
        assertThat(new Settings("http://127.0.0.1:8000", "", "", "", "ada", Theme.LIGHT).problems()).isEmpty();
    }

    @Test
    void appDataFolderIsWhereEachPlatformExpectsIt() {
        assertThat(AppDataDirAccess.resolve("Linux", "/home/ada", Map.of())).isEqualTo(Path.of("/home/ada/.local/share/labdesk"));
        assertThat(AppDataDirAccess.resolve("Linux", "/home/ada", Map.of("XDG_DATA_HOME", "/data"))).isEqualTo(Path.of("/data/labdesk"));
        assertThat(AppDataDirAccess.resolve("Mac OS X", "/Users/ada", Map.of())).isEqualTo(Path.of("/Users/ada/Library/Application Support/Labdesk"));
        assertThat(AppDataDirAccess.resolve("Windows 11", "C:\\Users\\ada", Map.of("APPDATA", "/appdata"))).isEqualTo(Path.of("/appdata/Labdesk"));
    }
}
