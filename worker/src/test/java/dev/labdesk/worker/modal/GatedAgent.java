package dev.labdesk.worker.modal;

import dev.labdesk.worker.agent.AgentMain;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real agent, held until the file named by {@code -Dlabdesk.test.gate} exists: a run that is
 * still going when the test stops the worker that launched it.
 */
public final class GatedAgent {
    private GatedAgent() {}

    public static void main(String[] args) throws InterruptedException {
        var gate = Path.of(System.getProperty("labdesk.test.gate"));
        System.out.println("waiting for " + gate);
        while (!Files.exists(gate)) Thread.sleep(50);
        // the launcher names its main class after the java command, which here ends with this class
        int skip = args.length > 0 && !args[0].startsWith("--") ? 1 : 0;
        AgentMain.main(java.util.Arrays.copyOfRange(args, skip, args.length));
    }
}
