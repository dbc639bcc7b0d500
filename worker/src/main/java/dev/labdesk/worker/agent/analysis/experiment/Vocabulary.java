package dev.labdesk.worker.agent.analysis.experiment;

import java.util.HashMap;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words a hypothesis uses for what was measured, for time and for a claim's direction. A measure is a
 * concept: words that call it up ("grows", "growth") and the column names that record it (OD600, absorbance, biomass).
 */
final class Vocabulary {
    /** A kind of measurement: the words that name it (whole words, by prefix) and the compact column names that hold it. */
    record Concept(String name, Pattern words, Pattern columns) {}

    static final List<Concept> MEASURES = List.of(
            concept("growth", "grow|grew|growth|outgrow|proliferat|biomass|turbid|densit",
                    "od|od\\d+|a\\d{3}|abs\\d*|absorbance\\d*|growth|biomass|turbidity|opticaldensity|density|celldensity|cfu\\w*|cellcount|cells|reading|odreading"),
            concept("yield", "yield|final|maximal|maximum|plateau|carrying", "yield|finalod|maxod|odmax|od\\d*|biomass"),
            concept("rate", "rate|speed|doubling|generation", "\\w*rate|mu|mumax|growthrate|doublingtime|generationtime"),
            concept("expression", "express|transcri|mrna|protein|level", "\\w*expression\\w*|expr|fluorescence|gfp|rfp|yfp|mcherry|rfu|luminescence|lux|signal|mrna|tpm|fpkm|cpm|intensity"),
            concept("fluorescence", "fluoresc|gfp|rfp|yfp|mcherry|bright|glow", "fluorescence|fluor\\w*|gfp|rfp|yfp|mcherry|rfu|intensity|reading"),
            concept("weight", "weigh|heav|light|mass", "\\w*weight\\w*|mass|bodymass|bw"),
            concept("size", "size|big|small|large|length|long|short|tall|height|diameter|area|volume|width", "size|length|height|diameter|area|volume|width"),
            concept("survival", "surviv|viab|alive|death|die|kill|mortal", "survival|viability|viable|alive|cfu\\w*|deaths?|mortality"),
            concept("activity", "activ|enzym|catalys", "\\w*activity|rate"),
            concept("concentration", "concentr|titer|titre|amount|abundan|content", "conc|concentration|titer|titre|level|abundance|amount|content"));

    /** Column names that are time, by their compact form: "time", "Time [s]", "time_h", "hours", "day". */
    static final Pattern TIME_COLUMN = Pattern.compile("(elapsed)?(time|t)(h|hr|hrs|hours?|min|mins|minutes?|s|sec|secs|seconds?|d|days?)?|hours?|hrs?|h|minutes?|mins?|days?|seconds?|secs?|timepoint|elapsed|date|datetime|timestamp|clock");
    /** Words that make time part of the claim ("over 24 hours", "grows faster"). */
    static final Pattern TIME_WORDS = Pattern.compile("time|hours?|h|minutes?|min|days?|faster|slower|quick\\w*|rapid\\w*|slow\\w*|curve|kinetic\\w*|over");
    /** Column names of a replicate (one well, one culture): what a time course is a curve of. */
    static final Pattern REPLICATE_COLUMN = Pattern.compile("wells?|wellid|wellposition|position|replicates?|rep|reps|biorep|biologicalreplicate|sample|samples|sampleid|samplename|culture|cultureid|flask|tube|clone|colony|isolate|animal|animalid|mouse|mouseid|subject|subjectid|patient|patientid|individual|plant|plantid|id|unit|plate_well");

    private static final Map<String, Direction> DIRECTIONS = words(
            entry(Direction.LESS, "slower", "lower", "less", "fewer", "smaller", "decrease", "decreases", "decreased", "decreasing", "reduce", "reduces",
                    "reduced", "reduction", "lighter", "shorter", "weaker", "worse", "impaired", "impairs", "impair", "diminished", "diminishes", "lags",
                    "lag", "inhibits", "inhibited", "inhibit", "declines", "decline", "drops", "below", "lowered", "attenuated", "defective", "deficient",
                    "lowers", "slows", "slowed", "delayed", "delays", "underperforms", "lacks"),
            entry(Direction.GREATER, "faster", "higher", "more", "greater", "larger", "bigger", "increase", "increases", "increased", "increasing",
                    "enhance", "enhances", "enhanced", "elevated", "heavier", "longer", "stronger", "better", "exceeds", "exceed", "above", "outgrows",
                    "outperforms", "improved", "improves", "boosts", "boosted", "raised", "raises", "rises", "accelerates", "accelerated", "quicker"),
            entry(Direction.DIFFERENT, "differ", "differs", "different", "difference", "differences", "differently", "affect", "affects", "affected",
                    "effect", "effects", "change", "changes", "changed", "alter", "alters", "altered", "vary", "varies", "depends", "influences", "impacts"),
            entry(Direction.SAME, "same", "similar", "similarly", "equal", "equally", "unchanged", "indistinguishable", "comparable", "unaffected", "identical"));
    /** Adverbs that turn "more" and "less" round: "more slowly" is slower. */
    private static final Map<String, Direction> MANNER = words(
            entry(Direction.LESS, "slowly", "slow", "poorly", "weakly"),
            entry(Direction.GREATER, "quickly", "rapidly", "fast", "readily", "strongly", "well", "efficiently"));
    static final Set<String> NEGATIONS = Set.of("not", "no", "never", "cannot", "don't", "doesn't", "isn't", "aren't", "didn't", "without", "nor");

    private Vocabulary() {}

    static Optional<Direction> direction(String word) {
        return Optional.ofNullable(DIRECTIONS.get(word));
    }

    static Optional<Direction> manner(String word) {
        return Optional.ofNullable(MANNER.get(word));
    }

    private static Concept concept(String name, String wordStems, String columns) {
        return new Concept(name, Pattern.compile("(" + wordStems + ")\\w*"), Pattern.compile(columns));
    }

    private record Entry(Direction direction, String... words) {}

    private static Entry entry(Direction d, String... words) {
        return new Entry(d, words);
    }

    private static Map<String, Direction> words(Entry... entries) {
        var out = new HashMap<String, Direction>();
        for (var e : entries) for (var w : e.words()) out.put(w, e.direction());
        return Map.copyOf(out);
    }
}
