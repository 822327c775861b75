package dev.handoff.emulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubSpotSandboxIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void sandboxHostsHubSpotInsteadOfMarketoAndShowsItInTheState() throws Exception {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-11-23T09:00:00Z"));
        try (Sandbox sandbox = Sandbox.withHubSpot(clock, SalesforceEmulator.Settings.defaults(),
                HubSpotEmulator.Settings.defaults(), 0).start()) {
            sandbox.hubspot().addContact(Map.of("email", "s@acme.example"), clock.instant());
            HttpResponse<String> search = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                    + "/crm/v3/objects/contacts/search")).header("Authorization", "Bearer handoff-hubspot-token")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(search.statusCode()).isEqualTo(200);

            JsonNode state = HubSpotHarness.parse(http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                    + "/sandbox/state")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(state.has("salesforce")).isTrue();
            assertThat(state.has("marketo")).isFalse();
            assertThat(state.at("/hubspot/calls").asLong()).isEqualTo(1);
            assertThat(state.at("/hubspot/leads/0/email").asText()).isEqualTo("s@acme.example");
            assertThat(sandbox.hasMarketo()).isFalse();
            assertThatThrownBy(sandbox::marketo).isInstanceOf(IllegalStateException.class);
            assertThat(sandbox.connectorProperties(SalesforceEmulator.Settings.defaults(),
                    HubSpotEmulator.Settings.defaults())).containsEntry("handoff.hubspot.base-url", sandbox.baseUrl());
            assertThat(sandbox.unmatchedRequests()).isEmpty();
        }
    }

    @Test
    void sandboxCanHostBothPlatforms() {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-11-23T09:00:00Z"));
        try (Sandbox sandbox = new Sandbox(clock, SalesforceEmulator.Settings.defaults(),
                MarketoEmulator.Settings.defaults(), HubSpotEmulator.Settings.defaults(), 0).start().injectFaults(0, 1)) {
            assertThat(sandbox.state()).containsKeys("salesforce", "marketo", "hubspot");
            assertThat(sandbox.hasHubSpot()).isTrue();
        }
    }
}
