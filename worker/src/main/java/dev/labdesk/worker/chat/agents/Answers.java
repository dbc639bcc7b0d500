package dev.labdesk.worker.chat.agents;

import dev.labdesk.model.ChatRules;
import dev.labdesk.model.ProfileField;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads profile values out of free-text answers: the answer to a direct question ("What's your
 * name?" → "I'm Ada Lovelace" → {@code Ada Lovelace}) and facts volunteered in passing ("I'm a
 * postdoc at EMBL"). Rules, not a model: they normalise the phrasings people actually use and
 * leave everything else as typed.
 */
public final class Answers {
    private static final int VALUE_MAX = ChatRules.PROFILE_VALUE_MAX;
    private static final int NOTES_MAX = ChatRules.PROFILE_NOTES_MAX;

    private static final Pattern SKIP = Pattern.compile(
            "^(skip|pass|n/?a|none|no|nope|nothing|not really|no thanks|rather not( say)?|prefer not( to say)?|-)[.!]*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME_PREFIX = Pattern.compile(
            "^(hi|hello|hey)?[,!.\\s]*(my name is|my name's|name:|i'm|i am|im|it's|it is|this is|call me|they call me)\\s+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ROLE_PREFIX = Pattern.compile(
            "^(i'm|i am|im|i work as|my role is|my position is|currently|i'm currently|i am currently|role:)\\s+((a|an|the)\\s+)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ORG_PREFIX = Pattern.compile(
            "^(i work (at|for|in)|i'm (at|with|in)|i am (at|with|in)|at|with|for|in|i'm based at|i am based at|my (lab|organisation|organization|institution|university|company) is)\\s+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern AREA_PREFIX = Pattern.compile(
            "^(i work on|i study|i research|i'm working on|i am working on|my research is (on|about|in)|my field is|research area:|mostly|mainly|i do)\\s+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern GOAL_PREFIX = Pattern.compile(
            "^(i want to|i'd like to|i would like to|my goal is to|my goals are to|the goal is to|i hope to|i need to|to)\\s+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LEADING_THE = Pattern.compile("^(?:the|The)\\s+(?=\\p{Lu})");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern CLAUSE_BREAK = Pattern.compile("[,;.!?\\n]|\\s+(?:and|but)\\s+");
    private static final Pattern SENTENCE_BREAK = Pattern.compile("(?<=[.!?])\\s+|\\n");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.!?,;:]+$");
    private static final Pattern BEGINNER = words("beginner|new to|novice|not much|little|basic|just start\\w*|never|no experience|not very");
    private static final Pattern ADVANCED = words("advanced|expert|very experienced|experienced|professional|fluent|daily|lots|a lot|\\d+\\+? years|many years|years of");
    private static final Pattern INTERMEDIATE = words("intermediate|some|moderate|a bit|comfortable|decent|okay|ok|reasonabl\\w*|somewhat|familiar");
    private static final Pattern CONCISE = words("brief|short|concise|to the point|bullet\\w*|quick|terse|succinct");
    private static final Pattern DETAILED = words("detail\\w*|step by step|step-by-step|explain\\w*|thorough|in depth|in-depth|walk me through|patient");
    private static final Pattern TECHNICAL = words("technical|jargon|math\\w*|code|formal|precise");
    private static final Pattern PLAIN = words("casual|friendly|informal|plain|simple|non-technical|layman");
    private static final Pattern AT_ORG = Pattern.compile("^(.+?)\\s+(?:at|with|in)\\s+(?:the\\s+)?(\\p{Lu}.*)$");

    private static final Pattern VOLUNTEERED_NAME = Pattern.compile(
            "\\b(?:my name is|my name's|call me)\\s+(\\p{Lu}[\\p{L}'-]*(?:\\s+\\p{Lu}[\\p{L}'-]*){0,2})"
            // "Hi! I'm Ada, a postdoc …": a capitalised name right after I'm, then a pause or the end
            + "|\\b(?:[Ii]'?m|I am)\\s+(\\p{Lu}\\p{Ll}[\\p{L}'-]*(?:\\s+\\p{Lu}\\p{Ll}[\\p{L}'-]*)?)(?=\\s*[,.;!]|\\s*$|\\s+(?:and|from)\\b)");
    /** An answer to "what's your name?" that is a sentence about something else is not a name. */
    private static final Pattern NOT_A_NAME = Pattern.compile("^(?:i|we|my|our|it|this|that|the|a|an)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern VOLUNTEERED_ROLE = Pattern.compile(
            "\\b(?:i'?m|i am|i work as|my role is)\\s+(?:a|an)\\s+([\\p{L} -]{2,60}?)(?=\\s+(?:at|in|with|working|and|who|from)\\b|[,.;!]|$)"
            // "I'm Ada, a postdoc in …": the role after the name
            + "|\\bi'?m\\s+\\p{L}+(?:\\s+\\p{L}+)?,\\s+(?:a|an)\\s+([\\p{L} -]{2,60}?)(?=\\s+(?:at|in|with|working|and|who|from)\\b|[,.;!]|$)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern VOLUNTEERED_ORG = Pattern.compile(
            "\\b(?:i work (?:at|for)|i'?m (?:at|with)|i am (?:at|with)|based at|\\b(?:student|postdoc|researcher|professor|scientist|technician|engineer|pi|lecturer)(?:\\s+in\\s+[\\p{L} -]{2,40}?)? at)\\s+(?:the\\s+)?(\\p{Lu}[\\p{L}\\p{N}&.'-]*(?:\\s+(?:of\\s+|for\\s+)?\\p{Lu}[\\p{L}\\p{N}&.'-]*){0,5})",
            Pattern.CASE_INSENSITIVE);
    /** "… and want to compare strains": where a research-area answer turns into a goal. */
    private static final Pattern INTENT = Pattern.compile(
            "\\s*,?\\s+(?:and|but|so)\\s+(?:i\\s+|we\\s+)?(?:want|would like|'d like|need|hope|plan|am trying|'m trying)\\b.*$",
            Pattern.CASE_INSENSITIVE);
    /** "… I want to compare strains": a goal said in passing, to the end of its sentence. */
    private static final Pattern VOLUNTEERED_GOAL = Pattern.compile(
            "\\b(?:i want to|i'd like to|i would like to|my goal is to|i hope to|i need to|and want to|we want to)\\s+(.{3,200}?)(?=[.;!?\\n]|$)",
            Pattern.CASE_INSENSITIVE);
    /** "I work on bacterial growth in biofilms, and …": what they research, up to the end of that clause. */
    private static final Pattern VOLUNTEERED_AREA = Pattern.compile(
            "\\b(?:i work on|i study|i research|i'?m working on|i am working on|my research is (?:on|about|in)|my field is|i do research (?:on|in|into))\\s+"
            + "(?!(?:at|with|for)\\s)(.{3,200}?)(?=[.;!?\\n]|,|\\s+(?:and|but|so)\\s|$)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CORRECTION = Pattern.compile(
            "\\b(?:my|change my|set my|update my)\\s+(name|role|organi[sz]ation|research area|goals?|experience(?: level)?|data types?|communication style|style)\\s+(?:is|are|to|should be)\\s+(.+)$",
            Pattern.CASE_INSENSITIVE);

    /** Known kinds of research data, by the words people use for them. */
    private static final List<DataKind> DATA_KINDS = List.of(
            kind("CSV tables", "\\b(csv|tsv|tab-separated|comma-separated|tables?|tabular)\\b"),
            kind("spreadsheets", "\\b(excel|xlsx?|spreadsheets?|google sheets)\\b"),
            kind("Parquet", "\\bparquet\\b"),
            kind("JSON", "\\b(json|jsonl|ndjson)\\b"),
            kind("images", "\\b(images?|microscopy|tiff?|png|jpe?g|imaging|photos?)\\b"),
            kind("sequencing reads", "\\b(sequencing|fastq|fasta|bam|sam|reads|genomic|rna-?seq|dna)\\b"),
            kind("time series", "\\b(time[- ]series|sensor|signals?|recordings?|eeg|ecg)\\b"),
            kind("survey responses", "\\b(surveys?|questionnaires?|interviews?)\\b"),
            kind("text documents", "\\b(text|documents?|pdfs?|transcripts?)\\b"),
            kind("mass spectrometry", "\\b(mass spec\\w*|ms/ms|proteomics|metabolomics)\\b"),
            kind("plate reader measurements", "\\b(plate reader|od600|absorbance|fluorescence)\\b"));

    private record DataKind(String label, Pattern pattern) {}

    private static DataKind kind(String label, String regex) {
        return new DataKind(label, Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
    }

    private Answers() {}

    /** Any of the {@code |}-separated words or phrases, as whole words, ignoring case. */
    private static Pattern words(String alternatives) {
        return Pattern.compile("\\b(?:" + alternatives + ")\\b", Pattern.CASE_INSENSITIVE);
    }

    static boolean isSkip(String answer) {
        return SKIP.matcher(answer.strip()).matches();
    }

    /** The value {@code answer} gives for {@code field} when it answers the question about it. */
    static Optional<String> answer(ProfileField field, String answer) {
        var text = answer.strip();
        if (text.isEmpty() || isSkip(text)) return Optional.empty();
        // "I work on bacterial growth" says what they research; it is no name, role or organisation
        if ((field == ProfileField.NAME || field == ProfileField.ROLE || field == ProfileField.ORGANISATION)
                && AREA_PREFIX.matcher(text).find()) return Optional.empty();
        var value = switch (field) {
            case NAME -> {
                var name = firstClause(strip(NAME_PREFIX, text));
                yield NOT_A_NAME.matcher(name).find() || name.split("\\s+").length > 4 ? "" : name;
            }
            case ROLE -> {
                var role = strip(ROLE_PREFIX, text);
                var at = AT_ORG.matcher(role);
                yield firstClause(at.matches() ? at.group(1) : role);
            }
            case ORGANISATION -> sentence(LEADING_THE.matcher(strip(ORG_PREFIX, text)).replaceFirst(""));
            case RESEARCH_AREA -> beforeIntent(sentence(strip(AREA_PREFIX, text)));
            case GOALS -> capitalise(sentence(strip(GOAL_PREFIX, text)));
            case EXPERIENCE_LEVEL -> experience(text).orElse(sentence(text));
            case DATA_TYPES -> dataTypes(text).orElse(sentence(text));
            case PREFERRED_COMMUNICATION_STYLE -> style(text).orElse(sentence(text));
            case NOTES -> clip(text, NOTES_MAX);
        };
        return value.isBlank() ? Optional.empty() : Optional.of(clip(value, field.maxLength()));
    }

    /** A role answer may name the organisation too ("PhD student at ETH Zurich"). */
    static Optional<String> organisationInRoleAnswer(String answer) {
        var at = AT_ORG.matcher(strip(ROLE_PREFIX, answer.strip()));
        return at.matches() ? Optional.of(sentence(at.group(2))).filter(s -> !s.isBlank()) : Optional.empty();
    }

    /**
     * Facts stated in passing, in any message: name, role, organisation, research area and goals. They fill
     * fields still empty; changing a known value takes an explicit {@link #correction}.
     */
    static Map<ProfileField, String> volunteered(String message) {
        if (!hasSpace(message)) return Map.of(); // every pattern below needs a space after its lead words
        var found = new EnumMap<ProfileField, String>(ProfileField.class);
        find(VOLUNTEERED_NAME, message).ifPresent(v -> found.put(ProfileField.NAME, v));
        find(VOLUNTEERED_ROLE, message).filter(v -> !v.isBlank()).ifPresent(v -> found.put(ProfileField.ROLE, v.strip()));
        find(VOLUNTEERED_ORG, message).map(v -> TRAILING_PUNCTUATION.matcher(v.strip()).replaceAll(""))
                .filter(v -> !v.isEmpty()).ifPresent(v -> found.put(ProfileField.ORGANISATION, v));
        find(VOLUNTEERED_GOAL, message).map(String::strip).filter(v -> !v.isEmpty())
                .ifPresent(v -> found.put(ProfileField.GOALS, capitalise(clip(v, VALUE_MAX))));
        find(VOLUNTEERED_AREA, message).map(String::strip).filter(v -> !v.isEmpty())
                .ifPresent(v -> found.put(ProfileField.RESEARCH_AREA, clip(v, VALUE_MAX)));
        return found;
    }

    /** An explicit change of one field ("my role is postdoc", "change my goals to …"), if the message is one. */
    static Optional<Map.Entry<ProfileField, String>> correction(String message) {
        if (!hasSpace(message)) return Optional.empty(); // "my <field> is …" has spaces
        var correction = CORRECTION.matcher(message.strip());
        if (!correction.find()) return Optional.empty();
        var field = switch (SPACES.matcher(correction.group(1).toLowerCase(Locale.ROOT)).replaceAll(" ")) {
            case "name" -> ProfileField.NAME;
            case "role" -> ProfileField.ROLE;
            case "organisation", "organization" -> ProfileField.ORGANISATION;
            case "research area" -> ProfileField.RESEARCH_AREA;
            case "goal", "goals" -> ProfileField.GOALS;
            case "experience", "experience level" -> ProfileField.EXPERIENCE_LEVEL;
            case "data type", "data types" -> ProfileField.DATA_TYPES;
            default -> ProfileField.PREFERRED_COMMUNICATION_STYLE;
        };
        return answer(field, correction.group(2)).map(v -> Map.entry(field, v));
    }

    static Optional<String> experience(String text) {
        var t = text.toLowerCase(Locale.ROOT);
        if (BEGINNER.matcher(t).find())
            return Optional.of("beginner");
        if (ADVANCED.matcher(t).find())
            return Optional.of("advanced");
        if (INTERMEDIATE.matcher(t).find())
            return Optional.of("intermediate");
        return Optional.empty();
    }

    static Optional<String> dataTypes(String text) {
        var kinds = new LinkedHashSet<String>();
        for (var kind : DATA_KINDS) if (kind.pattern().matcher(text).find()) kinds.add(kind.label());
        return kinds.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", kinds));
    }

    static Optional<String> style(String text) {
        var t = text.toLowerCase(Locale.ROOT);
        var parts = new ArrayList<String>();
        if (CONCISE.matcher(t).find()) parts.add("concise");
        if (DETAILED.matcher(t).find())
            parts.add("detailed, step by step");
        if (TECHNICAL.matcher(t).find()) parts.add("technical");
        if (PLAIN.matcher(t).find()) parts.add("plain language");
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", parts));
    }

    /**
     * Whether {@code text} has a character the patterns' {@code \s} matches. A one-word answer ("Ada", "skip",
     * "postdoc") then skips the scans for facts said in passing, which cost the most of a turn.
     */
    private static boolean hasSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || (c >= '\t' && c <= '\r')) return true; // tab, line feed, vertical tab, form feed, carriage return: what \s matches
        }
        return false;
    }

    private static Optional<String> find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) return Optional.empty();
        // patterns with alternatives capture the value in whichever group matched
        for (int g = 1; g <= m.groupCount(); g++)
            if (m.group(g) != null) return Optional.of(clip(m.group(g).strip(), VALUE_MAX));
        return Optional.empty();
    }

    private static String strip(Pattern prefix, String text) {
        return prefix.matcher(text).replaceFirst("").strip();
    }

    /** Up to the first sentence or clause break: "Ada, nice to meet you" → "Ada". */
    private static String firstClause(String text) {
        var cut = CLAUSE_BREAK.split(text, 2)[0];
        return cut.strip();
    }

    /** The area without a trailing "…, and I want to …" clause (what the user hopes to do is not their area); unchanged if that is all it says. */
    private static String beforeIntent(String area) {
        var cut = INTENT.matcher(area).replaceFirst("").strip();
        return cut.isEmpty() ? area : cut;
    }

    /** Up to the end of the first sentence, trailing punctuation dropped. */
    private static String sentence(String text) {
        var s = SENTENCE_BREAK.split(text, 2)[0].strip();
        return TRAILING_PUNCTUATION.matcher(s).replaceAll("").strip();
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1).strip() + "…";
    }
}
