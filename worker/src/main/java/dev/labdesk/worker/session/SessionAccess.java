package dev.labdesk.worker.session;

import dev.labdesk.model.SessionInfo;
import dev.labdesk.worker.auth.Principal;

import java.util.Optional;

/** Who may see a session: the principal that created it and admins. */
public final class SessionAccess {
    private SessionAccess() {}

    /**
     * The session if {@code caller} may see it. Someone else's session is empty exactly as an unknown
     * id is, so the answer never tells whether a session exists.
     */
    public static Optional<SessionInfo> visible(SessionStore store, Principal caller, String sessionId) {
        return store.get(sessionId).filter(s -> caller.mayRead(s.owner()));
    }
}
