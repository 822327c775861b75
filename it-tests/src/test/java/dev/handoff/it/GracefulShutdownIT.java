package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.it.process.HandoffProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code handoff run} as an admin runs it, stopped the way a container runtime stops it: SIGTERM
 * while it works. It must be gone within 10 s, and a restart must finish the job with nothing
 * lost and nothing handed off twice. The running process is watched only through its own
 * management endpoints.
 */
class GracefulShutdownIT {

    private static final Pattern PORT = Pattern.compile("Management endpoints on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int LEADS = 1500;

    @Test
    void sigtermStopsWithinTenSecondsAndARestartFinishesTheRun(@TempDir Path dir) throws Exception {
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults().withReps(EmulatedWorld.REASONS,
                List.of("NOT_RIGHT_FIT"), Duration.ofSeconds(1), Duration.ofSeconds(3), 5);
        MarketoEmulator.Settings mk = MarketoEmulator.Settings.defaults();
        try (Sandbox sandbox = new Sandbox(Clock.systemUTC(), sf, mk, 0).start()) {
            sandbox.marketo().seed(DemoLeadGenerator.generate(5, LEADS, 0, Clock.systemUTC().instant()));
            Path config = writeConfig(dir, sandbox.connectorProperties(sf, mk));

            long stoppedIn;
            try (HandoffProcess first = HandoffProcess.start(dir.resolve("first.log"), Map.of("HANDOFF_LOG_LEVEL", "INFO"),
                    "run", "--config", config.toString())) {
                int port = awaitPort(first);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> status(port).path("leads").asLong() > 0);
                long signalled = System.nanoTime();
                first.terminate();
                int exit = first.waitFor(Duration.ofSeconds(30));
                stoppedIn = Duration.ofNanos(System.nanoTime() - signalled).toMillis();
                assertThat(exit).as("exit code after SIGTERM; log:\n%s", first.output()).isNotEqualTo(-1);
                assertThat(first.output()).doesNotContain("Exception in thread");
            }
            assertThat(stoppedIn).as("ms from SIGTERM to exit").isLessThanOrEqualTo(10_000);

            try (HandoffProcess second = HandoffProcess.start(dir.resolve("second.log"), Map.of(),
                    "run", "--config", config.toString())) {
                int port = awaitPort(second);
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    JsonNode s = status(port);
                    JsonNode q = s.path("queues");
                    return s.path("leads").asLong() == LEADS && q.path("to_fetch").asLong() == 0
                            && q.path("to_hand_off").asLong() == 0 && q.path("awaiting_sales").asLong() == 0
                            && q.path("feedback_pending").asLong() == 0 && sandbox.salesforce().pendingDecisions() == 0;
                });
                JsonNode s = status(port);
                long handedOff = s.path("by_state").path("ACCEPTED").asLong() + s.path("by_state").path("REJECTED").asLong();
                assertThat(handedOff).isPositive();
                Map<Object, Long> perExternalId = new HashMap<>();
                for (Map<String, Object> lead : sandbox.salesforce().leads()) {
                    perExternalId.merge(lead.get("external_id"), 1L, Long::sum);
                }
                assertThat(perExternalId.values()).as("one Salesforce Lead per MAP id").allMatch(n -> n == 1);
                assertThat((long) perExternalId.size()).isEqualTo(handedOff);
                second.terminate();
                assertThat(second.waitFor(Duration.ofSeconds(30))).isNotEqualTo(-1);
            }
        }
    }

    private static Path writeConfig(Path dir, Map<String, String> sandboxProperties) throws IOException {
        Properties p = new Properties();
        p.putAll(sandboxProperties);
        p.put("handoff.definition", Path.of("config/qualification.yaml").toAbsolutePath().toString());
        p.put("handoff.ledger.url", "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath());
        p.put("handoff.marketo.intake-since", "2025-01-01T00:00:00Z");
        p.put("handoff.intake.interval", "1s");
        p.put("handoff.disposition.interval", "1s");
        p.put("handoff.outcome.interval", "1s");
        p.put("handoff.recycle.interval", "1s");
        p.put("handoff.poll.tick", "100ms");
        p.put("handoff.http.port", "0");
        p.put("handoff.http.cache", "0s");
        Path file = dir.resolve("application.properties");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "GracefulShutdownIT");
        }
        return file;
    }

    private static int awaitPort(HandoffProcess process) {
        int[] port = {-1};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("handoff run exited early:\n" + process.output());
            }
            Matcher m = PORT.matcher(process.output());
            if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
            }
            return port[0] > 0;
        });
        return port[0];
    }

    private static JsonNode status(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status.json"))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }
}
