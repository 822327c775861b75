package dev.handoff.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.handoff.error.ConnectorException;
import dev.handoff.transport.ApiThrottle;
import dev.handoff.transport.CircuitBreakerSettings;
import dev.handoff.transport.SystemCircuit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HubSpotClient} behind its circuit breaker: an unreadable body is HubSpot's failure, not a success. */
class HubSpotClientCircuitTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    private final FakeHubSpot hubspot = new FakeHubSpot();
    private final SystemCircuit circuit = SystemCircuit.of(HubSpotClient.SYSTEM,
            new CircuitBreakerSettings(true, 100, 2, 2, Duration.ofSeconds(30), 1), Clock.fixed(NOW, ZoneOffset.UTC));
    private final HubSpotClient client = new HubSpotClient(TestConfigs.config(), hubspot, Clock.fixed(NOW, ZoneOffset.UTC),
            ApiThrottle.unlimited("hubspot"), ApiThrottle.unlimited("hubspot"), d -> { }, circuit);

    @Test
    void truncatedBodiesAreTransientNamedFailuresThatOpenTheCircuitAndThenNothingIsSent() {
        hubspot.script(200, "{\"results\":[{\"id\":\"1\",\"prop");
        hubspot.script(200, "{\"results\":[");

        for (int i = 0; i < 2; i++) {
            ConnectorException e = catchThrowableOfType(() -> client.readContacts(List.of("1"), List.of("email")),
                    ConnectorException.class);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.code()).isEqualTo("MALFORMED_RESPONSE");
            assertThat(e.getMessage()).contains("unreadable response body");
        }
        ConnectorException fast = catchThrowableOfType(() -> client.listContactProperties(), ConnectorException.class);

        assertThat(fast.code()).isEqualTo(SystemCircuit.OPEN_CODE);
        assertThat(hubspot.sent).as("nothing sent while open").hasSize(2);
        assertThat(circuit.status()).isEqualTo(new SystemCircuit.Status("OPEN", 1, 0, 0, 1));
    }

    @Test
    void refusedRecordsShowHubSpotIsUpAndLeaveTheCircuitClosed() {
        List<HubSpotClient.Update> updates = new ArrayList<>();
        updates.add(new HubSpotClient.Update("404404", java.util.Map.of("handoff_sales_status", "Accepted")));
        for (int i = 0; i < 5; i++) {
            assertThat(client.updateContacts(updates)).singleElement().satisfies(r -> assertThat(r.ok()).isFalse());
        }
        assertThat(circuit.status().state()).isEqualTo("CLOSED");
    }
}
