package dev.labdesk.worker.agent;

import java.util.concurrent.TimeUnit;

/**
 * Real agent programs that misbehave, for the launcher's failure paths: each is the main class of
 * a child JVM started by {@link ProcessAgentLauncher} exactly as {@link AgentMain} is.
 */
final class TestAgents {
    private TestAgents() {}

    /** Fails the ordinary way: a message on stderr, exit code 3. */
    static final class ExitsThree {
        public static void main(String[] args) {
            System.out.println("reading plates");
            System.err.println("boom: the plate reader is unplugged");
            System.exit(3);
        }
    }

    /** Dies without running shutdown hooks, as a crashing JVM does. */
    static final class Crashes {
        public static void main(String[] args) {
            System.err.println("fatal: native code went away");
            System.err.println("#");
            Runtime.getRuntime().halt(134);
        }
    }

    /** Never finishes, and has a child process of its own that must not outlive it. */
    static final class Hangs {
        public static void main(String[] args) throws Exception {
            // something in the private temp directory, as DuckDB's unpacked library would be
            java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "native.so"), "x");
            var child = new ProcessBuilder("sleep", "600").inheritIO().start();
            System.out.println("child " + child.pid());
            TimeUnit.HOURS.sleep(1);
        }
    }

    /** Checks what the launcher promises a process: the token in its environment, never in its arguments. */
    static final class ChecksItsStart {
        public static void main(String[] args) {
            var token = System.getenv(AgentArgs.TOKEN_ENV);
            var commandLine = ProcessHandle.current().info().commandLine().orElse("");
            boolean argsOk = String.join(" ", args).contains("--session-id=") && String.join(" ", args).contains("--log-url=");
            if (token == null || token.isBlank()) fail("no token in the environment");
            if (commandLine.contains(token)) fail("the token is on the command line");
            if (!argsOk) fail("arguments missing: " + String.join(" ", args));
            if (System.getenv("OPENAI_API_KEY") != null && !System.getenv("OPENAI_API_KEY").isBlank()) fail("a secret leaked in");
            if (!"UTF-8".equals(System.getProperty("sun.jnu.encoding"))) fail("file names are not UTF-8: " + System.getProperty("sun.jnu.encoding"));
            System.out.println("start ok");
        }

        private static void fail(String why) {
            System.err.println(why);
            System.exit(5);
        }
    }

    /**
     * A slow agent that ends when told: it waits until a file named {@code release} appears in its
     * volume, then exits 0, so a test decides how long each agent holds its place.
     */
    static final class WaitsForRelease {
        public static void main(String[] args) throws Exception {
            var volume = java.util.Arrays.stream(args).filter(a -> a.startsWith("--volume=")).findFirst().orElseThrow().substring("--volume=".length());
            var release = java.nio.file.Path.of(volume, "release");
            System.out.println("waiting for " + release);
            while (!java.nio.file.Files.exists(release)) TimeUnit.MILLISECONDS.sleep(20);
            System.out.println("released");
        }
    }

    /**
     * Crashes DuckDB for real on {@code data/crashes.json} (a JSON file nested 200,000 deep kills the
     * JVM with SIGSEGV inside DuckDB's reader), having noted that file the way the real agent notes
     * each file it reads; once the worker has marked that file to skip, it is the real agent.
     */
    static final class CrashesDuckDbOnce {
        static final String FILE = "data/crashes.json";

        public static void main(String[] args) throws Exception {
            var stateDir = java.nio.file.Path.of(value(args, "--state-dir="));
            if (!EngineGuard.in(stateDir).skipped().containsKey(FILE)) {
                EngineGuard.in(stateDir).reading(FILE);
                var file = java.nio.file.Path.of(value(args, "--volume="), FILE).toString().replace("'", "''");
                try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = db.createStatement()) {
                    s.executeQuery("DESCRIBE SELECT * FROM read_json_auto('" + file + "')").close();
                }
                System.err.println("DuckDB read " + FILE + " without crashing: this test agent needs another file");
                System.exit(7);
            }
            AgentMain.main(args);
        }

        private static String value(String[] args, String prefix) {
            return java.util.Arrays.stream(args).filter(a -> a.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
        }
    }

    /** The Sandbox's entry point, {@link AgentSupervisor}, over an agent that crashes DuckDB once. */
    static final class SupervisesCrashingAgent {
        public static void main(String[] args) throws Exception {
            System.exit(AgentSupervisor.run(CrashesDuckDbOnce.class.getName(), args));
        }
    }
}
