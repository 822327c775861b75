package dev.handoff.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.ledger.Ledger;
import dev.handoff.map.MapGateway;
import dev.handoff.transport.HttpRequest;
import dev.handoff.transport.HttpResponse;
import dev.handoff.transport.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The MAP as webhook intake sees it. Leads that were pushed are read from the ledger, where intake
 * stored them, instead of calling anyone back. Their verdicts are POSTed as signed JSON to
 * {@code handoff.webhook.feedback-url}, or, without one, only recorded as written in the ledger
 * (marketing then reads them from the report). Leads that were not pushed (polled ones, HubSpot
 * ids) go to the polled MAP, when there is one.
 */
public final class PushedLeadGateway implements MapGateway {

    static final int BATCH = 100;
    private static final String SYSTEM = "webhook";

    private final Ledger ledger;
    private final WebhookConfig config;
    private final HttpTransport transport;
    private final Clock clock;
    private final MapGateway polled;
    private final ObjectMapper json = new ObjectMapper();

    /** Webhook intake is the only MAP: leads that were not pushed are reported missing. */
    public PushedLeadGateway(Ledger ledger, WebhookConfig config, HttpTransport transport, Clock clock) {
        this(ledger, config, transport, clock, null);
    }

    /** Webhook intake in front of a polled MAP, which keeps every lead that was not pushed. */
    public PushedLeadGateway(Ledger ledger, WebhookConfig config, HttpTransport transport, Clock clock, MapGateway polled) {
        this.ledger = ledger;
        this.config = config;
        this.transport = transport;
        this.clock = clock;
        this.polled = polled;
    }

    @Override
    public String system() {
        return polled == null ? SYSTEM : polled.system();
    }

    @Override
    public int readBatchSize() {
        return polled == null ? BATCH : polled.readBatchSize();
    }

    @Override
    public int writeBatchSize() {
        return polled == null ? BATCH : polled.writeBatchSize();
    }

    @Override
    public Map<String, Map<String, String>> readLeads(List<String> ids) {
        Map<String, Map<String, String>> pushed = ledger.pushedSnapshots(ids);
        List<String> rest = ids.stream().filter(id -> !pushed.containsKey(id)).toList();
        if (polled == null || rest.isEmpty()) {
            return pushed;
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>(pushed);
        out.putAll(polled.readLeads(rest));
        return out;
    }

    @Override
    public List<FeedbackResult> writeFeedback(List<Feedback> feedback) {
        Set<String> pushedIds = ledger.pushedSnapshots(feedback.stream().map(Feedback::mapId).toList()).keySet();
        List<Feedback> pushed = new ArrayList<>();
        List<Feedback> other = new ArrayList<>();
        for (Feedback f : feedback) {
            (pushedIds.contains(f.mapId()) || polled == null ? pushed : other).add(f);
        }
        Map<String, FeedbackResult> results = new LinkedHashMap<>();
        if (!pushed.isEmpty()) {
            sendToCallback(pushed).forEach(r -> results.put(r.mapId(), r));
        }
        if (!other.isEmpty()) {
            polled.writeFeedback(other).forEach(r -> results.put(r.mapId(), r));
        }
        return feedback.stream().map(f -> results.get(f.mapId())).toList();
    }

    private List<FeedbackResult> sendToCallback(List<Feedback> feedback) {
        return sendToCallback(feedback.stream().map(Feedback::mapId).toList(), () -> body(feedback));
    }

    /**
     * The "SLA breached" flag of pushed leads goes to the callback as feedback items holding only
     * {@code id} and {@code "sla_breached": true}; the receiver leaves its other fields as they are.
     */
    @Override
    public List<FeedbackResult> flagSlaBreached(List<String> mapIds) {
        Set<String> pushedIds = ledger.pushedSnapshots(mapIds).keySet();
        List<String> pushed = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String id : mapIds) {
            (pushedIds.contains(id) || polled == null ? pushed : other).add(id);
        }
        Map<String, FeedbackResult> results = new LinkedHashMap<>();
        if (!pushed.isEmpty()) {
            sendToCallback(pushed, () -> slaBody(pushed)).forEach(r -> results.put(r.mapId(), r));
        }
        if (!other.isEmpty()) {
            polled.flagSlaBreached(other).forEach(r -> results.put(r.mapId(), r));
        }
        return mapIds.stream().map(results::get).toList();
    }

    private String slaBody(List<String> ids) {
        ObjectNode root = json.createObjectNode();
        ArrayNode items = root.putArray("feedback");
        ids.forEach(id -> items.addObject().put("id", id).put("sla_breached", true));
        try {
            return json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the SLA flags", e);
        }
    }

    private List<FeedbackResult> sendToCallback(List<String> ids, java.util.function.Supplier<String> bodyOf) {
        Optional<URI> url = config.feedbackUrl();
        if (url.isEmpty()) {
            return ids.stream().map(id -> new FeedbackResult(id, true, null, null)).toList();
        }
        String body = bodyOf.get();
        long now = clock.instant().getEpochSecond();
        String signature = WebhookVerifier.signGeneric(config.feedbackSecret().orElseThrow(), now,
                body.getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.post(url.get(), Map.of(WebhookVerifier.SIGNATURE_HEADER, signature,
                WebhookVerifier.TIMESTAMP_HEADER, String.valueOf(now)), "application/json", body);
        HttpResponse response;
        try {
            response = transport.send(request);
        } catch (IOException e) {
            throw new ConnectorException(SYSTEM, "IO", ErrorClass.TRANSIENT, "feedback callback failed: " + e.getMessage(), e);
        }
        int status = response.status();
        if (status >= 200 && status < 300) {
            return ids.stream().map(id -> new FeedbackResult(id, true, null, null)).toList();
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new ConnectorException(SYSTEM, "HTTP_" + status, ErrorClass.TRANSIENT, "feedback callback answered " + status,
                    null);
        }
        return ids.stream().map(id -> new FeedbackResult(id, false, "HTTP_" + status,
                "the feedback callback refused the batch with " + status)).toList();
    }

    private String body(List<Feedback> feedback) {
        ObjectNode root = json.createObjectNode();
        ArrayNode items = root.putArray("feedback");
        for (Feedback f : feedback) {
            ObjectNode item = items.addObject();
            item.put("id", f.mapId());
            item.put("sales_status", f.salesStatus());
            item.put("reject_reason", f.rejectReason());
            item.put("reject_comment", f.rejectComment());
            item.put("accepted_at", f.acceptedAt() == null ? null : f.acceptedAt().toString());
            item.put("sales_owner", f.salesOwner());
            item.put("outcome", f.outcome());
            item.put("outcome_amount", f.outcomeAmount());
        }
        try {
            return json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize feedback", e);
        }
    }
}
