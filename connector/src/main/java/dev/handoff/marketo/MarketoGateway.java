package dev.handoff.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.map.MapGateway;
import dev.handoff.map.MapValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Marketo as a {@link MapGateway}: leads by id 300 per call, feedback as {@code updateOnly} syncs.
 * A lead's acquisition program (the default campaign field) is recorded as "program name (id)"
 * unless {@code handoff.marketo.campaign-names} is off.
 */
public final class MarketoGateway implements MapGateway {

    private final MarketoClient client;
    private final MarketoConfig config;
    private final java.util.function.UnaryOperator<String> campaignLabel;

    public MarketoGateway(MarketoClient client, MarketoConfig config, java.time.Clock clock) {
        this.client = client;
        this.config = config;
        this.campaignLabel = ProgramNames.campaignLabels(client, config, clock);
    }

    @Override
    public void ensureAuthenticated() {
        client.ensureToken();
    }

    @Override
    public String system() {
        return MarketoClient.SYSTEM;
    }

    @Override
    public int readBatchSize() {
        return config.readBatchSize();
    }

    @Override
    public int writeBatchSize() {
        return config.writeBatchSize();
    }

    @Override
    public Map<String, Map<String, String>> readLeads(List<String> ids) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (JsonNode lead : client.leadsById(ids, config.fieldMap().values())) {
            out.put(lead.path("id").asText(), normalize(lead));
        }
        return out;
    }

    @Override
    public List<FeedbackResult> writeFeedback(List<Feedback> feedback) {
        Map<String, String> names = config.feedback();
        List<Map<String, Object>> inputs = new ArrayList<>(feedback.size());
        for (Feedback f : feedback) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("id", Long.parseLong(f.mapId()));
            in.put(names.get("sales_status"), f.salesStatus());
            in.put(names.get("reject_reason"), f.rejectReason());
            in.put(names.get("reject_comment"), f.rejectComment());
            in.put(names.get("accepted_at"), f.acceptedAt() == null ? null : f.acceptedAt().toString());
            in.put(names.get("sales_owner"), f.salesOwner());
            if (f.slaBreached() != null) {
                in.put(names.get("sla_breached"), f.slaBreached());
            }
            if (f.outcome() != null) {
                in.put(names.get("outcome"), f.outcome().toLowerCase(Locale.ROOT));
                in.put(names.get("outcome_amount"), f.outcomeAmount());
            }
            inputs.add(in);
        }
        List<MarketoClient.SyncResult> results = client.updateLeadsById(inputs);
        List<FeedbackResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            MarketoClient.SyncResult r = results.get(i);
            out.add(new FeedbackResult(feedback.get(i).mapId(), r.ok(), r.reasonCode() == null ? "SKIPPED" : r.reasonCode(),
                    r.reasonMessage() == null ? r.status() : r.reasonMessage()));
        }
        return out;
    }

    @Override
    public List<FeedbackResult> flagSlaBreached(List<String> mapIds) {
        String field = config.feedback().get("sla_breached");
        List<Map<String, Object>> inputs = new ArrayList<>(mapIds.size());
        for (String id : mapIds) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("id", Long.parseLong(id));
            in.put(field, Boolean.TRUE);
            inputs.add(in);
        }
        List<MarketoClient.SyncResult> results = client.updateLeadsById(inputs);
        List<FeedbackResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            MarketoClient.SyncResult r = results.get(i);
            out.add(new FeedbackResult(mapIds.get(i), r.ok(), r.reasonCode() == null ? "SKIPPED" : r.reasonCode(),
                    r.reasonMessage() == null ? r.status() : r.reasonMessage()));
        }
        return out;
    }

    private Map<String, String> normalize(JsonNode raw) {
        Map<String, String> out = new LinkedHashMap<>();
        config.fieldMap().forEach((normalized, marketoName) -> {
            JsonNode v = raw.get(marketoName);
            if (v == null || v.isNull()) {
                return;
            }
            String text = v.isNumber() ? MapValues.plainNumber(v.decimalValue()) : v.asText();
            if (!text.isBlank()) {
                out.put(normalized, text.strip());
            }
        });
        out.computeIfPresent("campaign", (k, v) -> campaignLabel.apply(v));
        return out;
    }
}
