package dev.handoff.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.handoff.transport.HttpRequest;
import dev.handoff.transport.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Camel HTTP transport against a real loopback server: what arrives there, and what comes back. */
class CamelHttpTransportTest {

    private static final int TIMEOUT_MS = 2_000;

    /** What the server saw of one request; header names as the JDK server normalizes them. */
    record Received(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue()))
                    .findFirst().orElse(null);
        }
    }

    @FunctionalInterface
    interface Reply {
        void to(HttpExchange exchange) throws IOException;
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseSlowReplies = new CountDownLatch(1);
    private volatile Reply reply = exchange -> respond(exchange, 200, Map.of("Content-Type", "application/json"), "{\"success\":true}");
    private ExecutorService serverThreads;
    private HttpServer server;
    private CamelContext camel;
    private CamelHttpTransport transport;

    @BeforeEach
    void start() throws Exception {
        serverThreads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try (exchange) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                        exchange.getRequestBody().readAllBytes()));
                reply.to(exchange);
            }
        });
        server.start();
        camel = new DefaultCamelContext();
        camel.start();
        transport = new CamelHttpTransport(camel.createProducerTemplate(), TIMEOUT_MS);
    }

    @AfterEach
    void stop() throws Exception {
        releaseSlowReplies.countDown();
        camel.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::add);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Received onlyRequest() {
        assertThat(received).hasSize(1);
        return received.get(0);
    }

    @Test
    void getArrivesWithItsRawQueryAndAuthorizationHeader() throws IOException {
        String query = "filterType=email&filterValues=ana%40initech.example,sam%40tinyshop.example&nextPageToken=AB%2BC%2F%3D%3D";

        HttpResponse response = transport.send(HttpRequest.get(uri("/rest/v1/leads.json?" + query),
                Map.of("Authorization", "Bearer t0k3n", "Accept", "application/json")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("{\"success\":true}");
        Received request = onlyRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/rest/v1/leads.json");
        assertThat(request.rawQuery()).isEqualTo(query);
        assertThat(request.header("Authorization")).isEqualTo("Bearer t0k3n");
        assertThat(request.header("Accept")).isEqualTo("application/json");
        assertThat(request.body()).isEmpty();
    }

    @Test
    void getWithoutQueryArrivesWithoutOne() throws IOException {
        transport.send(HttpRequest.get(uri("/identity/oauth/token"), Map.of()));

        assertThat(onlyRequest().rawQuery()).isNull();
        assertThat(onlyRequest().path()).isEqualTo("/identity/oauth/token");
    }

    @Test
    void postArrivesWithItsBodyAndContentType() throws IOException {
        String json = "{\"action\":\"updateOnly\",\"input\":[{\"id\":7,\"salesRejectComment\":\"Zoë says \\\"later\\\" — 90 days\"}]}";

        transport.send(HttpRequest.post(uri("/rest/v1/leads.json"), Map.of("Authorization", "Bearer t0k3n"),
                "application/json", json));

        Received request = onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isEqualTo("Bearer t0k3n");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(request.header("Content-Length")).isEqualTo(String.valueOf(json.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void formPostArrivesUnchanged() throws IOException {
        String form = "grant_type=client_credentials&client_id=3MVG9&client_secret=s%2Bcr%26t";

        transport.send(HttpRequest.post(uri("/services/oauth2/token"), Map.of(), "application/x-www-form-urlencoded", form));

        Received request = onlyRequest();
        assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(form);
        assertThat(request.rawQuery()).isNull();
    }

    @Test
    void camelHeadersNeverReachTheServer() throws IOException {
        transport.send(HttpRequest.get(uri("/rest/v1/activities.json?nextPageToken=X"), Map.of("Authorization", "Bearer t")));
        transport.send(HttpRequest.post(uri("/rest/v1/leads.json"), Map.of("Authorization", "Bearer t"), "application/json", "{}"));

        assertThat(received).hasSize(2).allSatisfy(request -> assertThat(request.headers().keySet())
                .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("camel")));
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 404, 429, 500, 503})
    void errorStatusComesBackAsAResponseWithItsBody(int status) throws IOException {
        reply = exchange -> respond(exchange, status, Map.of("Content-Type", "application/json"),
                "[{\"errorCode\":\"E" + status + "\",\"message\":\"simulated\"}]");

        HttpResponse response = transport.send(HttpRequest.get(uri("/services/data"), Map.of("Authorization", "Bearer old")));

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.bodyText()).isEqualTo("[{\"errorCode\":\"E" + status + "\",\"message\":\"simulated\"}]");
        assertThat(received).as("the clients decide about retries, on their clock and within the rate limits").hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void retryableStatusOnAPostIsSentOnce(int status) throws IOException {
        reply = exchange -> respond(exchange, status, Map.of(), "busy");

        HttpResponse response = transport.send(HttpRequest.post(uri("/rest/v1/leads.json"), Map.of(), "application/json",
                "{\"input\":[]}"));

        assertThat(response.status()).isEqualTo(status);
        assertThat(received).hasSize(1);
    }

    @Test
    void connectionDroppedWithoutAResponseBecomesIOExceptionAfterOneAttempt() {
        reply = exchange -> {
            // closing without response headers drops the connection mid-exchange
        };

        assertThatThrownBy(() -> transport.send(HttpRequest.get(uri("/rest/v1/leads.json?x=1"), Map.of())))
                .isInstanceOf(IOException.class);
        assertThat(received).hasSize(1);
    }

    @Test
    void unauthorizedWithAChallengeComesBackAsAResponse() throws IOException {
        reply = exchange -> respond(exchange, 401, Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""),
                "{\"error\":\"invalid_token\"}");

        HttpResponse response = transport.send(HttpRequest.get(uri("/rest/v1/leads.json"), Map.of("Authorization", "Bearer old")));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.bodyText()).isEqualTo("{\"error\":\"invalid_token\"}");
        assertThat(response.header("www-authenticate")).contains("Bearer error=\"invalid_token\"");
        assertThat(received).hasSize(1);
    }

    @Test
    void refusedConnectionBecomesIOException() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> transport.send(HttpRequest.get(URI.create("http://127.0.0.1:" + closedPort + "/x"), Map.of())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Connect");
    }

    @Test
    void serverThatNeverAnswersTimesOutAsIOException() throws IOException {
        reply = exchange -> {
            try {
                releaseSlowReplies.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CamelHttpTransport impatient = new CamelHttpTransport(camel.createProducerTemplate(), 200);

        assertThatThrownBy(() -> impatient.send(HttpRequest.get(uri("/slow"), Map.of())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Timeout");
    }

    @Test
    void responseHeadersAreMatchedCaseInsensitivelyAndCarryNothingOfCamelOrTheRequest() throws IOException {
        reply = exchange -> respond(exchange, 200, Map.of("Content-Type", "application/json;charset=UTF-8",
                "X-RateLimit-Remaining", "42"), "{}");

        HttpResponse response = transport.send(HttpRequest.get(uri("/rest/v1/leads.json?x=1"),
                Map.of("Authorization", "Bearer secret-token")));

        assertThat(response.header("x-ratelimit-remaining")).contains("42");
        assertThat(response.header("X-RATELIMIT-REMAINING")).contains("42");
        assertThat(response.header("content-type")).contains("application/json;charset=UTF-8");
        assertThat(response.headers().keySet()).noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("camel"));
        assertThat(response.header("Authorization")).isEmpty();
        assertThat(response.headers().values()).noneMatch(value -> value.contains("secret-token"));
    }

    @Test
    void repeatedResponseHeaderComesBackAsOneCommaSeparatedValue() throws IOException {
        reply = exchange -> {
            exchange.getResponseHeaders().add("Set-Cookie", "a=1");
            exchange.getResponseHeaders().add("Set-Cookie", "b=2");
            respond(exchange, 200, Map.of(), "{}");
        };

        HttpResponse response = transport.send(HttpRequest.get(uri("/cookies"), Map.of()));

        assertThat(response.header("set-cookie")).contains("a=1,b=2");
    }

    @Test
    void emptyResponseBodyComesBackEmpty() throws IOException {
        reply = exchange -> respond(exchange, 204, Map.of(), "");

        HttpResponse response = transport.send(HttpRequest.get(uri("/nothing"), Map.of()));

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void largeResponseBodyIsReadWhole() throws IOException {
        byte[] big = new byte[600 * 1024];
        Arrays.fill(big, (byte) 'x');
        String body = new String(big, StandardCharsets.US_ASCII);
        reply = exchange -> respond(exchange, 200, Map.of("Content-Type", "application/json"), body);

        HttpResponse response = transport.send(HttpRequest.get(uri("/rest/v1/activities.json"), Map.of()));

        assertThat(response.body()).hasSize(big.length).isEqualTo(big);
    }
}
