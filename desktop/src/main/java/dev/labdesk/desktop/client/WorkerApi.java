package dev.labdesk.desktop.client;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Health;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.UploadAccepted;

import java.util.List;

/**
 * What the view models ask of a worker. {@link WorkerClient} talks HTTP to a real one; a view model's
 * unit test can answer from memory, while the real-worker tests stay as integration tests.
 */
public interface WorkerApi {
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

    EventStream events(String sessionId, long afterSeq, EventStream.Listener listener);

    ChatConnection chat(String userId, ChatConnection.Listener listener);

    /** A resumable upload of {@code files}, not started: {@link Upload#run()} sends it. */
    Upload upload(ExperimentContext context, List<LocalFile> files, ResumableUploadTask.Listener listener);

    /** One upload: {@link #run()} blocks until the worker accepted it; {@link #cancel()} from any thread. */
    interface Upload {
        UploadAccepted run() throws WorkerException, UploadCancelledException;

        void cancel();
    }
}
