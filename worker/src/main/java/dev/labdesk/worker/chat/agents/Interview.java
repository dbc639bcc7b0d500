package dev.labdesk.worker.chat.agents;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ProfileField;
import dev.labdesk.model.SourcedProfile;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline onboarding interview: one question per profile field, in a fixed order, and the
 * replay that reads a conversation back into a profile. The state is derived from the messages
 * alone (which question each assistant message asked, what the next user message answered), so
 * the same code serves the live chat, a reconnect, a restart and {@code POST /extract-profile}.
 */
public final class Interview {

    /** A question, and the words that show an assistant message asked it (ours, or another agent's). */
    record Question(ProfileField field, String prompt, Pattern cue) {}

    static final List<Question> QUESTIONS = List.of(
            q(ProfileField.NAME, "First, what's your name?", "\\byour name\\b|\\bwhat should i call you\\b"),
            q(ProfileField.ROLE, "What's your role? For example PhD student, postdoc, PI, lab technician or data scientist.",
                    "\\byour role\\b|\\bposition\\b|\\bjob title\\b"),
            q(ProfileField.ORGANISATION, "Which lab, institute or organisation do you work with?",
                    "\\borgani[sz]ation\\b|\\binstitut\\w*\\b|\\buniversity\\b|\\bwhich lab\\b|\\bcompany\\b"),
            q(ProfileField.RESEARCH_AREA, "What is your research area — what do you study?",
                    "\\bresearch area\\b|\\bwhat do you study\\b|\\bfield of research\\b|\\byour research\\b"),
            q(ProfileField.GOALS, "What do you want to achieve with your data? What question should the analysis answer?",
                    "\\bachieve\\b|\\byour goals?\\b|\\bwhat question\\b"),
            q(ProfileField.EXPERIENCE_LEVEL, "How experienced are you with data analysis: beginner, intermediate or advanced?",
                    "\\bexperienced\\b|\\bexperience\\b|\\bfamiliar\\b"),
            q(ProfileField.DATA_TYPES, "What kinds of data do you work with? For example CSV tables, spreadsheets, images, sequencing reads or time series.",
                    "\\bkinds? of data\\b|\\bdata types?\\b|\\bwhat data\\b|\\bfile formats?\\b"),
            q(ProfileField.PREFERRED_COMMUNICATION_STYLE, "How should I talk to you: brief and technical, or detailed and step by step?",
                    "\\btalk to you\\b|\\bcommunicat\\w*\\b|\\bexplain things\\b|\\bstyle\\b"),
            q(ProfileField.NOTES, "Anything else I should know before we look at your data? (Say \"no\" to finish.)",
                    "\\banything else\\b"));

    static final String GREETING = "Hi! I'm the Labdesk onboarding assistant. I'll ask a few short questions so the analysis fits you and your data; say \"skip\" to pass on any of them.";

    private static Question q(ProfileField field, String prompt, String cue) {
        return new Question(field, prompt, Pattern.compile(cue, Pattern.CASE_INSENSITIVE));
    }

    /** Where a conversation stands: the profile read from it, what was asked, and what comes next. */
    public record State(SourcedProfile profile, Set<ProfileField> asked, Optional<Question> pending, List<String> captured) {
        Optional<Question> next() {
            return Interview.next(profile, asked);
        }
    }

    /** The next question worth asking: the first whose field is neither known nor asked yet. */
    static Optional<Question> next(SourcedProfile profile, Set<ProfileField> asked) {
        for (var q : QUESTIONS) if (!asked.contains(q.field()) && !q.field().isSet(profile.profile())) return Optional.of(q);
        return Optional.empty();
    }

    /**
     * The questions already asked in {@code history} that matter for {@link #next}: those whose field
     * is still empty. Scans from the newest message and stops as soon as it knows, so a long finished
     * conversation costs nothing.
     */
    static Set<ProfileField> asked(List<ChatMessage> history, SourcedProfile profile) {
        var open = EnumSet.noneOf(ProfileField.class);
        for (var q : QUESTIONS) if (!q.field().isSet(profile.profile())) open.add(q.field());
        var asked = EnumSet.noneOf(ProfileField.class);
        for (int i = history.size() - 1; i >= 0 && !asked.containsAll(open); i--) {
            var m = history.get(i);
            if (!m.fromUser() && m.text() != null) askedIn(m.text()).ifPresent(q -> asked.add(q.field()));
        }
        return asked;
    }

    /**
     * The question an assistant message asked: its last sentence ending in '?', matched against the
     * questions' cue words. A summary or an acknowledgement asks nothing, so the answer after it is
     * read only for facts volunteered in passing.
     */
    static Optional<Question> askedIn(String assistantText) {
        int end = assistantText.lastIndexOf('?');
        if (end < 0) return Optional.empty();
        int start = end;
        while (start > 0 && ".!?\n".indexOf(assistantText.charAt(start - 1)) < 0) start--;
        var sentence = assistantText.substring(start, end + 1);
        return QUESTIONS.stream().filter(q -> q.cue().matcher(sentence).find()).findFirst();
    }

    /**
     * Reads {@code messages} into a profile. Each user message answers the question the assistant
     * message just before it asked; in a conversation without any assistant messages, the user
     * messages answer the interview's questions in order. Facts volunteered in passing count too.
     * {@code captured} describes what the last user message added, for the acknowledgement.
     */
    public static State replay(List<ChatMessage> messages, SourcedProfile start) {
        var profile = start;
        var asked = EnumSet.noneOf(ProfileField.class);
        boolean anyAssistant = messages.stream().anyMatch(m -> !m.fromUser());
        Optional<Question> pending = Optional.empty();
        boolean seenUser = false;
        List<String> captured = List.of();
        for (var m : messages) {
            if (m.text() == null) continue;
            if (!m.fromUser()) {
                pending = askedIn(m.text());
                pending.ifPresent(q -> asked.add(q.field()));
                continue;
            }
            var current = new State(profile, asked, pending, List.of());
            var question = anyAssistant ? pending : (seenUser ? current.next() : Optional.<Question>empty());
            if (!anyAssistant) question.ifPresent(q -> asked.add(q.field()));
            var before = profile;
            profile = absorb(profile, question, m);
            captured = describe(before, profile);
            pending = Optional.empty();
            seenUser = true;
        }
        return new State(profile, asked, pending, captured);
    }

    static SourcedProfile absorb(SourcedProfile profile, Optional<Question> question, ChatMessage m) {
        var id = m.id();
        var text = m.text();
        if (question.isPresent()) {
            var field = question.get().field();
            var value = Answers.answer(field, text);
            if (value.isPresent()) {
                if (field == ProfileField.NOTES) {
                    var old = profile.profile().notes();
                    profile = profile.with(field, old == null ? value.get() : old + "\n" + value.get(), id);
                } else {
                    profile = profile.with(field, value.get(), id);
                }
            }
            if (field == ProfileField.ROLE && profile.profile().organisation() == null) {
                var org = Answers.organisationInRoleAnswer(text);
                if (org.isPresent()) profile = profile.with(ProfileField.ORGANISATION, org.get(), id);
            }
        }
        for (var e : Answers.volunteered(text).entrySet()) {
            boolean answeredHere = question.isPresent() && question.get().field() == e.getKey();
            if (!answeredHere && !e.getKey().isSet(profile.profile())) profile = profile.with(e.getKey(), e.getValue(), id);
        }
        var correction = Answers.correction(text);
        if (correction.isPresent()) profile = profile.with(correction.get().getKey(), correction.get().getValue(), id);
        return profile;
    }

    static List<String> describe(SourcedProfile before, SourcedProfile after) {
        if (after.profile().equals(before.profile())) return List.of(); // most turns once the interview is over
        var out = new ArrayList<String>();
        for (var f : ProfileField.values()) {
            var now = f.get(after.profile());
            if (now.isPresent() && !now.equals(f.get(before.profile())) && f != ProfileField.NOTES)
                out.add(label(f) + ": " + now.get());
        }
        return out;
    }

    static String label(ProfileField f) {
        return f.wire().replace('_', ' ');
    }

    static final String COMPLETE = "Your profile is complete; to change a field, just say so (\"my role is postdoc\").";
    private static final String THANKS_COMPLETE = "Thanks.\n\n" + COMPLETE;

    /**
     * The reply to a user message: the greeting on the first one, else an acknowledgement of what it
     * added; then the next question, the whole profile when the last question was just answered, or
     * a short reminder once the interview is over.
     */
    static String replyText(SourcedProfile profile, Optional<Question> next, List<String> captured, boolean first, boolean justFinished) {
        // the usual reply once the interview is over: one shared string, not a copy kept in every history
        if (!first && captured.isEmpty() && next.isEmpty() && !justFinished) return THANKS_COMPLETE;
        var sb = new StringBuilder();
        if (first) sb.append(GREETING).append("\n\n");
        else if (!captured.isEmpty()) sb.append("Noted: ").append(String.join("; ", captured)).append(".\n\n");
        else sb.append("Thanks.\n\n");
        if (next.isPresent()) {
            sb.append(next.get().prompt());
        } else if (justFinished) {
            sb.append("That's everything I need. Here is your profile:\n");
            var p = profile.profile();
            for (var f : ProfileField.values())
                sb.append("- ").append(capitalise(label(f))).append(": ").append(f.get(p).orElse("(not given)")).append('\n');
            sb.append("\nTo change something, just tell me, e.g. \"my role is postdoc\".");
        } else {
            sb.append(COMPLETE);
        }
        return sb.toString();
    }

    private static String capitalise(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
