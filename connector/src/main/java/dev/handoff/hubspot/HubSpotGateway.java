package dev.handoff.hubspot;

import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.map.MapGateway;
import dev.handoff.map.MapValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * HubSpot as a {@link MapGateway}: contacts by id 100 per batch read, feedback as batch updates of
 * the feedback properties plus, per configuration, {@code lifecyclestage} and {@code hs_lead_status}.
 *
 * <p>{@code lifecyclestage} never moves backwards (unless allowed): when a batch would set a stage,
 * the current stages of those contacts are read first, in one batch read. The stage seen at intake
 * would save that call, but verdicts arrive hours or days after intake, and marketing, sales or a
 * workflow may have moved the contact on (to customer, say) in between; writing from a stale stage
 * would drag it back. One read per hundred verdicts is the price of never doing that.
 */
public final class HubSpotGateway implements MapGateway {

    static final String LIFECYCLE_STAGE = "lifecyclestage";
    static final String LEAD_STATUS = "hs_lead_status";
    private static final Set<String> NUMERIC_FIELDS = Set.of("annual_revenue", "employees");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final HubSpotClient client;
    private final HubSpotConfig config;

    public HubSpotGateway(HubSpotClient client, HubSpotConfig config) {
        this.client = client;
        this.config = config;
    }

    @Override
    public String system() {
        return HubSpotClient.SYSTEM;
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
        for (HubSpotClient.Contact c : client.readContacts(ids, config.fieldMap().values())) {
            out.put(c.id(), normalize(c.properties()));
        }
        return out;
    }

    @Override
    public List<FeedbackResult> writeFeedback(List<Feedback> feedback) {
        if (feedback.isEmpty()) {
            return List.of();
        }
        HubSpotConfig.Lifecycle lifecycle = config.lifecycle();
        Map<String, String> currentStages = currentStages(feedback);
        List<HubSpotClient.Update> updates = new ArrayList<>(feedback.size());
        for (Feedback f : feedback) {
            Map<String, String> props = feedbackProperties(f);
            String stage = targetStage(f);
            if (lifecycle.allows(currentStages.get(f.mapId()), stage)) {
                props.put(LIFECYCLE_STAGE, stage);
            }
            String leadStatus = targetLeadStatus(f);
            if (leadStatus != null) {
                props.put(LEAD_STATUS, leadStatus);
            }
            updates.add(new HubSpotClient.Update(f.mapId(), props));
        }
        List<HubSpotClient.UpdateResult> results = client.updateContacts(updates);
        List<FeedbackResult> out = new ArrayList<>(results.size());
        for (HubSpotClient.UpdateResult r : results) {
            if (!r.ok() && (r.errorClass() == ErrorClass.FATAL || r.errorClass() == ErrorClass.TRANSIENT)) {
                // Not this lead's fault (a property missing, a hiccup): nothing is quarantined, the whole
                // batch is tried again, which is safe because every write here is an idempotent update.
                throw new ConnectorException(HubSpotClient.SYSTEM, r.code(), r.errorClass(),
                        "feedback batch update refused for contact " + r.id() + ": " + r.message()
                                + (r.errorClass() == ErrorClass.FATAL ? " (run handoff setup hubspot?)" : ""), null);
            }
            out.add(new FeedbackResult(r.id(), r.ok(), r.ok() ? "UPDATED" : r.code(), r.ok() ? "updated" : r.message()));
        }
        return out;
    }

    @Override
    public List<FeedbackResult> flagSlaBreached(List<String> mapIds) {
        if (mapIds.isEmpty()) {
            return List.of();
        }
        String property = config.feedback().get("sla_breached");
        List<HubSpotClient.Update> updates = new ArrayList<>(mapIds.size());
        for (String id : mapIds) {
            updates.add(new HubSpotClient.Update(id, new LinkedHashMap<>(Map.of(property, "true"))));
        }
        List<FeedbackResult> out = new ArrayList<>(mapIds.size());
        for (HubSpotClient.UpdateResult r : client.updateContacts(updates)) {
            if (!r.ok() && (r.errorClass() == ErrorClass.FATAL || r.errorClass() == ErrorClass.TRANSIENT)) {
                throw new ConnectorException(HubSpotClient.SYSTEM, r.code(), r.errorClass(),
                        "SLA flag batch update refused for contact " + r.id() + ": " + r.message(), null);
            }
            out.add(new FeedbackResult(r.id(), r.ok(), r.ok() ? "UPDATED" : r.code(), r.ok() ? "updated" : r.message()));
        }
        return out;
    }

    /** Feedback roles to properties; null becomes "" which clears the value in HubSpot. */
    private Map<String, String> feedbackProperties(Feedback f) {
        Map<String, String> names = config.feedback();
        Map<String, String> props = new LinkedHashMap<>();
        props.put(names.get("sales_status"), text(f.salesStatus()));
        props.put(names.get("reject_reason"), text(f.rejectReason()));
        props.put(names.get("reject_comment"), text(f.rejectComment()));
        props.put(names.get("accepted_at"), f.acceptedAt() == null ? "" : datetime(f.acceptedAt()));
        props.put(names.get("sales_owner"), text(f.salesOwner()));
        if (f.slaBreached() != null) {
            props.put(names.get("sla_breached"), f.slaBreached().toString());
        }
        if (f.outcome() != null) {
            props.put(names.get("outcome"), f.outcome().toLowerCase(Locale.ROOT));
            props.put(names.get("outcome_amount"), f.outcomeAmount() == null ? "" : MapValues.plainNumber(f.outcomeAmount()));
        }
        return props;
    }

    /** A converted lead's stage wins over the verdict's; a rejection wins over an earlier acceptance. */
    private String targetStage(Feedback f) {
        HubSpotConfig.Lifecycle l = config.lifecycle();
        if (f.outcome() != null) {
            return l.converted();
        }
        if (f.rejectReason() != null) {
            return l.rejected();
        }
        return f.acceptedAt() != null ? l.accepted() : null;
    }

    private String targetLeadStatus(Feedback f) {
        HubSpotConfig.Lifecycle l = config.lifecycle();
        if (f.rejectReason() != null) {
            return l.leadStatusRejected();
        }
        return f.acceptedAt() != null ? l.leadStatusAccepted() : null;
    }

    /** Current {@code lifecyclestage} of the contacts this batch would move; one batch read, or none. */
    private Map<String, String> currentStages(List<Feedback> feedback) {
        if (config.lifecycle().allowBackwards()) {
            return Map.of();
        }
        List<String> ids = new ArrayList<>();
        for (Feedback f : feedback) {
            if (targetStage(f) != null) {
                ids.add(f.mapId());
            }
        }
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (HubSpotClient.Contact c : client.readContacts(ids, List.of(LIFECYCLE_STAGE))) {
            out.put(c.id(), c.properties().getOrDefault(LIFECYCLE_STAGE, ""));
        }
        return out;
    }

    private Map<String, String> normalize(Map<String, String> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        config.fieldMap().forEach((normalized, property) -> {
            String v = raw.get(property);
            if (v == null || v.isBlank()) {
                return;
            }
            String text = v.strip();
            if (NUMERIC_FIELDS.contains(normalized) && DECIMAL.matcher(text).matches()) {
                text = MapValues.plainNumber(new BigDecimal(text));
            }
            out.put(normalized, text);
        });
        return out;
    }


    /** The shape HubSpot itself returns datetimes in. */
    static String datetime(Instant at) {
        return MILLIS.format(at);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
