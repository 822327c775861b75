package dev.handoff.webhook;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Webhook intake ({@code handoff.webhook.*}), validated at startup. Empty {@code sources} means no
 * webhook server at all; each listed source needs its own secret.
 */
public final class WebhookConfig {

    /** Signed lead JSON as described in docs/configuration.md ("Webhooks"). */
    public static final String GENERIC = "generic";
    /** HubSpot webhook subscriptions (v3 signature, events carrying contact ids). */
    public static final String HUBSPOT = "hubspot";
    private static final List<String> KNOWN = List.of(GENERIC, HUBSPOT);
    private static final String SECRET_PREFIX = "handoff.webhook.secret.";

    private final List<String> sources;
    private final Map<String, Secret> secrets;
    private final int port;
    private final int maxBodyBytes;
    private final Duration tolerance;
    private final Optional<URI> publicUrl;
    private final Optional<URI> feedbackUrl;
    private final Optional<Secret> feedbackSecret;
    private final Duration batchWindow;

    private WebhookConfig(List<String> sources, Map<String, Secret> secrets, int port, int maxBodyBytes, Duration tolerance,
            Optional<URI> publicUrl, Optional<URI> feedbackUrl, Optional<Secret> feedbackSecret, Duration batchWindow) {
        this.sources = List.copyOf(sources);
        this.secrets = Map.copyOf(secrets);
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
        this.tolerance = tolerance;
        this.publicUrl = publicUrl;
        this.feedbackUrl = feedbackUrl;
        this.feedbackSecret = feedbackSecret;
        this.batchWindow = batchWindow;
    }

    public static WebhookConfig from(Settings settings) {
        List<String> sources = new ArrayList<>();
        for (String s : settings.string("handoff.webhook.sources", "").split(",")) {
            String name = s.trim().toLowerCase(java.util.Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!KNOWN.contains(name)) {
                throw new ConfigException("handoff.webhook.sources", "unknown source '" + name + "' (known: "
                        + String.join(", ", KNOWN) + ")");
            }
            if (!sources.contains(name)) {
                sources.add(name);
            }
        }
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String source : sources) {
            Secret secret = settings.secret(SECRET_PREFIX + source);
            if (secret.reveal().length() < 16) {
                throw new ConfigException(SECRET_PREFIX + source, "is shorter than 16 characters");
            }
            secrets.put(source, secret);
        }
        int port = settings.integer("handoff.webhook.port", 8085, 0, 65535);
        if (!sources.isEmpty() && port == 0) {
            throw new ConfigException("handoff.webhook.port", "0 disables the webhook server, but handoff.webhook.sources is set");
        }
        int maxBody = settings.integer("handoff.webhook.max-body-bytes", 1 << 20, 1024, 16 << 20);
        Duration tolerance = settings.duration("handoff.webhook.tolerance", Duration.ofMinutes(5));
        if (tolerance.compareTo(Duration.ofSeconds(1)) < 0 || tolerance.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException("handoff.webhook.tolerance", tolerance + " is outside 1s..1h");
        }
        Optional<URI> publicUrl = settings.optional("handoff.webhook.public-url").map(v -> settings.uri("handoff.webhook.public-url"));
        Optional<URI> feedbackUrl = settings.optional("handoff.webhook.feedback-url")
                .map(v -> settings.uri("handoff.webhook.feedback-url"));
        Optional<Secret> feedbackSecret = settings.optional("handoff.webhook.feedback-secret").map(Secret::of)
                .or(() -> Optional.ofNullable(secrets.get(GENERIC)));
        if (feedbackUrl.isPresent() && feedbackSecret.isEmpty()) {
            throw new ConfigException("handoff.webhook.feedback-secret",
                    "is required with handoff.webhook.feedback-url when there is no generic source secret");
        }
        Duration batchWindow = settings.duration("handoff.webhook.batch-window", Duration.ofMillis(500));
        if (batchWindow.isNegative() || batchWindow.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new ConfigException("handoff.webhook.batch-window", batchWindow + " is outside 0s..1m");
        }
        return new WebhookConfig(sources, secrets, sources.isEmpty() ? 0 : port, maxBody, tolerance, publicUrl, feedbackUrl,
                feedbackSecret, batchWindow);
    }

    /** True when at least one source is configured, i.e. the webhook server runs. */
    public boolean enabled() {
        return !sources.isEmpty();
    }

    public List<String> sources() {
        return sources;
    }

    public Optional<Secret> secret(String source) {
        return Optional.ofNullable(secrets.get(source));
    }

    /** The listening port; 0 when webhooks are off. */
    public int port() {
        return port;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public Duration tolerance() {
        return tolerance;
    }

    /** Scheme, host and port callers use to reach us, when a proxy sits in between (HubSpot signs the URL it called). */
    public Optional<URI> publicUrl() {
        return publicUrl;
    }

    public Optional<URI> feedbackUrl() {
        return feedbackUrl;
    }

    public Optional<Secret> feedbackSecret() {
        return feedbackSecret;
    }

    /**
     * How long a pushed lead waits for others to join its handoff batch: the first lead after a
     * handoff cycle asks for the next cycle this long after it arrived, and every lead that arrives
     * meanwhile goes in the same batch.
     */
    public Duration batchWindow() {
        return batchWindow;
    }

    @Override
    public String toString() {
        return "WebhookConfig[sources=" + sources + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes + ", tolerance="
                + tolerance + ", batchWindow=" + batchWindow + ", feedbackUrl=" + feedbackUrl.map(URI::toString).orElse("<local>") + "]";
    }
}
