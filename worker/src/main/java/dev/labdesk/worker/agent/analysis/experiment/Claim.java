package dev.labdesk.worker.agent.analysis.experiment;

import java.util.Collections;
import java.util.Locale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a hypothesis (and the goals around it) says, read word by word: its direction and the word that gave it
 * (none: a two-sided claim), and the kinds of measurement its words call up, each with the word that did.
 */
record Claim(String hypothesis, String text, List<String> words, Direction direction, String directionWord, Map<String, String> measures) {
    Claim {
        words = List.copyOf(words);
        measures = Collections.unmodifiableMap(new LinkedHashMap<>(measures));
    }

    /** Reads the hypothesis for its direction; hypothesis and goals together for what was measured. */
    static Claim read(String hypothesis, String goals) {
        var text = join(hypothesis, goals);
        var words = Words.tokens(text);
        var claimWords = Words.tokens(hypothesis);
        Direction direction = null;
        String directionWord = null;
        for (int i = 0; i < claimWords.size() && direction == null; i++) {
            var w = claimWords.get(i);
            var d = Vocabulary.direction(w);
            if (d.isEmpty()) continue;
            direction = d.get();
            directionWord = w;
            if ((w.equals("more") || w.equals("less")) && i + 1 < claimWords.size()) {
                var manner = Vocabulary.manner(claimWords.get(i + 1));
                if (manner.isPresent()) {
                    direction = w.equals("more") ? manner.get() : opposite(manner.get());
                    directionWord = w + " " + claimWords.get(i + 1);
                }
            }
            if (negated(claimWords, i)) {
                direction = Direction.SAME;
                directionWord = "not " + directionWord;
            }
        }
        if (direction == null && claimWords.size() > 1 && hypothesis.toLowerCase(Locale.ROOT).matches("(?s).*\\bno (significant )?(difference|effect|change)\\b.*")) {
            direction = Direction.SAME;
            directionWord = "no difference";
        }
        var measures = new LinkedHashMap<String, String>();
        for (var c : Vocabulary.MEASURES)
            for (var w : words)
                if (c.words().matcher(w).matches()) {
                    measures.putIfAbsent(c.name(), w);
                    break;
                }
        return new Claim(hypothesis == null ? "" : hypothesis.strip(), text, words, direction == null ? Direction.DIFFERENT : direction,
                directionWord, measures);
    }

    private static boolean negated(List<String> words, int at) {
        for (int j = Math.max(0, at - 3); j < at; j++) if (Vocabulary.NEGATIONS.contains(words.get(j))) return true;
        return false;
    }

    private static Direction opposite(Direction d) {
        return d == Direction.GREATER ? Direction.LESS : d == Direction.LESS ? Direction.GREATER : d;
    }

    private static String join(String... parts) {
        var out = new ArrayList<String>();
        for (var p : parts) if (p != null && !p.isBlank()) out.add(p.strip());
        return String.join("\n", out);
    }

    boolean directional() {
        return direction == Direction.GREATER || direction == Direction.LESS;
    }
}
