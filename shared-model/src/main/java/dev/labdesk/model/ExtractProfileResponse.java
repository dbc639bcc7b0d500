package dev.labdesk.model;

import java.util.List;
import java.util.Map;

/** One result per request item, in the request's order: a profile with its sources, or an error. */
public record ExtractProfileResponse(ChatMode mode, List<Result> results) {

    public record Result(int index, String userId, Profile profile, Map<String, String> sources, ItemError error) {
        public static Result ok(int index, String userId, SourcedProfile p) {
            return new Result(index, userId, p.profile(), p.sources(), null);
        }

        public static Result failed(int index, String userId, ItemError error) {
            return new Result(index, userId, null, null, error);
        }
    }

    /** Why one item failed; the others are unaffected. */
    public record ItemError(String code, String message, boolean retryable) {}
}
