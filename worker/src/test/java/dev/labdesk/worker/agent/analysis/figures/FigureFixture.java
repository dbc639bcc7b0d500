package dev.labdesk.worker.agent.analysis.figures;

import java.util.Locale;

/** A small growth experiment with every kind of column a figure is drawn for, some values missing. */
public final class FigureFixture {
    public static final String NAME = "growth.csv";
    /** Twelve strains: more than the ten top values, so the bar chart has an "other values" bar. */
    private static final String[] STRAINS = {"wt", "wt", "wt", "dlacZ", "dlacZ", "daraC", "dmalE", "dtrpA", "dhisG", "dleuB", "dproA", "dthrC", "dilvC", "dpheA"};

    private FigureFixture() {}

    public static String csv() {
        var s = new StringBuilder("strain,time_h,od600,temperature,date\n");
        for (int i = 0; i < 48; i++) {
            double t = i % 12;
            double od = 0.05 * Math.exp(0.25 * t) + (i % 5) * 0.01;
            s.append(STRAINS[i % STRAINS.length]).append(',').append((int) t).append(',')
                    .append(i % 9 == 4 ? "NA" : String.format(Locale.ROOT, "%.3f", od)).append(',')
                    .append(i % 11 == 3 ? "" : String.format(Locale.ROOT, "%.1f", 30 + t * 0.5 - (i % 3)))
                    .append(',').append(String.format(Locale.ROOT, "2000-04-%02d", 1 + i % 20)).append('\n');
        }
        return s.toString();
    }
}
