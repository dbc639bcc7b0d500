package dev.labdesk.worker.agent.analysis.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Text as words: the researcher's sentences and the tables' column names, compared case-, underscore- and plural-insensitively. */
final class Words {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}_'’.-]*");
    private static final Pattern UNIT = Pattern.compile("\\s*[(\\[][^)\\]]*[)\\]]\\s*");
    private static final Pattern CAMEL = Pattern.compile("(?<=\\p{Ll})(?=\\p{Lu})");

    private Words() {}

    /** The lowercase words of a text, trailing dots and dashes dropped ("wt." → "wt"). */
    static List<String> tokens(String text) {
        var out = new ArrayList<String>();
        if (text == null) return out;
        var m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            var w = m.group().replaceAll("[.'’-]+$", "");
            if (!w.isEmpty()) out.add(w);
        }
        return out;
    }

    /** A column name as lowercase letters and digits only, a unit in brackets dropped: "OD600 (a.u.)" → "od600", "Time_h" → "timeh". */
    static String compact(String name) {
        return UNIT.matcher(name).replaceAll(" ").toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "");
    }

    /** A column name's words: "growthRate_OD" → [growth, rate, od]; a unit in brackets kept apart. */
    static List<String> parts(String name) {
        var out = new ArrayList<String>();
        for (var p : CAMEL.matcher(UNIT.matcher(name).replaceAll(" ")).replaceAll(" ").toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
            if (!p.isEmpty()) out.add(p);
        return out;
    }

    /** The singular of an English plural, as far as column names need it ("strains" → "strain", "replicates" → "replicate"). */
    static String singular(String w) {
        if (w.length() > 4 && w.endsWith("ies")) return w.substring(0, w.length() - 3) + "y";
        if (w.length() > 3 && (w.endsWith("ses") || w.endsWith("xes") || w.endsWith("ches") || w.endsWith("shes"))) return w.substring(0, w.length() - 2);
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.substring(0, w.length() - 1);
        return w;
    }

    /** Where {@code phrase} first occurs in {@code text} as whole words (case-insensitive), if it does. */
    static OptionalInt find(String text, String phrase) {
        if (text == null || phrase.isBlank()) return OptionalInt.empty();
        var m = Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(phrase.strip().toLowerCase(Locale.ROOT)) + "(?![\\p{L}\\p{N}_])")
                .matcher(text.toLowerCase(Locale.ROOT));
        return m.find() ? OptionalInt.of(m.start()) : OptionalInt.empty();
    }
}
