package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code handoff setup hubspot} against a minimal properties API on loopback. */
class SetupCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "pat-test-token";

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, JsonNode> properties = new LinkedHashMap<>();
    private final Set<String> groups = new LinkedHashSet<>();

    @BeforeEach
    void startFakeHubSpot() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/crm/v3/properties/contacts", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        JsonNode body = x.getRequestMethod().equals("POST") ? JSON.readTree(x.getRequestBody()) : null;
        if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            reply(x, 401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                    + "\"category\":\"INVALID_AUTHENTICATION\",\"correlationId\":\"c\"}");
        } else if (path.endsWith("/groups")) {
            reply(x, groups.add(body.path("name").asText()) ? 201 : 409, "{}");
        } else if (x.getRequestMethod().equals("GET")) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode results = out.putArray("results");
            properties.values().forEach(results::add);
            reply(x, 200, out.toString());
        } else if (properties.putIfAbsent(body.path("name").asText(), body) == null) {
            reply(x, 201, body.toString());
        } else {
            reply(x, 409, "{}");
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private Path config(String token) throws IOException {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, "handoff.hubspot.base-url=http://127.0.0.1:" + server.getAddress().getPort() + "\n"
                + (token == null ? "" : "handoff.hubspot.token=" + token + "\n"));
        return file;
    }

    @Test
    void createsTheFeedbackPropertiesOnceAndIsReadyAfterwards() throws IOException {
        Path config = config(TOKEN);
        Cli first = Cli.run("setup", "hubspot", "--config", config.toString());
        assertThat(first.code()).isEqualTo(HandoffCli.OK);
        assertThat(first.out()).contains("group handoff: created", "property handoff_outcome: created",
                "handoff setup: HubSpot is ready (9 created, 0 already there)");
        assertThat(properties).hasSize(8);

        Cli second = Cli.run("setup", "hubspot", "--config", config.toString());
        assertThat(second.code()).isEqualTo(HandoffCli.OK);
        assertThat(second.out()).contains("handoff setup: HubSpot is ready (0 created, 9 already there)");
    }

    @Test
    void aFieldInTheWayExitsTwo() throws IOException {
        properties.put("handoff_outcome_amount", JSON.createObjectNode().put("name", "handoff_outcome_amount").put("type", "string"));
        Cli run = Cli.run("setup", "hubspot", "--config", config(TOKEN).toString());
        assertThat(run.code()).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(run.out()).contains("property handoff_outcome_amount: conflict", "1 in the way");
    }

    @Test
    void aRefusedTokenExitsTwoWithoutShowingIt() throws IOException {
        Cli run = Cli.run("setup", "hubspot", "--config", config("pat-wrong").toString());
        assertThat(run.code()).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(run.out()).contains("check handoff.hubspot.token").doesNotContain("pat-wrong");
    }

    @Test
    void missingTokenIsAConfigurationErrorNamingTheKey() throws IOException {
        Cli run = Cli.run("setup", "hubspot", "--config", config(null).toString());
        assertThat(run.code()).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(run.err()).contains("handoff.hubspot.token: is required");
    }

    @Test
    void unknownSystemIsAUsageError() {
        Cli run = Cli.run("setup", "salesforce");
        assertThat(run.code()).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(run.err()).contains("hubspot");
    }
}
