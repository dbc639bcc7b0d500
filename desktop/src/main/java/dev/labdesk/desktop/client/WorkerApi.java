package dev.labdesk.desktop.client;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Health;
import dev.labdesk.model.ProfileField;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.UploadAccepted;

import java.util.List;

/**
 * What the view models ask of a worker. {@link WorkerClient} talks HTTP to a real one; a view model's
 * unit test can answer from memory, while the real-worker tests stay as integration tests.
 */
public interface WorkerApi extends AutoCloseable {
    WorkerAddress address();

    Health health() throws WorkerException;

    /** Newest first. */
    List<SessionInfo> sessions() throws WorkerException;

    SessionInfo session(String id) throws WorkerException;

    /** The agent's report as Markdown. */
    String report(String id) throws WorkerException;

    /** One of the report's figures ({@code <name>.png} or {@code .svg}), as bytes. */
    byte[] reportFigure(String id, String file) throws WorkerException;

    void cancel(String id) throws WorkerException;

    /** A session's events from {@code afterSeq} on, not started: {@link Events#start()} connects. */
    Events events(String sessionId, long afterSeq, EventStream.Listener listener);

    /** The chat socket of {@code userId}, not started: {@link Chat#start()} connects. */
    Chat chat(String userId, ChatConnection.Listener listener);

    /** A resumable upload of {@code files}, not started: {@link Upload#run()} sends it. */
    Upload upload(ExperimentContext context, List<LocalFile> files, ResumableUploadTask.Listener listener);

    /** Lets go of connections and timers; calls after it fail. */
    @Override
    void close();

    /** A session's event stream ({@link EventStream} over SSE); its listener hears everything until {@link #close()}. */
    interface Events extends AutoCloseable {
        Events start();

        @Override
        void close();
    }

    /** A user's chat ({@link ChatConnection} over WebSocket). Any thread. */
    interface Chat extends AutoCloseable {
        Chat start();

        /** Sends a message (now, or after a reconnect); returns its client message id. */
        String send(String text);

        /** Sets one profile field by hand (empty text clears it). */
        void editProfile(ProfileField field, String value);

        /** Ends the reply being streamed; false when there is no open socket to say it on. */
        boolean stop();

        @Override
        void close();
    }

    /** One upload: {@link #run()} blocks until the worker accepted it; {@link #cancel()} from any thread. */
    interface Upload {
        UploadAccepted run() throws WorkerException, UploadCancelledException;

        void cancel();
    }
}
