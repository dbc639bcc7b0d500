import io.javalin.Javalin;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * The chat benchmark's transport floor: the worker's own stack (Javalin 7 on Jetty 12, virtual
 * threads, 127.0.0.1) answering each message frame at once with one reply frame naming its
 * client_message_id, the shape our offline reply has. No store, no interview, no relay: whatever
 * the peers' load/ws-echo.js measures against it is Jetty's, the scheduler's and the machine's.
 * Run with the worker jar on the class path (the source launcher compiles this file):
 *   java -cp worker/target/labdesk-worker.jar bench/ChatEcho.java PORT
 */
public final class ChatEcho {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true; // as the worker
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = port;
            cfg.routes.ws("/chat/{user_id}", ws -> {
                ws.onConnect(ctx -> ctx.send("{\"type\":\"history\",\"messages\":[]}"));
                ws.onMessage(ctx -> {
                    var frame = ctx.message();
                    int at = frame.indexOf("\"client_message_id\":\"");
                    if (at < 0) return;
                    at += 21;
                    var id = frame.substring(at, frame.indexOf('"', at));
                    ctx.session.sendText("{\"type\":\"message\",\"message\":{\"id\":\"m\",\"role\":\"assistant\","
                            + "\"text\":\"Thanks. What is your role?\",\"reply_to\":\"" + id + "\"}}", Callback.NOOP);
                });
            });
        }).start();
    }
}
