package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.app.HandoffApplication;
import dev.handoff.config.Settings;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.hubspot.HubSpotEmulator;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.hubspot.HubSpotClient;
import dev.handoff.hubspot.HubSpotConfig;
import dev.handoff.hubspot.HubSpotSetup;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.LeadState;
import dev.handoff.transport.JdkHttpTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole loop with HubSpot as the marketing platform, checked the way a user would: through /sandbox/state. */
class HubSpotFlowIT {

    @TempDir
    Path dir;

    @Test
    void everyVerdictIsVisibleOnItsHubSpotContactAndNoLimitIsBroken() throws Exception {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-11-02T09:00:00Z"));
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults()
                .withReps(EmulatedWorld.REASONS, List.of("NOT_RIGHT_FIT", "NOT_RIGHT_SIZE"), Duration.ofMinutes(30),
                        Duration.ofHours(5), 4);
        HubSpotEmulator.Settings hs = HubSpotEmulator.Settings.defaults();
        try (Sandbox sandbox = Sandbox.withHubSpot(clock, sf, hs, 0).start()) {
            sandbox.hubspot().seed(DemoLeadGenerator.generate(4, 400, 0, clock.instant()));
            Map<String, String> p = new HashMap<>(sandbox.connectorProperties(sf, hs));
            p.put("handoff.map", "hubspot");
            p.put("handoff.hubspot.index-lag", "0s");
            p.put("handoff.hubspot.intake-since", "2025-01-01T00:00:00Z");
            p.put("handoff.definition", EmulatedWorld.DEFINITION.toString());
            p.put("handoff.ledger.url", "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath());
            p.put("handoff.intake.interval", "6h");
            p.put("handoff.disposition.interval", "6h");
            p.put("handoff.outcome.interval", "6h");
            p.put("handoff.recycle.interval", "6h");
            p.put("handoff.poll.tick", "20ms");
            p.put("handoff.http.port", "0");
            HubSpotConfig config = HubSpotConfig.from(new Settings(p));
            assertThat(new HubSpotSetup(new HubSpotClient(config, new JdkHttpTransport(Duration.ofSeconds(10)), clock), config)
                    .run().ok()).isTrue();

            try (HandoffApplication app = HandoffApplication.start(new Settings(p), clock)) {
                for (int cycle = 0; cycle < 3; cycle++) {
                    Instant now = clock.instant();
                    await().atMost(Duration.ofSeconds(60)).until(() -> app.allFlowsCompletedSince(now));
                    clock.advance(Duration.ofHours(6));
                }
                Instant now = clock.instant();
                await().atMost(Duration.ofSeconds(60)).until(() -> app.allFlowsCompletedSince(now));

                var counts = app.ledger().counts();
                assertThat(counts.leads()).isEqualTo(400);
                assertThat(counts.inFlight()).isZero();
                assertThat(counts.handedOff()).isPositive();
                assertThat(counts.rejected()).isPositive();

                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/sandbox/state")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode state = new ObjectMapper().readTree(response.body());
                assertThat(state.path("hubspot").path("rate_limit_violations").asLong()).isZero();
                assertThat(state.path("salesforce").path("limit_violations").asLong()).isZero();
                Map<String, JsonNode> contacts = new HashMap<>();
                state.path("hubspot").path("leads").forEach(c -> contacts.put(c.path("id").asText(), c));
                int checked = 0;
                for (JsonNode c : contacts.values()) {
                    LedgerLead l = app.ledger().lead(c.path("id").asText()).orElseThrow();
                    if (l.state() == LeadState.ACCEPTED || l.state() == LeadState.REJECTED) {
                        checked++;
                        assertThat(c.path("handoff_sales_status").asText()).as("lead %s", l.mapId()).isEqualTo(l.salesStatus());
                        if (l.state() == LeadState.REJECTED) {
                            assertThat(c.path("handoff_reject_reason").asText()).isEqualTo(l.rejectReason());
                        }
                    }
                }
                assertThat(checked).isEqualTo(counts.accepted() + counts.rejected());
            }
            assertThat(sandbox.unmatchedRequests()).isEmpty();
        }
    }
}
