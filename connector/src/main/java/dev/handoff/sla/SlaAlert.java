package dev.handoff.sla;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.config.Settings;
import dev.handoff.transport.HttpRequest;
import dev.handoff.transport.HttpResponse;
import dev.handoff.transport.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional SLA alert: one JSON POST per batch of newly breached leads to
 * {@code handoff.sla.alert-webhook}. The body has a {@code text} field, which Slack and Microsoft
 * Teams incoming webhooks show as the message, plus structured fields for other receivers. No
 * emails or names are sent. Delivery is tried a bounded number of times; a failure is logged and
 * never stops the flow. The URL itself is a credential (Slack and Teams put the token in the path),
 * so logs show only its host.
 */
public final class SlaAlert {

    public static final String KEY = "handoff.sla.alert-webhook";
    /** Attempts per alert: the first and two retries. */
    static final int ATTEMPTS = 3;
    /** Leads listed in the alert's text; the structured list carries them all. */
    static final int LISTED = 10;

    private static final Logger LOG = LoggerFactory.getLogger(SlaAlert.class);

    /** Waits between attempts; tests pass one that returns at once. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    /** One lead in an alert. */
    public record Breach(String mapId, String crmId, String grade, Instant handedOffAt, Instant slaDueAt) {
    }

    private final Optional<URI> url;
    private final HttpTransport transport;
    private final Pause pause;
    private final Duration firstRetryDelay;
    private final ObjectMapper json = new ObjectMapper();

    public SlaAlert(Optional<URI> url, HttpTransport transport, Pause pause, Duration firstRetryDelay) {
        this.url = url;
        this.transport = transport;
        this.pause = pause;
        this.firstRetryDelay = firstRetryDelay;
    }

    /** From {@code handoff.sla.alert-webhook}; without it, alerts are log lines and the metric only. */
    public static SlaAlert from(Settings settings, HttpTransport transport) {
        Optional<URI> url = settings.optional(KEY).isPresent() ? Optional.of(settings.uri(KEY)) : Optional.empty();
        return new SlaAlert(url, transport, d -> Thread.sleep(d.toMillis()), Duration.ofMillis(500));
    }

    public boolean enabled() {
        return url.isPresent();
    }

    /**
     * Posts one alert for these leads.
     *
     * @return true when the receiver answered 2xx; false when disabled, refused or unreachable
     */
    public boolean send(String definitionLabel, Duration acceptWithin, List<Breach> breaches, Instant now) {
        if (url.isEmpty() || breaches.isEmpty()) {
            return false;
        }
        String body = body(definitionLabel, acceptWithin, breaches, now);
        HttpRequest request = HttpRequest.post(url.get(), Map.of(), "application/json", body);
        String target = url.get().getScheme() + "://" + url.get().getAuthority();
        Duration delay = firstRetryDelay;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String problem;
            try {
                HttpResponse response = transport.send(request);
                int status = response.status();
                if (status >= 200 && status < 300) {
                    return true;
                }
                problem = "answered " + status;
                if (!(status == 408 || status == 429 || status >= 500)) {
                    LOG.warn("sla: alert webhook {} refused the alert for {} leads ({}); not retried", target,
                            breaches.size(), problem);
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                // the class only: transport messages may quote the URL, whose path is the webhook's token
                problem = e.getClass().getSimpleName();
            }
            if (attempt == ATTEMPTS) {
                LOG.warn("sla: alert webhook {} failed {} times for {} leads (last: {}); the breaches stay in the ledger and "
                        + "the log", target, ATTEMPTS, breaches.size(), problem);
                return false;
            }
            try {
                pause.pause(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            delay = delay.multipliedBy(2);
        }
        return false;
    }

    String body(String definitionLabel, Duration acceptWithin, List<Breach> breaches, Instant now) {
        ObjectNode root = json.createObjectNode();
        root.put("text", text(definitionLabel, acceptWithin, breaches, now));
        root.put("event", "sla_breached");
        root.put("definition", definitionLabel);
        root.put("accept_within", SlaText.duration(acceptWithin));
        root.put("count", breaches.size());
        root.put("at", now.toString());
        ArrayNode leads = root.putArray("leads");
        for (Breach b : breaches) {
            ObjectNode l = leads.addObject();
            l.put("map_id", b.mapId());
            l.put("crm_id", b.crmId());
            l.put("grade", b.grade());
            l.put("handed_off_at", b.handedOffAt() == null ? null : b.handedOffAt().toString());
            l.put("sla_due_at", b.slaDueAt() == null ? null : b.slaDueAt().toString());
            l.put("overdue_minutes", b.slaDueAt() == null ? 0 : Math.max(0, Duration.between(b.slaDueAt(), now).toMinutes()));
        }
        try {
            return json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an SLA alert", e);
        }
    }

    static String text(String definitionLabel, Duration acceptWithin, List<Breach> breaches, Instant now) {
        StringBuilder sb = new StringBuilder();
        sb.append(breaches.size() == 1 ? "1 lead" : breaches.size() + " leads")
                .append(" handed to sales waited longer than the agreed ").append(SlaText.duration(acceptWithin))
                .append(" without an accept or reject (").append(definitionLabel).append("):");
        for (int i = 0; i < Math.min(LISTED, breaches.size()); i++) {
            Breach b = breaches.get(i);
            sb.append("\n• Salesforce Lead ").append(b.crmId()).append(" (MAP ").append(b.mapId());
            if (b.grade() != null) {
                sb.append(", grade ").append(b.grade());
            }
            sb.append("), due ").append(b.slaDueAt());
        }
        if (breaches.size() > LISTED) {
            sb.append("\n… and ").append(breaches.size() - LISTED).append(" more");
        }
        return sb.toString();
    }
}
