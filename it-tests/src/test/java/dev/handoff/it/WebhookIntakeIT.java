package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.handoff.config.Secret;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.webhook.WebhookVerifier;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Signed webhook intake through the real application: refusals at the door, and a pushed MQL reaching Salesforce. */
class WebhookIntakeIT {

    private static final String SECRET = "webhook-secret-for-the-it-0123456789";

    @TempDir
    Path dir;
    EmulatedWorld world;
    int port;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        logs.start();
        root().addAppender(logs);
        world = new EmulatedWorld(dir, 1).withWebhooks(port, SECRET, "generic");
        world.startApplication();
    }

    @AfterEach
    void stop() {
        try {
            assertThat(world.sandbox.unmatchedRequests()).isEmpty();
        } finally {
            world.close();
            root().detachAppender(logs);
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static String lead(String id, String email, String extra) {
        return "{\"id\":\"" + id + "\",\"fields\":{\"email\":\"" + email + "\",\"first_name\":\"Ana\",\"last_name\":\"Rivera\","
                + "\"company\":\"Initech Software\",\"title\":\"VP Marketing\",\"industry\":\"Software\",\"country\":\"US\","
                + "\"annual_revenue\":80000000,\"employees\":900" + extra + "},"
                + "\"activities\":[{\"id\":\"" + id + "-a1\",\"type\":\"pricing_page_visit\",\"at\":\"2026-10-31T09:00:00Z\"},"
                + "{\"id\":\"" + id + "-a2\",\"type\":\"webinar_attended\",\"at\":\"2026-11-01T09:00:00Z\"}]}";
    }

    private HttpResponse<String> post(String body, String signature, long timestamp) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/generic"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(WebhookVerifier.SIGNATURE_HEADER, signature)
                .header(WebhookVerifier.TIMESTAMP_HEADER, String.valueOf(timestamp))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signedPost(String body, Instant at) throws Exception {
        long ts = at.getEpochSecond();
        return post(body, WebhookVerifier.signGeneric(Secret.of(SECRET), ts, body.getBytes(StandardCharsets.UTF_8)), ts);
    }

    private List<String> logLines() {
        return logs.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();
    }

    @Test
    void wrongSignatureStaleTimestampMalformedJsonAndHugeBodyAreRefusedAndNeverLoggedOrRecorded() throws Exception {
        Instant now = world.clock.instant();

        String forged = lead("W-forged", "forged.person@initech.example", "");
        String wrongSignature = "sha256=" + "ab".repeat(32);
        HttpResponse<String> unsigned = post(forged, wrongSignature, now.getEpochSecond());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).contains("\"error\":\"UNAUTHENTICATED\"").doesNotContain("forged.person");
        assertThat(unsigned.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase(WebhookVerifier.SIGNATURE_HEADER));

        String replayed = lead("W-replayed", "replayed.person@initech.example", "");
        HttpResponse<String> stale = signedPost(replayed, now.minus(Duration.ofMinutes(10)));
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.body()).contains("window");

        String malformed = "{\"id\":\"W-bad\",\"fields\":{\"email\":42,\"company\":\"malformed-company-text\"},"
                + "\"activities\":[{\"id\":\"x\",\"type\":\"webinar_attended\",\"at\":\"last tuesday\"}],\"color\":\"blue\"}";
        HttpResponse<String> bad = signedPost(malformed, now);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("fields.email: must be a string", "activities[0].at: not an ISO-8601 instant",
                "color: unknown key").doesNotContain("malformed-company-text");

        String huge = lead("W-huge", "huge.person@initech.example", ",\"notes\":\"" + "huge-body-text ".repeat(140_000) + "\"");
        assertThat(huge.length()).isGreaterThan(2_000_000);
        HttpResponse<String> tooLarge = signedPost(huge, now);
        assertThat(tooLarge.statusCode()).isEqualTo(413);

        var ledger = world.app().ledger();
        assertThat(List.of("W-forged", "W-replayed", "W-bad", "W-huge")).allSatisfy(id ->
                assertThat(ledger.lead(id)).isEmpty());
        assertThat(ledger.pushedSnapshots(List.of("W-forged", "W-replayed", "W-bad", "W-huge"))).isEmpty();
        assertThat(logLines()).anySatisfy(l -> assertThat(l).contains("refused").contains("401"))
                .anySatisfy(l -> assertThat(l).contains("refused").contains("400"))
                .anySatisfy(l -> assertThat(l).contains("refused").contains("413"))
                .allSatisfy(l -> assertThat(l).doesNotContain("forged.person", "replayed.person", "malformed-company-text",
                        "huge-body-text", "huge.person", "ab".repeat(32), "sha256="));
    }

    @Test
    void validSignedLeadIsInTheLedgerBeforeThe202AndReachesSalesforceAfterOneCycle() throws Exception {
        String body = lead("W-100", "ana.rivera@initech.example", "");

        HttpResponse<String> accepted = signedPost(body, world.clock.instant().minus(Duration.ofMinutes(1)));

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.body()).isEqualTo("{\"accepted\":\"W-100\"}");
        var ledger = world.app().ledger();
        assertThat(ledger.lead("W-100")).get().extracting(LedgerLead::state).isEqualTo(LeadState.NEW);
        assertThat(ledger.pushedSnapshots(List.of("W-100")).get("W-100")).containsEntry("email", "ana.rivera@initech.example");
        assertThat(ledger.activitiesOf(List.of("W-100")).get("W-100")).hasSize(2);

        world.cycle();

        assertThat(world.sandbox.salesforce().leads()).singleElement().satisfies(l -> {
            assertThat(l.get("external_id")).isEqualTo("W-100");
            assertThat(l.get("email")).isEqualTo("ana.rivera@initech.example");
        });
        assertThat(ledger.lead("W-100").orElseThrow().state()).isEqualTo(LeadState.HANDED_OFF);
        assertThat(logLines()).noneMatch(l -> l.contains("ana.rivera@")).noneMatch(l -> l.contains("sha256="));
    }
}
