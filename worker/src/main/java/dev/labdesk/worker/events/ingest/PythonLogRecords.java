package dev.labdesk.worker.events.ingest;

import dev.labdesk.model.FieldError;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.http.ProblemException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A record as Python's {@code logging.handlers.HTTPHandler} sends it: the LogRecord's
 * {@code __dict__}, form-encoded. {@code name} is the logger, {@code levelname} the level,
 * {@code created} epoch seconds. HTTPHandler does not format the record, so the text is
 * {@code message} when a formatter already set it, else {@code msg} with {@code args} applied
 * ({@link PythonMessage}); a traceback in {@code exc_text} is appended. HTTPHandler itself never
 * formats, so after {@code log.exception(...)} {@code exc_text} is None unless another handler
 * formatted the record first: then the exception's last line is rebuilt from {@code exc_info}
 * (the frames are not in what it sends). {@code stack_info} is appended too.
 */
final class PythonLogRecords {
    /** The form fields {@link #toEvent} reads, in the order of its array; the parser skips the rest. */
    static final List<String> FIELDS = List.of("message", "msg", "args", "exc_text", "levelname", "name", "created", "exc_info", "stack_info");
    private static final int MESSAGE = 0, MSG = 1, ARGS = 2, EXC_TEXT = 3, LEVELNAME = 4, NAME = 5, CREATED = 6, EXC_INFO = 7, STACK_INFO = 8;

    private final Clock clock;
    private final RepeatedNames names = new RepeatedNames();

    PythonLogRecords(Clock clock) {
        this.clock = clock;
    }

    /** {@code form}: the values of {@link #FIELDS}, as {@link FormFields#parse} returns them. */
    SessionEvent toEvent(String sessionId, String[] form) {
        var errors = new ArrayList<FieldError>();
        var message = form[MESSAGE];
        if (message == null || message.isEmpty()) {
            var msg = form[MSG];
            if (msg == null) errors.add(new FieldError("msg", "is required (the record's message)"));
            message = msg == null ? "" : PythonMessage.format(msg, form[ARGS]);
        }
        var excText = form[EXC_TEXT];
        if (present(excText)) {
            message = message + "\n" + excText;
        } else if (present(form[EXC_INFO])) {
            // HTTPHandler sends the record unformatted: exc_text is None, and exc_info is the tuple's str, frames lost
            var exception = PythonMessage.exception(form[EXC_INFO]);
            message = message + "\n" + (exception != null ? exception : form[EXC_INFO]);
        }
        if (present(form[STACK_INFO])) message = message + "\n" + form[STACK_INFO];
        if (message.length() > LogRecordParser.MAX_MESSAGE)
            errors.add(new FieldError("msg", "is longer than " + LogRecordParser.MAX_MESSAGE + " characters"));
        var level = form[LEVELNAME] == null ? "INFO" : form[LEVELNAME];
        if (level.length() > LogRecordParser.MAX_LEVEL)
            errors.add(new FieldError("levelname", "is longer than " + LogRecordParser.MAX_LEVEL + " characters"));
        var logger = form[NAME] == null ? "root" : form[NAME];
        if (logger.length() > LogRecordParser.MAX_NAME)
            errors.add(new FieldError("name", "is longer than " + LogRecordParser.MAX_NAME + " characters"));
        var time = created(form[CREATED], errors);
        if (!errors.isEmpty()) throw ProblemException.validation(errors);
        return new SessionEvent.Log(sessionId, 0, time, names.canonical(level.toUpperCase(Locale.ROOT)), names.canonical(logger), message);
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty() && !value.equals("None");
    }

    private Instant created(String created, ArrayList<FieldError> errors) {
        if (created == null || created.isEmpty()) return clock.instant();
        try {
            return LogRecordParser.epochSeconds(Double.parseDouble(created));
        } catch (NumberFormatException | ArithmeticException e) {
            errors.add(new FieldError("created", "must be epoch seconds, like Python's time.time()"));
            return null;
        }
    }
}
