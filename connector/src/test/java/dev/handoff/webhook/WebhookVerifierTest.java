package dev.handoff.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.config.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-02T09:00:00Z");
    private static final Secret SECRET = Secret.of("s3cret-s3cret-s3cret");
    private static final byte[] BODY = "{\"id\":\"L1\",\"fields\":{\"email\":\"a@b.example\"}}".getBytes(StandardCharsets.UTF_8);
    private final WebhookVerifier verifier = new WebhookVerifier(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));

    @Test
    void hubSpotV3SignatureMatchesThePublishedTestVector() {
        assertThat(WebhookVerifier.signHubSpot(Secret.of("yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"), "POST",
                "https://www.example.com/webhook_uri", "{'example_field':'example_value'}".getBytes(StandardCharsets.UTF_8),
                "15000000")).isEqualTo("HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=");
    }

    @Test
    void hubSpotVectorVerifiesWithinFiveMinutesOfItsTimestampAndNotAfter() {
        Secret secret = Secret.of("yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy");
        byte[] body = "{'example_field':'example_value'}".getBytes(StandardCharsets.UTF_8);
        String sig = "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=";
        WebhookVerifier fresh = new WebhookVerifier(Clock.fixed(Instant.ofEpochMilli(15_000_000 + 60_000), ZoneOffset.UTC),
                Duration.ofMinutes(5));
        WebhookVerifier late = new WebhookVerifier(Clock.fixed(Instant.ofEpochMilli(15_000_000 + 301_000), ZoneOffset.UTC),
                Duration.ofMinutes(5));
        assertThat(fresh.verifyHubSpot(secret, "POST", "https://www.example.com/webhook_uri", body, sig, "15000000")).isEmpty();
        assertThat(fresh.verifyHubSpot(secret, "POST", "https://www.example.com/other_uri", body, sig, "15000000"))
                .contains("signature does not match");
        assertThat(late.verifyHubSpot(secret, "POST", "https://www.example.com/webhook_uri", body, sig, "15000000"))
                .hasValueSatisfying(r -> assertThat(r).contains("outside the 300 s window"));
    }

    @Test
    void genericSignatureIsHexHmacOfTimestampDotBody() {
        long ts = NOW.getEpochSecond();
        String sig = WebhookVerifier.signGeneric(SECRET, ts, BODY);
        assertThat(sig).startsWith("sha256=").hasSize(7 + 64);
        assertThat(verifier.verifyGeneric(SECRET, sig, String.valueOf(ts), BODY)).isEmpty();
        assertThat(verifier.verifyGeneric(SECRET, sig.toUpperCase().replace("SHA256=", "sha256="), String.valueOf(ts), BODY))
                .isEmpty();
    }

    @Test
    void wrongSecretTamperedBodyOrMovedTimestampIsRefused() {
        long ts = NOW.getEpochSecond();
        String sig = WebhookVerifier.signGeneric(SECRET, ts, BODY);
        assertThat(verifier.verifyGeneric(Secret.of("another-secret-value"), sig, String.valueOf(ts), BODY))
                .contains("signature does not match");
        byte[] tampered = BODY.clone();
        tampered[10] = 'X';
        assertThat(verifier.verifyGeneric(SECRET, sig, String.valueOf(ts), tampered)).contains("signature does not match");
        assertThat(verifier.verifyGeneric(SECRET, sig, String.valueOf(ts - 1), BODY)).contains("signature does not match");
    }

    @Test
    void timestampOutsideTheWindowEitherWayIsRefusedEvenWhenSigned() {
        long old = NOW.minus(Duration.ofMinutes(10)).getEpochSecond();
        long future = NOW.plus(Duration.ofMinutes(6)).getEpochSecond();
        assertThat(verifier.verifyGeneric(SECRET, WebhookVerifier.signGeneric(SECRET, old, BODY), String.valueOf(old), BODY))
                .hasValueSatisfying(r -> assertThat(r).contains("window"));
        assertThat(verifier.verifyGeneric(SECRET, WebhookVerifier.signGeneric(SECRET, future, BODY), String.valueOf(future),
                BODY)).hasValueSatisfying(r -> assertThat(r).contains("window"));
        long edge = NOW.minus(Duration.ofMinutes(5)).getEpochSecond();
        assertThat(verifier.verifyGeneric(SECRET, WebhookVerifier.signGeneric(SECRET, edge, BODY), String.valueOf(edge), BODY))
                .isEmpty();
    }

    @Test
    void missingOrMalformedHeadersAreRefusedWithoutRepeatingThem() {
        long ts = NOW.getEpochSecond();
        String sig = WebhookVerifier.signGeneric(SECRET, ts, BODY);
        assertThat(verifier.verifyGeneric(SECRET, null, String.valueOf(ts), BODY)).contains("X-Handoff-Signature is missing");
        assertThat(verifier.verifyGeneric(SECRET, sig, null, BODY))
                .contains("X-Handoff-Timestamp is missing or not epoch seconds");
        assertThat(verifier.verifyGeneric(SECRET, sig, "2026-11-02T09:00:00Z", BODY))
                .contains("X-Handoff-Timestamp is missing or not epoch seconds");
        assertThat(verifier.verifyGeneric(SECRET, "sha256=deadbeef", String.valueOf(ts), BODY))
                .hasValueSatisfying(r -> assertThat(r).doesNotContain("deadbeef"));
    }
}
