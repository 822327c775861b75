package dev.handoff.emulator.marketo;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.handoff.emulator.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

/** A WireMock server hosting one Marketo emulator, and a plain JDK client talking to it. */
final class MarketoHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final VirtualClock world = new VirtualClock(START);
    final VirtualClock rate = new VirtualClock(START);
    final MarketoEmulator emulator;
    final WireMockServer server;
    final HttpClient http = HttpClient.newHttpClient();
    private String token;

    MarketoHarness() {
        this(MarketoEmulator.Settings.defaults());
    }

    MarketoHarness(MarketoEmulator.Settings settings) {
        this(settings, null);
    }

    /** @param stubs replaces the emulator's own stubs when a test needs them changed (e.g. delayed) */
    MarketoHarness(MarketoEmulator.Settings settings, List<StubMapping> stubs) {
        emulator = new MarketoEmulator(world, rate, settings);
        server = new WireMockServer(options().dynamicPort().extensions(emulator));
        server.start();
        (stubs == null ? emulator.stubs() : stubs).forEach(server::addStubMapping);
    }

    String base() {
        return server.baseUrl();
    }

    HttpResponse<String> identity(String clientId, String secret) {
        return send(HttpRequest.newBuilder(URI.create(base() + "/identity/oauth/token?grant_type=client_credentials"
                + "&client_id=" + clientId + "&client_secret=" + secret)).GET().build());
    }

    String token() {
        if (token == null) {
            HttpResponse<String> r = identity("handoff-client", "handoff-secret");
            assertThat(r.statusCode()).isEqualTo(200);
            token = parse(r.body()).get("access_token").asText();
        }
        return token;
    }

    JsonNode get(String pathAndQuery) {
        return getWith(pathAndQuery, token());
    }

    JsonNode getWith(String pathAndQuery, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return ok(send(b.build()));
    }

    JsonNode postJson(String path, String json) {
        return ok(send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build()));
    }

    JsonNode postForm(String path, String form) {
        return ok(send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build()));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Marketo answers REST errors with HTTP 200 too; anything else is an emulator bug. */
    private static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return parse(r.body());
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String errorCode(JsonNode body) {
        assertThat(body.get("success").asBoolean()).as(body.toString()).isFalse();
        return body.get("errors").get(0).get("code").asText();
    }

    static void assertSuccess(JsonNode body) {
        assertThat(body.get("success").asBoolean()).as(body.toString()).isTrue();
    }

    @Override
    public void close() {
        try {
            assertThat(server.findAllUnmatchedRequests()).isEmpty();
        } finally {
            server.stop();
        }
    }
}
