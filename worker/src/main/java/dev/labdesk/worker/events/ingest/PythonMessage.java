package dev.labdesk.worker.events.ingest;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import java.math.RoundingMode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies a Python log record's {@code args} to its {@code msg}, as {@code record.getMessage()}
 * would ({@code msg % args}). HTTPHandler sends {@code args} as {@code str(args)}: a tuple repr
 * like {@code ('plate 1', 96, 0.5)} or, for {@code %(name)s} messages, a dict repr. Literal values
 * (strings, numbers, None, True/False) are understood; anything this cannot apply faithfully is
 * shown as {@code msg args} rather than guessed.
 */
final class PythonMessage {
    private PythonMessage() {}

    /** One argument: its {@code str()} and its {@code repr()}. */
    private record Value(String str, String repr) {}

    static String format(String msg, String args) {
        if (args == null || args.isEmpty() || args.equals("()") || args.equals("None") || args.equals("{}")
                || msg.indexOf('%') < 0) return msg;
        try {
            var s = args.strip();
            if (s.startsWith("(") && s.endsWith(")")) return substitute(msg, elements(s.substring(1, s.length() - 1)), null);
            if (s.startsWith("{") && s.endsWith("}")) return substitute(msg, null, dict(s.substring(1, s.length() - 1)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // fall through: show the arguments next to the message
        }
        return msg + " " + args;
    }

    private static final Pattern EXC_INFO = Pattern.compile(
            "\\(<class '([^']+)'>, (.*), <traceback object at 0x[0-9a-fA-F]+>\\)", Pattern.DOTALL);

    /**
     * The traceback's last line, {@code ZeroDivisionError: division by zero}, from the {@code str()} of
     * a record's {@code exc_info} tuple: {@code (<class 'ZeroDivisionError'>, ZeroDivisionError('division
     * by zero'), <traceback object at 0x…>)}; null if it is not one. Builtins lose their module, as Python prints them.
     */
    static String exception(String excInfo) {
        var m = EXC_INFO.matcher(excInfo.strip());
        if (!m.matches()) return null;
        var type = m.group(1).startsWith("builtins.") ? m.group(1).substring("builtins.".length()) : m.group(1);
        var repr = m.group(2);
        int open = repr.indexOf('(');
        if (open < 0 || !repr.endsWith(")")) return type + ": " + repr;
        try {
            var args = elements(repr.substring(open + 1, repr.length() - 1));
            if (args.isEmpty()) return type;
            // str(KeyError(k)) is repr(k): Python prints KeyError: 'od600'
            if (args.size() == 1) return type + ": " + (type.equals("KeyError") ? args.getFirst().repr() : args.getFirst().str());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // not literals: show the repr's arguments as they are
        }
        return type + ": " + repr.substring(open, repr.length());
    }

    private static String substitute(String msg, List<Value> positional, Map<String, Value> named) {
        var out = new StringBuilder(msg.length() + 32);
        int next = 0;
        for (int i = 0; i < msg.length(); i++) {
            char c = msg.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (msg.charAt(i + 1) == '%') {
                out.append('%');
                i++;
                continue;
            }
            int j = i + 1;
            Value value;
            if (msg.charAt(j) == '(') {
                int close = msg.indexOf(')', j);
                if (named == null || close < 0) throw new IllegalArgumentException("mapping key without a dict");
                value = named.get(msg.substring(j + 1, close));
                if (value == null) throw new IllegalArgumentException("missing key");
                j = close + 1;
            } else {
                if (positional == null || next >= positional.size()) throw new IllegalArgumentException("too few arguments");
                value = positional.get(next++);
            }
            int specStart = j;
            while ("-+ #0123456789.".indexOf(msg.charAt(j)) >= 0) j++;
            while ("hlL".indexOf(msg.charAt(j)) >= 0) j++;
            out.append(convert(value, msg.substring(specStart, j).replace("h", "").replace("l", "").replace("L", ""), msg.charAt(j)));
            i = j;
        }
        if (positional != null && next != positional.size()) throw new IllegalArgumentException("too many arguments");
        return out.toString();
    }

    private static String convert(Value v, String spec, char conversion) {
        try {
            return switch (conversion) {
                case 's', 'c' -> pad(v.str(), spec);
                case 'r', 'a' -> pad(v.repr(), spec);
                case 'd', 'i', 'u' -> String.format(Locale.ROOT, "%" + spec.replace("#", "") + "d", (long) number(v));
                case 'x', 'X', 'o' -> String.format(Locale.ROOT, "%" + spec + conversion, (long) number(v));
                case 'f', 'F' -> fixed(number(v), spec);
                case 'e', 'E', 'g', 'G' -> String.format(Locale.ROOT, "%" + spec + conversion, number(v));
                default -> throw new IllegalArgumentException("unknown conversion " + conversion);
            };
        } catch (IllegalFormatException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Python rounds the exact binary value half-even ({@code '%.1f' % 37.25} is 37.2); Java's %f would say 37.3. */
    private static String fixed(double d, String spec) {
        int dot = spec.indexOf('.');
        var width = dot < 0 ? spec : spec.substring(0, dot);
        if (!width.chars().allMatch(Character::isDigit) || !Double.isFinite(d))
            return String.format(Locale.ROOT, "%" + spec + "f", d);
        int precision = dot < 0 ? 6 : dot == spec.length() - 1 ? 0 : Integer.parseInt(spec.substring(dot + 1));
        var text = new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return pad(text, width);
    }

    private static double number(Value v) {
        return switch (v.str()) {
            case "True" -> 1;
            case "False" -> 0;
            default -> Double.parseDouble(v.str());
        };
    }

    private static String pad(String s, String spec) {
        var width = spec.chars().filter(ch -> Character.isDigit(ch) || ch == '.')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        int dot = width.indexOf('.');
        if (dot >= 0) {
            int precision = width.length() > dot + 1 ? Integer.parseInt(width.substring(dot + 1)) : 0;
            s = s.substring(0, Math.min(s.length(), precision));
            width = width.substring(0, dot);
        }
        if (width.isEmpty()) return s;
        int w = Integer.parseInt(width);
        if (s.length() >= w) return s;
        var fill = " ".repeat(w - s.length());
        return spec.contains("-") ? s + fill : fill + s;
    }

    private static Map<String, Value> dict(String body) {
        var items = elements(body.replace("': ", "', ").replace("\": ", "\", "));
        if (items.size() % 2 != 0) throw new IllegalArgumentException("not a dict of literals");
        var out = new HashMap<String, Value>();
        for (int i = 0; i < items.size(); i += 2) out.put(items.get(i).str(), items.get(i + 1));
        return out;
    }

    /** Comma-separated literals of a tuple's body (a trailing comma, as in {@code ('x',)}, is allowed). */
    private static List<Value> elements(String body) {
        var out = new ArrayList<Value>();
        int i = 0;
        while (i < body.length()) {
            while (i < body.length() && body.charAt(i) == ' ') i++;
            if (i >= body.length()) break;
            char c = body.charAt(i);
            int end;
            String str;
            if (c == '\'' || c == '"') {
                var text = new StringBuilder();
                end = i + 1;
                while (body.charAt(end) != c) {
                    char ch = body.charAt(end);
                    if (ch == '\\') {
                        char e = body.charAt(++end);
                        text.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> e;
                        });
                    } else {
                        text.append(ch);
                    }
                    end++;
                }
                end++;
                str = text.toString();
            } else if (c == '(' || c == '[' || c == '{' || c == '<') {
                end = closing(body, i);
                str = body.substring(i, end);
            } else {
                end = body.indexOf(',', i);
                if (end < 0) end = body.length();
                str = body.substring(i, end).strip();
            }
            out.add(new Value(str, body.substring(i, end).strip()));
            i = end;
            while (i < body.length() && body.charAt(i) == ' ') i++;
            if (i < body.length()) {
                if (body.charAt(i) != ',') throw new IllegalArgumentException("expected a comma");
                i++;
            }
        }
        return out;
    }

    private static int closing(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if ("([{<".indexOf(c) >= 0) {
                depth++;
            } else if (")]}>".indexOf(c) >= 0 && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unbalanced");
    }
}
