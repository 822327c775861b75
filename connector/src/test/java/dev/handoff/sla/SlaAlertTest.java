package dev.handoff.sla;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.transport.HttpRequest;
import dev.handoff.transport.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The alert webhook: chat-compatible JSON, bounded retries, failures reported as false, never thrown. */
class SlaAlertTest {

    private static final URI URL = URI.create("https://hooks.example.test/services/T000/B000/secret-token");
    private static final Instant NOW = Instant.parse("2026-11-04T12:00:00Z");
    private static final List<SlaAlert.Breach> BREACHES = List.of(
            new SlaAlert.Breach("1001", "00Q000000000001AAA", "A1", Instant.parse("2026-11-03T09:00:00Z"),
                    Instant.parse("2026-11-04T09:00:00Z")),
            new SlaAlert.Breach("1002", "00Q000000000002AAA", null, Instant.parse("2026-11-03T10:00:00Z"),
                    Instant.parse("2026-11-04T10:00:00Z")));

    private final List<HttpRequest> sent = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();

    private SlaAlert alert(int... statuses) {
        AtomicInteger call = new AtomicInteger();
        return new SlaAlert(Optional.of(URL), request -> {
            sent.add(request);
            int status = statuses[Math.min(call.getAndIncrement(), statuses.length - 1)];
            if (status < 0) {
                throw new IOException("connection reset to " + URL);
            }
            return new HttpResponse(status, Map.of(), new byte[0]);
        }, pauses::add, Duration.ofMillis(500));
    }

    @Test
    void postsChatCompatibleJsonWithStructuredFields() throws Exception {
        assertThat(alert(200).send("acme-mql@v3", Duration.ofHours(24), BREACHES, NOW)).isTrue();
        assertThat(sent).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.headers()).containsEntry("Content-Type", "application/json");
        });
        JsonNode body = new ObjectMapper().readTree(new String(sent.get(0).body(), StandardCharsets.UTF_8));
        assertThat(body.path("text").asText()).startsWith("2 leads handed to sales waited longer than the agreed 24h")
                .contains("Salesforce Lead 00Q000000000001AAA (MAP 1001, grade A1), due 2026-11-04T09:00:00Z");
        assertThat(body.path("event").asText()).isEqualTo("sla_breached");
        assertThat(body.path("count").asInt()).isEqualTo(2);
        assertThat(body.path("leads").get(0).path("overdue_minutes").asLong()).isEqualTo(180);
        assertThat(body.path("leads").get(1).path("crm_id").asText()).isEqualTo("00Q000000000002AAA");
        assertThat(pauses).isEmpty();
    }

    @Test
    void transientFailuresAreRetriedABoundedNumberOfTimesWithGrowingPauses() {
        assertThat(alert(503, -1, 429).send("d", Duration.ofHours(24), BREACHES, NOW)).isFalse();
        assertThat(sent).hasSize(SlaAlert.ATTEMPTS);
        assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void aTransientFailureThatClearsDelivers() {
        assertThat(alert(502, 204).send("d", Duration.ofHours(24), BREACHES, NOW)).isTrue();
        assertThat(sent).hasSize(2);
    }

    @Test
    void aRefusalIsNotRetried() {
        assertThat(alert(400).send("d", Duration.ofHours(24), BREACHES, NOW)).isFalse();
        assertThat(sent).hasSize(1);
    }

    @Test
    void withoutAUrlNothingIsSent() {
        SlaAlert off = new SlaAlert(Optional.empty(), r -> {
            throw new AssertionError("no call expected");
        }, d -> { }, Duration.ZERO);
        assertThat(off.enabled()).isFalse();
        assertThat(off.send("d", Duration.ofHours(1), BREACHES, NOW)).isFalse();
    }

    @Test
    void longListsAreCutInTheTextButComplete() throws Exception {
        List<SlaAlert.Breach> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add(new SlaAlert.Breach("id" + i, "crm" + i, "B2", NOW.minusSeconds(90_000), NOW.minusSeconds(3_600)));
        }
        JsonNode body = new ObjectMapper().readTree(alert(200).body("d", Duration.ofMinutes(90), many, NOW));
        assertThat(body.path("text").asText()).contains("agreed 1h30m", "… and 15 more").doesNotContain("crm10 ");
        assertThat(body.path("leads")).hasSize(25);
    }
}
