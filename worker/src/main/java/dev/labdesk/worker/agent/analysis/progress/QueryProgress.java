package dev.labdesk.worker.agent.analysis.progress;

import java.util.OptionalDouble;

/** How far the query running now has got, as a fraction 0–1; empty when none is running or it cannot tell. */
@FunctionalInterface
public interface QueryProgress {
    QueryProgress NONE = OptionalDouble::empty;

    OptionalDouble fraction();
}
