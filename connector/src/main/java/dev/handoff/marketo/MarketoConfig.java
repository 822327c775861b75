package dev.handoff.marketo;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything the Marketo side needs, read from {@code handoff.marketo.*} and validated at startup.
 *
 * @param activityRules ordered: the first rule matching an activity's type (and primary value) names its definition type
 * @param fieldMap      normalized lead field → Marketo REST field name
 * @param feedback      feedback role → Marketo REST field name (fields marketing sees)
 * @param campaignNames a lead's acquisition program (the default campaign field) is recorded as
 *                      "name (id)", the names listed with the Asset API ({@code handoff.marketo.campaign-names})
 */
public record MarketoConfig(URI baseUrl, String clientId, Secret clientSecret, Instant intakeSince,
        List<ActivityRule> activityRules, Map<String, String> fieldMap, Map<String, String> feedback,
        int readBatchSize, int writeBatchSize, Duration timeout, int rateLimitCalls, Duration rateLimitWindow,
        int maxConcurrent, boolean campaignNames) {

    public static final String NEW_LEAD_TYPE = "new_lead";

    /** {@code typeId[:primaryValueRegex]=definitionType}; regex null matches any primary value. */
    public record ActivityRule(int typeId, Pattern primaryValue, String definitionType) {
        public boolean matches(int type, String primary) {
            return type == typeId && (primaryValue == null || (primary != null && primaryValue.matcher(primary).find()));
        }
    }

    private static final Map<String, String> DEFAULT_FIELDS = defaultFields();
    private static final Map<String, String> DEFAULT_FEEDBACK = defaultFeedback();
    static final String DEFAULT_ACTIVITY_MAP = "12=new_lead; 1:(?i)/pricing=pricing_page_visit; "
            + "2:(?i)newsletter=newsletter_signup; 2=content_download; 100001=webinar_attended; 9=unsubscribed";

    public static MarketoConfig from(Settings s) {
        Map<String, String> fields = new LinkedHashMap<>();
        DEFAULT_FIELDS.forEach((k, v) -> fields.put(k, s.string("handoff.marketo.field." + k, v)));
        Map<String, String> feedback = new LinkedHashMap<>();
        DEFAULT_FEEDBACK.forEach((k, v) -> feedback.put(k, s.string("handoff.marketo.feedback." + k, v)));
        List<ActivityRule> rules = parseActivityMap("handoff.marketo.activity-map",
                s.string("handoff.marketo.activity-map", DEFAULT_ACTIVITY_MAP));
        return new MarketoConfig(s.uri("handoff.marketo.base-url"), s.required("handoff.marketo.client-id"),
                s.secret("handoff.marketo.client-secret"),
                s.instant("handoff.marketo.intake-since", Instant.parse("2000-01-01T00:00:00Z")), rules, fields,
                feedback, s.integer("handoff.marketo.read-batch-size", 300, 1, 300),
                s.integer("handoff.marketo.write-batch-size", 300, 1, 300),
                s.duration("handoff.marketo.timeout", Duration.ofSeconds(60)),
                s.integer("handoff.marketo.rate-limit-calls", 100, 2, 100_000),
                s.duration("handoff.marketo.rate-limit-window", Duration.ofSeconds(20)),
                s.integer("handoff.marketo.max-concurrent", 10, 1, 100),
                s.bool("handoff.marketo.campaign-names", true));
    }

    public MarketoConfig {
        activityRules = List.copyOf(activityRules);
        fieldMap = Map.copyOf(fieldMap);
        feedback = Map.copyOf(feedback);
        if (activityTypeIds(activityRules).size() > 10) {
            throw new ConfigException("handoff.marketo.activity-map", "Marketo accepts at most 10 activity type ids per call, got "
                    + activityTypeIds(activityRules));
        }
    }

    public Set<Integer> activityTypeIds() {
        return activityTypeIds(activityRules);
    }

    public Optional<String> definitionType(int typeId, String primaryValue) {
        for (ActivityRule r : activityRules) {
            if (r.matches(typeId, primaryValue)) {
                return Optional.of(r.definitionType());
            }
        }
        return Optional.empty();
    }

    private static Set<Integer> activityTypeIds(List<ActivityRule> rules) {
        Set<Integer> ids = new LinkedHashSet<>();
        rules.forEach(r -> ids.add(r.typeId()));
        return ids;
    }

    static List<ActivityRule> parseActivityMap(String key, String text) {
        List<ActivityRule> rules = new ArrayList<>();
        for (String raw : text.split(";")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.lastIndexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new ConfigException(key, "'" + item + "' is not typeId[:regex]=definitionType");
            }
            String left = item.substring(0, eq).trim();
            String type = item.substring(eq + 1).trim();
            int colon = left.indexOf(':');
            String id = colon < 0 ? left : left.substring(0, colon).trim();
            Pattern regex = null;
            if (colon >= 0) {
                try {
                    regex = Pattern.compile(left.substring(colon + 1).trim());
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(key, "bad regex in '" + item + "': " + e.getDescription());
                }
            }
            try {
                rules.add(new ActivityRule(Integer.parseInt(id), regex, type));
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "'" + id + "' in '" + item + "' is not a Marketo activity type id");
            }
        }
        if (rules.isEmpty()) {
            throw new ConfigException(key, "maps no activity type");
        }
        return rules;
    }

    private static Map<String, String> defaultFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", "email");
        m.put("first_name", "firstName");
        m.put("last_name", "lastName");
        m.put("company", "company");
        m.put("title", "title");
        m.put("industry", "industry");
        m.put("country", "country");
        m.put("annual_revenue", "annualRevenue");
        m.put("employees", "numberOfEmployees");
        m.put("lead_source", "leadSource");
        // the standard Acquisition Program field: an integer program id (map a custom field to report names)
        m.put("campaign", "acquisitionProgramId");
        return m;
    }

    private static Map<String, String> defaultFeedback() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sales_status", "handoffSalesStatus");
        m.put("reject_reason", "handoffRejectReason");
        m.put("reject_comment", "handoffRejectComment");
        m.put("accepted_at", "handoffAcceptedAt");
        m.put("sales_owner", "handoffSalesOwner");
        m.put("outcome", "handoffOutcome");
        m.put("outcome_amount", "handoffOutcomeAmount");
        m.put("sla_breached", "handoffSlaBreached");
        return m;
    }

    @Override
    public String toString() {
        return "MarketoConfig[" + baseUrl + ", client " + clientId + ", secret " + clientSecret + "]";
    }
}
