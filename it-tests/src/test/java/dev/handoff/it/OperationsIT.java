package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.app.HandoffApplication;
import dev.handoff.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin's endpoints on a running sidecar: health, Prometheus metrics and the status page. */
class OperationsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthMetricsAndStatusDescribeTheRunningSidecar(@TempDir Path dir) throws Exception {
        try (EmulatedWorld world = new EmulatedWorld(dir, 3)) {
            world.sandbox.marketo().seed(dev.handoff.emulator.marketo.DemoLeadGenerator.generate(3, 60, 0, world.clock.instant()));
            Leads.strongMql(world.sandbox.marketo(), world.clock.instant(), "o'brien+<b>@initech.example");
            HandoffApplication app = world.startApplication();
            world.cycle();
            world.cycle();
            int port = app.httpPort();
            assertThat(port).isPositive();

            HttpResponse<String> live = get(port, "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).contains("\"UP\"");

            HttpResponse<String> ready = get(port, "/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode checks = new ObjectMapper().readTree(ready.body()).get("checks");
            assertThat(checks.get("ledger").asText()).isEqualTo("UP");
            assertThat(checks.get("salesforce").asText()).isEqualTo("UP");
            assertThat(checks.get("marketo").asText()).isEqualTo("UP");

            HttpResponse<String> metrics = get(port, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            String m = metrics.body();
            long handedOff = app.ledger().counts().byState().get("HANDED_OFF") + app.ledger().counts().accepted()
                    + app.ledger().counts().rejected();
            assertThat(handedOff).isPositive();
            assertThat(m).contains("handoff_leads{state=\"HANDED_OFF\"}")
                    .contains("handoff_queue{queue=\"feedback_pending\"}")
                    .contains("handoff_quarantine_size")
                    .contains("handoff_sla_overdue")
                    .contains("handoff_api_calls_total{system=\"marketo\"}")
                    .contains("handoff_api_calls_total{system=\"salesforce\"}")
                    .contains("handoff_api_budget_remaining{system=\"salesforce\"}")
                    .contains("handoff_batch_seconds_count{flow=\"handoff\"}")
                    .contains("handoff_circuit_open{system=\"salesforce\"} 0.0")
                    .contains("handoff_circuit_opened_total{system=\"marketo\"}")
                    .doesNotContain("o'brien");
            assertThat(metricValue(m, "handoff_api_calls_total{system=\"marketo\"}"))
                    .isEqualTo(world.sandbox.marketo().apiCalls() + world.sandbox.marketo().authCalls());

            HttpResponse<String> json = get(port, "/status.json");
            assertThat(json.statusCode()).isEqualTo(200);
            JsonNode status = new ObjectMapper().readTree(json.body());
            assertThat(status.get("leads").asLong()).isEqualTo(app.ledger().counts().leads());
            assertThat(status.get("flows").get("handoff").get("last_finished").isNull()).isFalse();
            assertThat(status.get("queues").has("feedback_pending")).isTrue();
            assertThat(status.get("quarantine").get("total").asLong()).isEqualTo(app.ledger().counts().quarantined());
            assertThat(status.get("api").get("salesforce").get("calls").asLong())
                    .isEqualTo(world.sandbox.salesforce().apiCalls());
            assertThat(status.get("sla_today").has("overdue_now")).isTrue();
            assertThat(status.get("circuit_breakers").get("salesforce").get("state").asText()).isEqualTo("CLOSED");

            HttpResponse<String> page = get(port, "/status");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("Quarantine").contains("SLA today")
                    .doesNotContain("<script");

            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(get(port, "/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void notReadyWhileSalesforceCannotAuthenticateButStillLive(@TempDir Path dir) throws Exception {
        try (EmulatedWorld world = new EmulatedWorld(dir, 4)) {
            Map<String, String> props = world.properties();
            props.put("handoff.salesforce.token-url", "http://127.0.0.1:1");
            props.put("handoff.retry.redeliveries", "0");
            try (HandoffApplication app = HandoffApplication.start(new Settings(props), world.clock)) {
                int port = app.httpPort();
                assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
                HttpResponse<String> ready = get(port, "/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                JsonNode checks = new ObjectMapper().readTree(ready.body()).get("checks");
                assertThat(checks.get("salesforce").asText()).startsWith("DOWN");
                assertThat(checks.get("ledger").asText()).isEqualTo("UP");
            }
        }
    }

    private static long metricValue(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series));
    }
}
