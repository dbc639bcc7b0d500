package dev.labdesk.desktop.settings;

import dev.labdesk.model.ChatRules;
import dev.labdesk.model.FieldError;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the user sets once: the worker URL (empty: start the embedded worker), the worker's API key
 * (a remote worker's; the embedded one gets a fresh key at each launch instead), Modal proxy-auth
 * key and secret for a worker behind Modal's proxy, the chat user id, the theme. {@code toString}
 * says only whether the secrets are set.
 */
public record Settings(String workerUrl, String apiKey, String modalKey, String modalSecret, String userId, Theme theme) {
    public static final Settings DEFAULTS = new Settings("", "", "", "", defaultUserId(), Theme.LIGHT);

    public Settings {
        workerUrl = workerUrl == null ? "" : workerUrl.strip();
        apiKey = apiKey == null ? "" : apiKey.strip();
        modalKey = modalKey == null ? "" : modalKey.strip();
        modalSecret = modalSecret == null ? "" : modalSecret.strip();
        userId = userId == null || userId.isBlank() ? defaultUserId() : userId.strip();
        theme = theme == null ? Theme.LIGHT : theme;
    }

    public boolean embedded() {
        return workerUrl.isEmpty();
    }

    public Settings withTheme(Theme next) {
        return new Settings(workerUrl, apiKey, modalKey, modalSecret, userId, next);
    }

    /** Whether reaching the worker changes: another URL or other credentials. */
    public boolean sameWorker(Settings other) {
        return workerUrl.equals(other.workerUrl) && apiKey.equals(other.apiKey) && modalKey.equals(other.modalKey)
                && modalSecret.equals(other.modalSecret);
    }

    public Optional<URI> workerUri() {
        return embedded() ? Optional.empty() : Optional.of(URI.create(workerUrl));
    }

    /** Problems by field name ({@code worker_url}, {@code user_id}); empty when these settings can be saved. */
    public List<FieldError> problems() {
        var out = new ArrayList<FieldError>();
        if (!embedded()) {
            try {
                var u = URI.create(workerUrl);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null)
                    out.add(new FieldError("worker_url", "must be an http:// or https:// URL, or empty for the embedded worker"));
            } catch (IllegalArgumentException e) {
                out.add(new FieldError("worker_url", "must be an http:// or https:// URL, or empty for the embedded worker"));
            }
        }
        if (!ChatRules.validUserId(userId)) out.add(new FieldError("user_id", ChatRules.userIdRule()));
        if (modalKey.isEmpty() != modalSecret.isEmpty()) out.add(new FieldError("modal_secret", "key and secret go together: set both or neither"));
        return out;
    }

    @Override
    public String toString() {
        return "Settings[worker_url=" + workerUrl + ", api_key=" + (apiKey.isEmpty() ? "(none)" : "(set)")
                + ", modal_key=" + (modalKey.isEmpty() ? "(none)" : "(set)") + ", modal_secret=" + (modalSecret.isEmpty() ? "(none)" : "(set)")
                + ", user_id=" + userId + ", theme=" + theme + "]";
    }

    private static String defaultUserId() {
        var name = System.getProperty("user.name", "researcher").replaceAll("[^A-Za-z0-9._-]", "");
        return name.isEmpty() ? "researcher" : name.length() > 64 ? name.substring(0, 64) : name;
    }
}
