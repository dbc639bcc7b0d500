package dev.labdesk.worker.agent.analysis.experiment;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Group values that are controls, not groups of the experiment: blank, empty and medium-only wells or samples
 * ("blank", "Medium 2", "no cells"). A whole value must say so: "rich medium" is a condition, not a blank; and a vehicle
 * (water, buffer, DMSO) is a real comparison group, not a blank.
 */
final class Controls {
    private static final Pattern CONTROL = Pattern.compile(
            "(?i)(blank|blk|empty|medium|media|medium only|media only|background|no cells?|no inoculum|uninoculated|broth|sterile)[ _-]*\\d*");

    private Controls() {}

    static boolean control(String value) {
        return value != null && CONTROL.matcher(value.strip()).matches();
    }

    /** The values among {@code levels} that are controls. */
    static List<String> in(List<String> levels) {
        return levels.stream().filter(Controls::control).toList();
    }
}
