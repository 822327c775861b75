package dev.handoff.hubspot;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything the HubSpot side needs, read from {@code handoff.hubspot.*} and validated at startup.
 *
 * @param fieldMap      normalized lead field → HubSpot contact property
 * @param feedback      feedback role → HubSpot contact property (fields marketing sees)
 * @param activityRules ordered: per date property, the first rule whose name condition holds names the definition type
 * @param indexLag      how far behind "now" intake stays, so contacts HubSpot's search index has not caught up with are not skipped
 */
public record HubSpotConfig(URI baseUrl, Secret token, Instant intakeSince, int readBatchSize, int writeBatchSize,
        int searchPageSize, int rateLimitCalls, Duration rateLimitWindow, int searchPerSecond, Duration timeout,
        Duration indexLag, Map<String, String> fieldMap, Map<String, String> feedback, List<ActivityRule> activityRules,
        Lifecycle lifecycle) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.hubapi.com");
    /** HubSpot caps batch inputs and search pages at 100. */
    public static final int MAX_BATCH = 100;
    static final String DEFAULT_ACTIVITY_MAP = "recent_conversion_date|recent_conversion_event_name:(?i)webinar=webinar_attended; "
            + "recent_conversion_date|recent_conversion_event_name:(?i)newsletter=newsletter_signup; "
            + "recent_conversion_date=content_download; first_conversion_date=content_download; "
            + "hs_analytics_last_visit_timestamp|hs_analytics_last_url:(?i)/pricing=pricing_page_visit; "
            + "hs_email_optout_date=unsubscribed";

    private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z0-9_]+");
    private static final Pattern LEAD_STATUS = Pattern.compile("[A-Za-z0-9_]+");
    private static final Map<String, String> DEFAULT_FIELDS = defaultFields();
    private static final Map<String, String> DEFAULT_FEEDBACK = defaultFeedback();

    /**
     * {@code dateProperty[|nameProperty:regex]=definitionType}: the contact's {@code dateProperty}
     * records when it happened; with a name condition the rule only applies when {@code nameProperty}
     * matches {@code regex} (found anywhere in it).
     */
    public record ActivityRule(String dateProperty, String nameProperty, Pattern namePattern, String definitionType) {
        public boolean matches(Map<String, String> properties) {
            if (nameProperty == null) {
                return true;
            }
            String name = properties.get(nameProperty);
            return name != null && namePattern.matcher(name).find();
        }
    }

    /**
     * What the verdict does to HubSpot's own funnel properties; null means "leave it alone".
     * {@code lifecyclestage} only moves forward in {@link #STAGES} order unless {@code allowBackwards}.
     */
    public record Lifecycle(String accepted, String rejected, String converted, String leadStatusAccepted,
            String leadStatusRejected, boolean allowBackwards) {

        /** HubSpot's default lifecycle stages, earliest first. */
        public static final List<String> STAGES = List.of("subscriber", "lead", "marketingqualifiedlead",
                "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");

        /**
         * True when setting {@code target} on a contact now at {@code current} moves it forward. A blank
         * current stage is before every stage; a stage HubSpot's defaults do not know (a custom stage) has no
         * known order, so it is never overwritten.
         */
        public boolean allows(String current, String target) {
            if (target == null) {
                return false;
            }
            if (current == null || current.isBlank()) {
                return true;
            }
            if (current.equals(target)) {
                return false;
            }
            if (allowBackwards) {
                return true;
            }
            int from = STAGES.indexOf(current);
            return from >= 0 && STAGES.indexOf(target) > from;
        }
    }

    public static HubSpotConfig from(Settings s) {
        URI baseUrl = s.optional("handoff.hubspot.base-url").isPresent() ? s.uri("handoff.hubspot.base-url") : DEFAULT_BASE_URL;
        Secret token = s.secret("handoff.hubspot.token");
        Map<String, String> fields = new LinkedHashMap<>();
        DEFAULT_FIELDS.forEach((k, v) -> fields.put(k, property(s, "handoff.hubspot.field." + k, v)));
        Map<String, String> feedback = new LinkedHashMap<>();
        DEFAULT_FEEDBACK.forEach((k, v) -> feedback.put(k, property(s, "handoff.hubspot.feedback." + k, v)));
        Map<String, String> owner = new HashMap<>();
        feedback.forEach((role, name) -> {
            String other = owner.putIfAbsent(name, role);
            if (other != null) {
                throw new ConfigException("handoff.hubspot.feedback." + role, "property '" + name
                        + "' is already the one for " + other + "; each feedback role needs its own property");
            }
        });
        Lifecycle lifecycle = new Lifecycle(
                stage(s, "handoff.hubspot.lifecycle.accepted", "salesqualifiedlead"),
                stage(s, "handoff.hubspot.lifecycle.rejected", "none"),
                stage(s, "handoff.hubspot.lifecycle.converted", "opportunity"),
                leadStatus(s, "handoff.hubspot.lead-status.accepted", "IN_PROGRESS"),
                leadStatus(s, "handoff.hubspot.lead-status.rejected", "UNQUALIFIED"),
                s.bool("handoff.hubspot.lifecycle.allow-backwards", false));
        return new HubSpotConfig(baseUrl, token,
                s.instant("handoff.hubspot.intake-since", Instant.parse("2000-01-01T00:00:00Z")),
                s.integer("handoff.hubspot.read-batch-size", MAX_BATCH, 1, MAX_BATCH),
                s.integer("handoff.hubspot.write-batch-size", MAX_BATCH, 1, MAX_BATCH),
                s.integer("handoff.hubspot.search-page-size", MAX_BATCH, 1, MAX_BATCH),
                s.integer("handoff.hubspot.rate-limit-calls", 100, 2, 100_000),
                positive(s, "handoff.hubspot.rate-limit-window", Duration.ofSeconds(10)),
                s.integer("handoff.hubspot.search-per-second", 4, 2, 100),
                positive(s, "handoff.hubspot.timeout", Duration.ofSeconds(60)),
                notNegative(s, "handoff.hubspot.index-lag", Duration.ofSeconds(60)),
                fields, feedback,
                parseActivityMap("handoff.hubspot.activity-map", s.string("handoff.hubspot.activity-map", DEFAULT_ACTIVITY_MAP)),
                lifecycle);
    }

    public HubSpotConfig {
        fieldMap = Collections.unmodifiableMap(new LinkedHashMap<>(fieldMap));
        feedback = Collections.unmodifiableMap(new LinkedHashMap<>(feedback));
        activityRules = List.copyOf(activityRules);
    }

    /** The date properties the activity map reads, in map order (the order ties are broken in). */
    public List<String> dateProperties() {
        Set<String> out = new LinkedHashSet<>();
        activityRules.forEach(r -> out.add(r.dateProperty()));
        return List.copyOf(out);
    }

    /** The definition type of the event {@code dateProperty} records on a contact with these properties. */
    public Optional<String> definitionType(String dateProperty, Map<String, String> properties) {
        for (ActivityRule r : activityRules) {
            if (r.dateProperty().equals(dateProperty) && r.matches(properties)) {
                return Optional.of(r.definitionType());
            }
        }
        return Optional.empty();
    }

    /** Every contact property intake asks a search for: fit fields, engagement dates and their names. */
    public List<String> intakeProperties() {
        Set<String> out = new LinkedHashSet<>(List.of("hs_object_id", "lastmodifieddate"));
        out.addAll(fieldMap.values());
        for (ActivityRule r : activityRules) {
            out.add(r.dateProperty());
            if (r.nameProperty() != null) {
                out.add(r.nameProperty());
            }
        }
        return List.copyOf(out);
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
                throw new ConfigException(key, "'" + item + "' is not dateProperty[|nameProperty:regex]=definitionType");
            }
            String left = item.substring(0, eq).trim();
            String type = item.substring(eq + 1).trim();
            int bar = left.indexOf('|');
            String date = (bar < 0 ? left : left.substring(0, bar)).trim();
            requireName(key, item, date);
            String nameProperty = null;
            Pattern regex = null;
            if (bar >= 0) {
                String condition = left.substring(bar + 1);
                int colon = condition.indexOf(':');
                if (colon <= 0) {
                    throw new ConfigException(key, "'" + item + "': the condition after '|' must be nameProperty:regex");
                }
                nameProperty = condition.substring(0, colon).trim();
                requireName(key, item, nameProperty);
                try {
                    regex = Pattern.compile(condition.substring(colon + 1).trim());
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(key, "bad regex in '" + item + "': " + e.getDescription());
                }
            }
            rules.add(new ActivityRule(date, nameProperty, regex, type));
        }
        if (rules.isEmpty()) {
            throw new ConfigException(key, "maps no date property to an activity type");
        }
        return rules;
    }

    private static void requireName(String key, String item, String name) {
        if (!PROPERTY_NAME.matcher(name).matches()) {
            throw new ConfigException(key, "'" + name + "' in '" + item
                    + "' is not a HubSpot property internal name (lower-case letters, digits, _)");
        }
    }

    private static String property(Settings s, String key, String fallback) {
        String v = s.string(key, fallback);
        if (!PROPERTY_NAME.matcher(v).matches()) {
            throw new ConfigException(key, "'" + v + "' is not a HubSpot property internal name (lower-case letters, digits, _)");
        }
        return v;
    }

    private static String stage(Settings s, String key, String fallback) {
        String v = s.string(key, fallback).toLowerCase(Locale.ROOT);
        if (v.equals("none")) {
            return null;
        }
        if (!Lifecycle.STAGES.contains(v)) {
            throw new ConfigException(key, "'" + v + "' is not a lifecycle stage; use none or one of " + Lifecycle.STAGES);
        }
        return v;
    }

    private static String leadStatus(Settings s, String key, String fallback) {
        String v = s.string(key, fallback);
        if (v.equalsIgnoreCase("none")) {
            return null;
        }
        if (!LEAD_STATUS.matcher(v).matches()) {
            throw new ConfigException(key, "'" + v + "' is not a lead status internal value (like IN_PROGRESS) or none");
        }
        return v;
    }

    private static Duration positive(Settings s, String key, Duration fallback) {
        Duration d = s.duration(key, fallback);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(key, d + " must be longer than zero");
        }
        return d;
    }

    private static Duration notNegative(Settings s, String key, Duration fallback) {
        Duration d = s.duration(key, fallback);
        if (d.isNegative()) {
            throw new ConfigException(key, d + " must not be negative");
        }
        return d;
    }

    private static Map<String, String> defaultFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", "email");
        m.put("first_name", "firstname");
        m.put("last_name", "lastname");
        m.put("company", "company");
        m.put("title", "jobtitle");
        m.put("industry", "industry");
        m.put("country", "country");
        m.put("annual_revenue", "annualrevenue");
        m.put("employees", "numemployees");
        m.put("lead_source", "hs_analytics_source");
        // Original Source Drill-Down 2: the campaign for paid, email and social sources
        m.put("campaign", "hs_analytics_source_data_2");
        return m;
    }

    private static Map<String, String> defaultFeedback() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sales_status", "handoff_sales_status");
        m.put("reject_reason", "handoff_reject_reason");
        m.put("reject_comment", "handoff_reject_comment");
        m.put("accepted_at", "handoff_accepted_at");
        m.put("sales_owner", "handoff_sales_owner");
        m.put("outcome", "handoff_outcome");
        m.put("outcome_amount", "handoff_outcome_amount");
        m.put("sla_breached", "handoff_sla_breached");
        return m;
    }

    @Override
    public String toString() {
        return "HubSpotConfig[" + baseUrl + ", token " + token + "]";
    }
}
