package dev.labdesk.desktop.log;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Load on the real log pane ({@link LogView} in a shown window, following): a producer thread offers
 * {@code lines} at {@code rate} lines/s while an {@link AnimationTimer} records when each pulse
 * runs. The result: the longest gap between two pulses (the FX thread's worst stall), the pulse
 * count, and heap used. {@code main} is the benchmark ({@code docs/BENCHMARKS.md}); the test runs a
 * shorter load.
 */
public final class LogPaneLoad {
    public record Result(long lines, long shown, double seconds, long pulses, double maxGapMillis, double p99GapMillis,
                         long heapUsedMiB, long heapPeakMiB, long dropped) {
        @Override
        public String toString() {
            return String.format("lines=%,d shown=%,d in %.1f s, pulses=%,d, longest gap between pulses=%.1f ms, p99 gap=%.1f ms, "
                    + "heap after GC=%d MiB, heap peak=%d MiB, dropped=%,d", lines, shown, seconds, pulses, maxGapMillis, p99GapMillis,
                    heapUsedMiB, heapPeakMiB, dropped);
        }
    }

    public static Result run(int lines, int rate, int capacity) throws Exception {
        var model = new LogViewModel(capacity);
        if (Boolean.getBoolean("bench.nofollow")) model.followProperty().set(false);
        var gaps = new java.util.ArrayList<Long>(lines / rate * 80 + 1000);
        var last = new long[] {0};
        var peak = new long[] {0};
        var memory = ManagementFactory.getMemoryMXBean();
        var shown = new CompletableFuture<Stage>();
        var timer = new AnimationTimer[1];
        Platform.runLater(() -> {
            var stage = new Stage();
            stage.setScene(new Scene(new LogView(model, e -> {}), Integer.getInteger("bench.width", 1200), Integer.getInteger("bench.height", 800)));
            stage.show();
            timer[0] = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    long t = System.nanoTime();
                    if (last[0] != 0) gaps.add(t - last[0]);
                    last[0] = t;
                    if ((gaps.size() & 31) == 0) peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed());
                }
            };
            timer[0].start();
            shown.complete(stage);
        });
        var stage = shown.get(10, TimeUnit.SECONDS);
        // warm up: the first pulses create skins and compile code; measure from steady pulsing on
        long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pulses(gaps) < 90 && System.nanoTime() < warm) Thread.sleep(20);
        if (Boolean.getBoolean("bench.debug")) System.out.println("warm-up pulses: " + pulses(gaps));
        var cleared = new CountDownLatch(1);
        Platform.runLater(() -> { gaps.clear(); cleared.countDown(); });
        cleared.await(5, TimeUnit.SECONDS);

        long start = System.nanoTime();
        long nanosPerLine = 1_000_000_000L / rate;
        var levels = LogLevel.values();
        for (int i = 0; i < lines; i++) {
            // paced like a real agent: line i is due at start + i/rate
            long due = start + i * nanosPerLine;
            long wait = due - System.nanoTime();
            if (wait > 200_000) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            model.offer(new LogLine(i + 1, System.currentTimeMillis(), levels[i % 5 == 4 ? 3 : 2],
                    "analysis: table plates/day" + (i % 7) + ".csv row " + i + " od600=" + (i % 1000) / 1000.0));
        }
        var drained = new CountDownLatch(1);
        Thread.ofPlatform().start(() -> {
            while (model.pending() > 0) Thread.onSpinWait();
            drained.countDown();
        });
        drained.await(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(200);
        var stats = new CompletableFuture<long[]>();
        Platform.runLater(() -> {
            var sorted = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
            long max = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
            long p99 = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
            stats.complete(new long[] {sorted.length, max, p99, model.size(), model.droppedProperty().get()});
            timer[0].stop();
            stage.close();
            stage.setScene(null);
        });
        var s = stats.get(10, TimeUnit.SECONDS);
        System.gc();
        Thread.sleep(200);
        long used = memory.getHeapMemoryUsage().getUsed();
        return new Result(lines, s[3], seconds, s[0], s[1] / 1e6, s[2] / 1e6, used >> 20, Math.max(peak[0], used) >> 20, s[4]);
    }

    private static int pulses(java.util.List<Long> gaps) throws Exception {
        var n = new CompletableFuture<Integer>();
        Platform.runLater(() -> n.complete(gaps.size()));
        return n.get(5, TimeUnit.SECONDS);
    }

    /** {@code LogPaneLoad [lines] [rate] [capacity]}: defaults 1,000,000 lines at 50,000/s into the default capacity. */
    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int capacity = args.length > 2 ? Integer.parseInt(args[2]) : LogViewModel.DEFAULT_CAPACITY;
        Platform.startup(() -> {});
        Platform.setImplicitExit(false);
        System.out.println("JavaFX " + System.getProperty("javafx.runtime.version") + ", glass " + System.getProperty("glass.platform", "default")
                + ", prism " + System.getProperty("prism.order", "default") + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        System.out.println(run(lines, rate, capacity));
        Platform.exit();
    }
}
