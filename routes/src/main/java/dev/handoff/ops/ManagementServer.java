package dev.handoff.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin's window into the sidecar: {@code /health/live}, {@code /health/ready},
 * {@code /metrics}, {@code /status} and {@code /status.json}, GET only, on their own port. It is
 * deliberately independent of the Camel routes (the JDK's HTTP server on two threads): a probe
 * must still get an answer when a route is stuck or the webhook server is saturated.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    /** One answer: status code, content type, body. */
    public record Answer(int status, String contentType, String body) {
        public static Answer json(int status, String body) {
            return new Answer(status, "application/json; charset=utf-8", body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private ManagementServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code port} on all interfaces (0 picks a free one) and serves {@code routes} (path → answer). */
    public static ManagementServer start(int port, Map<String, Supplier<Answer>> routes) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "handoff-management");
            t.setDaemon(true);
            return t;
        });
        Map<String, Supplier<Answer>> table = new LinkedHashMap<>(routes);
        server.createContext("/", exchange -> handle(exchange, table));
        server.setExecutor(executor);
        server.start();
        LOG.info("Management endpoints on port {}: {}", server.getAddress().getPort(), String.join(", ", table.keySet()));
        return new ManagementServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, Map<String, Supplier<Answer>> routes) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Supplier<Answer> route = routes.get(path);
            Answer answer;
            if (route == null) {
                answer = Answer.json(404, "{\"error\":\"NOT_FOUND\",\"message\":\"no such endpoint; try one of "
                        + String.join(", ", routes.keySet()) + "\"}");
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                answer = Answer.json(405, "{\"error\":\"METHOD_NOT_ALLOWED\",\"message\":\"read-only: use GET\"}");
            } else {
                try {
                    answer = route.get();
                } catch (RuntimeException e) {
                    LOG.warn("{} failed: {}", path, e.toString());
                    answer = Answer.json(500, "{\"error\":\"INTERNAL\",\"message\":\"see the sidecar's log\"}");
                }
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(answer.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
