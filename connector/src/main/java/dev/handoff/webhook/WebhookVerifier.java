package dev.handoff.webhook;

import dev.handoff.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves a webhook came from the holder of the shared secret and is fresh. Two schemes:
 * <ul>
 * <li>generic: {@code X-Handoff-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">} and
 * {@code X-Handoff-Timestamp: <epoch seconds>};</li>
 * <li>HubSpot v3: {@code X-HubSpot-Signature-v3: Base64(HMAC-SHA256(method + URI + raw body + timestamp))}
 * and {@code X-HubSpot-Request-Timestamp: <epoch milliseconds>}.</li>
 * </ul>
 * A timestamp further than the tolerance from now, in either direction, is refused: a captured
 * request cannot be replayed later. Signatures are compared in constant time. Refusal reasons
 * never repeat a header value.
 */
public final class WebhookVerifier {

    public static final String SIGNATURE_HEADER = "X-Handoff-Signature";
    public static final String TIMESTAMP_HEADER = "X-Handoff-Timestamp";
    public static final String HUBSPOT_SIGNATURE_HEADER = "X-HubSpot-Signature-v3";
    public static final String HUBSPOT_TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp";
    private static final String SHA256_PREFIX = "sha256=";

    private final Clock clock;
    private final Duration tolerance;

    public WebhookVerifier(Clock clock, Duration tolerance) {
        this.clock = clock;
        this.tolerance = tolerance;
    }

    /** Empty when the generic request is authentic and fresh; otherwise why it is not. */
    public Optional<String> verifyGeneric(Secret secret, String signature, String timestamp, byte[] body) {
        if (signature == null || signature.isBlank()) {
            return Optional.of(SIGNATURE_HEADER + " is missing");
        }
        Optional<Long> seconds = epoch(timestamp);
        if (seconds.isEmpty()) {
            return Optional.of(TIMESTAMP_HEADER + " is missing or not epoch seconds");
        }
        Optional<String> stale = stale(Instant.ofEpochSecond(seconds.get()));
        if (stale.isPresent()) {
            return stale;
        }
        String expected = signGeneric(secret, seconds.get(), body);
        String given = signature.trim().toLowerCase(Locale.ROOT);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("signature does not match");
        }
        return Optional.empty();
    }

    /** Empty when the HubSpot v3 request is authentic and fresh; otherwise why it is not. */
    public Optional<String> verifyHubSpot(Secret secret, String method, String requestUri, byte[] body, String signature,
            String timestamp) {
        if (signature == null || signature.isBlank()) {
            return Optional.of(HUBSPOT_SIGNATURE_HEADER + " is missing");
        }
        Optional<Long> millis = epoch(timestamp);
        if (millis.isEmpty()) {
            return Optional.of(HUBSPOT_TIMESTAMP_HEADER + " is missing or not epoch milliseconds");
        }
        Optional<String> stale = stale(Instant.ofEpochMilli(millis.get()));
        if (stale.isPresent()) {
            return stale;
        }
        String expected = signHubSpot(secret, method, requestUri, body, timestamp.trim());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("signature does not match");
        }
        return Optional.empty();
    }

    /** The {@code X-Handoff-Signature} value for a body sent at {@code epochSeconds}. */
    public static String signGeneric(Secret secret, long epochSeconds, byte[] body) {
        Mac mac = mac(secret);
        mac.update((epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
        mac.update(body);
        return SHA256_PREFIX + HexFormat.of().formatHex(mac.doFinal());
    }

    /** The {@code X-HubSpot-Signature-v3} value; {@code timestamp} exactly as sent in the header. */
    public static String signHubSpot(Secret secret, String method, String requestUri, byte[] body, String timestamp) {
        Mac mac = mac(secret);
        mac.update(method.getBytes(StandardCharsets.UTF_8));
        mac.update(requestUri.getBytes(StandardCharsets.UTF_8));
        mac.update(body);
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }

    private Optional<String> stale(Instant sent) {
        Duration age = Duration.between(sent, clock.instant());
        if (age.abs().compareTo(tolerance) > 0) {
            return Optional.of("timestamp is " + age.getSeconds() + " s from now, outside the " + tolerance.getSeconds()
                    + " s window (late, replayed or clock skew)");
        }
        return Optional.empty();
    }

    private static Optional<Long> epoch(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(v));
    }

    private static Mac mac(Secret secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
