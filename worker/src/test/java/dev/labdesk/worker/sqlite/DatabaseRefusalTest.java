package dev.labdesk.worker.sqlite;

import dev.labdesk.worker.WorkerConfig.ConfigException;
import dev.labdesk.worker.testing.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A database the worker cannot use stops its start with one clear line; it never starts empty over it. */
class DatabaseRefusalTest {
    @TempDir Path dir;

    @Test
    void aSecondWorkerProcessOnTheSameDataDirRefusesToStartNamingTheFirst() throws Exception {
        var data = dir.resolve("data");
        try (var first = WorkerProcess.start(data, WorkerProcess.freePort(), Map.of(), dir.resolve("first.log"))) {
            var output = dir.resolve("second.log");
            var second = WorkerProcess.launch(data, WorkerProcess.freePort(), Map.of(), output);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(2);
            var lines = Files.readAllLines(output).stream().filter(l -> l.startsWith("labdesk-worker:")).toList();
            assertThat(lines).singleElement().asString()
                    .contains("is in use by another Labdesk worker (pid " + first.process().pid() + ")")
                    .contains(data.resolve(Database.FILE).toString());
            assertThat(Files.readString(output)).doesNotContain("\tat ");
            assertThat(first.process().isAlive()).isTrue();
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndKept() throws Exception {
        var data = Files.createDirectories(dir.resolve("data"));
        var garbage = "this is not an SQLite database, but it is someone's file ".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(data.resolve(Database.FILE), garbage);
        assertThatThrownBy(() -> Database.open(data)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is damaged").hasMessageContaining("restore it from a backup");
        assertThat(Files.readAllBytes(data.resolve(Database.FILE))).isEqualTo(garbage);
    }

    @Test
    void aDatabaseWithDamagedPagesIsRefused() throws Exception {
        var data = dir.resolve("data");
        try (var db = Database.open(data)) {
            db.write(h -> {
                for (int i = 0; i < 2_000; i++)
                    h.update("INSERT INTO run_tokens (hash, session_id) VALUES (?, ?)", "hash-" + i, "session-" + "x".repeat(200) + i);
                return null;
            });
        }
        var file = data.resolve(Database.FILE);
        assertThat(Files.size(file)).isGreaterThan(64 * 4096);
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (long page = 2; page < Files.size(file) / 4096; page += 3) { // scribble over b-tree pages, header kept
                raf.seek(page * 4096);
                raf.write(new byte[] {(byte) 0x0d, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0x7f});
            }
        }
        assertThatThrownBy(() -> Database.open(data)).isInstanceOf(ConfigException.class).hasMessageContaining("is damaged");
    }

    @Test
    void aDatabaseFromANewerWorkerIsRefusedAndLeftAsItWas() throws Exception {
        var data = dir.resolve("data");
        Database.open(data).close();
        var url = "jdbc:sqlite:" + data.resolve(Database.FILE);
        try (var c = DriverManager.getConnection(url); var s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (Schema.VERSION + 1));
            s.execute("CREATE TABLE from_the_future (x)");
        }
        assertThatThrownBy(() -> Database.open(data)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("written by a newer Labdesk worker (schema version " + (Schema.VERSION + 1));
        try (var c = DriverManager.getConnection(url); var s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            assertThat(rs.getInt(1)).isEqualTo(Schema.VERSION + 1);
        }
    }
}
