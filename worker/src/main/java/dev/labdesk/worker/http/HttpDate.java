package dev.labdesk.worker.http;

/**
 * HTTP's IMF-fixdate ("Wed, 02 Dec 2026 15:04:05 GMT"), which an origin server with a clock must send,
 * as Jetty does. Computed by hand because {@code java.time}'s formatter is slow to load on a cold JVM,
 * and the {@link FrontDoor}'s early {@code /health} is there not to wait (docs/BENCHMARKS.md, cold start).
 */
final class HttpDate {
    private static final String[] DAYS = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; // 1970-01-01 was a Thursday
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private HttpDate() {}

    /** Appends the IMF-fixdate of {@code epochSecond} to {@code out}. */
    static void append(long epochSecond, StringBuilder out) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = Math.floorMod(epochSecond, 86_400);
        // civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        out.append(DAYS[Math.floorMod(days, 7)]).append(", ");
        two(day, out).append(' ').append(MONTHS[month - 1]).append(' ').append(year).append(' ');
        two(secondOfDay / 3600, out).append(':');
        two(secondOfDay / 60 % 60, out).append(':');
        two(secondOfDay % 60, out).append(" GMT");
    }

    private static StringBuilder two(int n, StringBuilder out) {
        return out.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }
}
