package dev.labdesk.worker.auth;

import java.util.Optional;

import io.javalin.http.Context;

import java.util.Objects;

/**
 * Who is calling: the user id a key (or the session cookie it was exchanged for) authenticates.
 * Set on every request by {@link AuthFilter} before any route runs; an {@code admin} may read everything.
 */
public record Principal(String id, boolean admin) {
    /**
     * The one principal of a single-user worker: its generated token, the desktop's launch key,
     * {@code LABDESK_AUTH=none}. Whoever holds that key is the machine's user, so it sees everything.
     */
    public static final Principal LOCAL = new Principal("local", true);
    static final String ATTRIBUTE = "labdesk.principal";

    public Principal {
        Objects.requireNonNull(id, "id");
    }

    /** The caller of this request; routes that need one are only reached once it is set. */
    public static Principal of(Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        if (p == null) throw new IllegalStateException("no principal on " + ctx.method() + " " + ctx.path() + ": the auth filter did not run");
        return p;
    }

    /** The caller of this request if it proved who it is (on routes open to anyone, it may not have). */
    public static Optional<Principal> find(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /** Whether this principal may see what {@code owner} created. */
    public boolean mayRead(String owner) {
        return admin || id.equals(owner);
    }
}
