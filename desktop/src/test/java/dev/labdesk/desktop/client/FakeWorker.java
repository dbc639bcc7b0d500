package dev.labdesk.desktop.client;

import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Health;
import dev.labdesk.model.ProfileField;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.UploadAccepted;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A worker answered from memory, for view-model unit tests (the issue asks for one; the real-worker
 * tests stay as integration tests). The test sets what each call answers or throws, reads what was
 * asked, and plays the worker's side of event streams, chat sockets and uploads. Nothing blocks.
 */
public final class FakeWorker implements WorkerApi {
    private final WorkerAddress address;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final List<Chat> chats = new CopyOnWriteArrayList<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final Map<String, String> reports = new HashMap<>();
    private final Map<String, byte[]> figures = new HashMap<>();
    private volatile Health health = new Health("healthy", "test", Map.of());
    private volatile WorkerException failure;
    private volatile List<SessionInfo> sessions = List.of();
    private volatile boolean closed;

    public FakeWorker(String baseUrl) {
        this(WorkerAddress.of(URI.create(baseUrl)));
    }

    public FakeWorker(WorkerAddress address) {
        this.address = address;
    }

    // what the worker answers

    public FakeWorker health(Health h) { health = h; return this; }
    /** Every call (not streams, sockets or uploads) throws {@code e} until set back to null. */
    public FakeWorker failing(WorkerException e) { failure = e; return this; }
    public FakeWorker sessions(List<SessionInfo> list) { sessions = List.copyOf(list); return this; }
    public synchronized FakeWorker report(String id, String markdown) { reports.put(id, markdown); return this; }
    public synchronized FakeWorker figure(String id, String file, byte[] bytes) { figures.put(id + "/" + file, bytes); return this; }

    // what was asked

    /** Calls in order, as "health", "sessions", "report s1", "figure s1 a.png", "cancel s1". */
    public List<String> calls() { return List.copyOf(calls); }
    public List<Stream> streams() { return List.copyOf(streams); }
    public List<Chat> chats() { return List.copyOf(chats); }
    public List<Upload> uploads() { return List.copyOf(uploads); }
    public Upload lastUpload() { return uploads.getLast(); }
    public Stream lastStream() { return streams.getLast(); }
    public boolean closed() { return closed; }
    /** Event streams started and not closed. */
    public long openStreams() { return streams.stream().filter(s -> s.started && !s.closed).count(); }

    private void ask(String call) throws WorkerException {
        calls.add(call);
        var e = failure;
        if (e != null) throw e;
    }

    @Override public WorkerAddress address() { return address; }

    @Override public Health health() throws WorkerException {
        ask("health");
        return health;
    }

    @Override public List<SessionInfo> sessions() throws WorkerException {
        ask("sessions");
        return sessions;
    }

    @Override public SessionInfo session(String id) throws WorkerException {
        ask("session " + id);
        return sessions.stream().filter(s -> s.sessionId().equals(id)).findFirst().orElseThrow(() -> new NoSuchElementException(id));
    }

    @Override public synchronized String report(String id) throws WorkerException {
        ask("report " + id);
        var r = reports.get(id);
        if (r == null) throw WorkerException.status(404, "no report yet");
        return r;
    }

    @Override public synchronized byte[] reportFigure(String id, String file) throws WorkerException {
        ask("figure " + id + " " + file);
        var b = figures.get(id + "/" + file);
        if (b == null) throw WorkerException.status(404, "no such figure");
        return b;
    }

    @Override public void cancel(String id) throws WorkerException {
        ask("cancel " + id);
    }

    @Override public Stream events(String sessionId, long afterSeq, EventStream.Listener listener) {
        var s = new Stream(sessionId, afterSeq, listener);
        streams.add(s);
        return s;
    }

    @Override public Chat chat(String userId, ChatConnection.Listener listener) {
        var c = new Chat(userId, listener);
        chats.add(c);
        return c;
    }

    @Override public Upload upload(ExperimentContext context, List<LocalFile> files, ResumableUploadTask.Listener listener) {
        var u = new Upload(context, files, listener);
        uploads.add(u);
        return u;
    }

    @Override public void close() {
        closed = true;
    }

    /** One session's event stream; the test speaks for the worker through {@link #send} and {@link #state}. */
    public static final class Stream implements WorkerApi.Events {
        public final String sessionId;
        public final long afterSeq;
        private final EventStream.Listener listener;
        private volatile boolean started;
        private volatile boolean closed;

        Stream(String sessionId, long afterSeq, EventStream.Listener listener) {
            this.sessionId = sessionId;
            this.afterSeq = afterSeq;
            this.listener = listener;
        }

        @Override public Stream start() {
            started = true;
            listener.state(EventStream.State.CONNECTING, "connecting");
            return this;
        }

        /** Delivers {@code event} as the stream's thread would; a closed stream delivers nothing, as the real one. */
        public void send(SessionEvent event) {
            if (started && !closed) listener.event(event);
        }

        public void state(EventStream.State state, String detail) {
            if (started && !closed) listener.state(state, detail);
        }

        public boolean isStarted() { return started; }
        public boolean isClosed() { return closed; }

        @Override public void close() {
            if (closed) return;
            closed = true;
            listener.state(EventStream.State.CLOSED, "");
        }
    }

    /** One user's chat socket: frames the worker sends go through {@link #frame}; what the user sent is kept. */
    public static final class Chat implements WorkerApi.Chat {
        public final String userId;
        private final ChatConnection.Listener listener;
        private final List<String> sent = new CopyOnWriteArrayList<>();
        private volatile boolean started;
        private volatile boolean closed;

        Chat(String userId, ChatConnection.Listener listener) {
            this.userId = userId;
            this.listener = listener;
        }

        @Override public Chat start() {
            started = true;
            listener.state(ChatConnection.State.CONNECTING, "connecting");
            return this;
        }

        public void frame(ChatFrame.FromWorker frame) { listener.frame(frame); }
        public void state(ChatConnection.State state, String detail) { listener.state(state, detail); }

        @Override public String send(String text) {
            sent.add(text);
            return "c" + sent.size();
        }

        @Override public void editProfile(ProfileField field, String value) {}

        @Override public boolean stop() {
            return started && !closed;
        }

        public List<String> sent() { return List.copyOf(sent); }
        public boolean isStarted() { return started; }
        public boolean isClosed() { return closed; }

        @Override public void close() {
            closed = true;
        }
    }

    /**
     * One upload. {@link #run()} ends as the test said ({@link #accept}, {@link #fail}); cancelled before or while it
     * runs it throws {@link UploadCancelledException}. Progress: call {@link #listener()} as the uploading thread would.
     */
    public static final class Upload implements WorkerApi.Upload {
        public final ExperimentContext context;
        public final List<LocalFile> files;
        private final ResumableUploadTask.Listener listener;
        private final List<String> cancelledOn = new CopyOnWriteArrayList<>();
        private volatile UploadAccepted accepted;
        private volatile WorkerException failure;
        private volatile boolean ran;

        Upload(ExperimentContext context, List<LocalFile> files, ResumableUploadTask.Listener listener) {
            this.context = context;
            this.files = new ArrayList<>(files);
            this.listener = listener;
        }

        public Upload accept(UploadAccepted a) { accepted = a; return this; }
        public Upload fail(WorkerException e) { failure = e; return this; }
        public ResumableUploadTask.Listener listener() { return listener; }
        public boolean ran() { return ran; }
        /** The threads cancel was called on. */
        public List<String> cancelledOn() { return List.copyOf(cancelledOn); }

        @Override public UploadAccepted run() throws WorkerException, UploadCancelledException {
            ran = true;
            if (!cancelledOn.isEmpty()) throw new UploadCancelledException();
            if (failure != null) throw failure;
            if (accepted == null) throw new IllegalStateException("the test did not say how this upload ends");
            return accepted;
        }

        @Override public void cancel() {
            cancelledOn.add(Thread.currentThread().getName());
        }
    }
}
