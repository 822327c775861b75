package dev.handoff.emulator.hubspot;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.handoff.emulator.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** A WireMock server hosting one HubSpot emulator, and a plain JDK client talking to it. */
final class HubSpotHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "handoff-hubspot-token";

    final VirtualClock world = new VirtualClock(START);
    final VirtualClock rate = new VirtualClock(START);
    final HubSpotEmulator emulator;
    final WireMockServer server;
    final HttpClient http = HttpClient.newHttpClient();

    HubSpotHarness() {
        this(HubSpotEmulator.Settings.defaults());
    }

    HubSpotHarness(HubSpotEmulator.Settings settings) {
        emulator = new HubSpotEmulator(world, rate, settings);
        server = new WireMockServer(options().dynamicPort().extensions(emulator));
        server.start();
        emulator.stubs().forEach(server::addStubMapping);
    }

    HttpResponse<String> post(String path, String json) {
        return postWith(path, json, TOKEN);
    }

    HttpResponse<String> postWith(String path, String json, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + TOKEN).GET().build());
    }

    /** A call that stays clear of the search limit: advances the rate clock past it afterwards. */
    HttpResponse<String> search(String json) {
        HttpResponse<String> r = post("/crm/v3/objects/contacts/search", json);
        rate.advance(Duration.ofMillis(250));
        return r;
    }

    JsonNode searchOk(String json) {
        HttpResponse<String> r = search(json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return parse(r.body());
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

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode body(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return parse(r.body());
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
