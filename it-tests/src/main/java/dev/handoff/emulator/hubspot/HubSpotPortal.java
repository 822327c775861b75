package dev.handoff.emulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.emulator.hubspot.PropertyDef.Option;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The contacts, property definitions and property groups of one HubSpot account. Every method is
 * synchronized: a search sees one consistent state, and a batch update is applied as a whole.
 */
final class HubSpotPortal {

    /** When the built-in properties claim to have been defined. */
    static final Instant DEFINED_AT = Instant.parse("2019-08-06T02:41:52.000Z");

    static final String ID = "hs_object_id";
    static final String CREATED = "createdate";
    static final String MODIFIED = "lastmodifieddate";
    static final List<String> DEFAULT_PROPERTIES = List.of(CREATED, "email", "firstname", ID, MODIFIED, "lastname");
    static final List<String> LIFECYCLE = List.of("subscriber", "lead", "marketingqualifiedlead",
            "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final String NOT_FOUND_MESSAGE =
            "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.";

    static final class Contact {
        final long id;
        final Instant createdAt;
        Instant modifiedAt;
        final Map<String, String> values = new LinkedHashMap<>();

        Contact(long id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.modifiedAt = createdAt;
        }

        String value(String property) {
            return switch (property) {
                case ID -> Long.toString(id);
                case CREATED -> HubSpotJson.formatInstant(createdAt);
                case MODIFIED -> HubSpotJson.formatInstant(modifiedAt);
                default -> values.get(property);
            };
        }
    }

    /** An HTTP status and the JSON body to send with it. */
    record Reply(int status, Map<String, Object> body) {
    }

    private final Map<String, PropertyDef> properties = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    private final TreeMap<Long, Contact> contacts = new TreeMap<>();
    private final Map<String, Long> idsByEmail = new HashMap<>();
    private final int searchCap;
    private long nextId = 1;
    private long lifecycleRegressions;

    HubSpotPortal(int searchCap) {
        this.searchCap = searchCap;
        group("contactinformation", "Contact information", 0);
        group("conversioninformation", "Conversion information", 1);
        group("analyticsinformation", "Web analytics history", 2);
        group("emailinformation", "Email information", 3);
        group("sales_properties", "Sales properties", 4);
        builtIn("email", "Email", "string", "text", "contactinformation", false);
        builtIn("firstname", "First Name", "string", "text", "contactinformation", false);
        builtIn("lastname", "Last Name", "string", "text", "contactinformation", false);
        builtIn("company", "Company Name", "string", "text", "contactinformation", false);
        builtIn("jobtitle", "Job Title", "string", "text", "contactinformation", false);
        builtIn("industry", "Industry", "string", "text", "contactinformation", false);
        builtIn("country", "Country/Region", "string", "text", "contactinformation", false);
        builtIn("annualrevenue", "Annual Revenue", "number", "number", "contactinformation", false);
        builtIn("numemployees", "Number of Employees", "number", "number", "contactinformation", false);
        builtIn("phone", "Phone Number", "string", "phonenumber", "contactinformation", false);
        builtIn("website", "Website URL", "string", "text", "contactinformation", false);
        builtIn("city", "City", "string", "text", "contactinformation", false);
        builtIn("state", "State/Region", "string", "text", "contactinformation", false);
        builtIn(CREATED, "Create Date", "datetime", "date", "contactinformation", true);
        builtIn(MODIFIED, "Last Modified Date", "datetime", "date", "contactinformation", true);
        builtIn(ID, "Record ID", "number", "number", "contactinformation", true);
        builtIn("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", "contactinformation", false,
                PropertyDef.options(LIFECYCLE.toArray(String[]::new)));
        builtIn("hs_lead_status", "Lead Status", "enumeration", "radio", "sales_properties", false,
                PropertyDef.options("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT",
                        "CONNECTED", "BAD_TIMING"));
        builtIn("recent_conversion_event_name", "Recent Conversion", "string", "text", "conversioninformation", true);
        builtIn("recent_conversion_date", "Recent Conversion Date", "datetime", "date", "conversioninformation", true);
        builtIn("first_conversion_event_name", "First Conversion", "string", "text", "conversioninformation", true);
        builtIn("first_conversion_date", "First Conversion Date", "datetime", "date", "conversioninformation", true);
        builtIn("num_conversion_events", "Number of Form Submissions", "number", "number", "conversioninformation",
                true);
        builtIn("hs_analytics_last_url", "Last Page Seen", "string", "text", "analyticsinformation", true);
        builtIn("hs_analytics_last_visit_timestamp", "Time of Last Session", "datetime", "date",
                "analyticsinformation", true);
        builtIn("hs_analytics_num_page_views", "Number of Pageviews", "number", "number", "analyticsinformation",
                true);
        builtIn("hs_email_optout", "Unsubscribed from all email", "bool", "booleancheckbox", "emailinformation",
                true, List.of(new Option("True", "true", 0, false), new Option("False", "false", 1, false)));
        builtIn("hs_email_optout_date", "Unsubscribed from all email date", "datetime", "date", "emailinformation",
                true);
    }

    private void group(String name, String label, int order) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("name", name);
        g.put("label", label);
        g.put("displayOrder", order);
        g.put("archived", false);
        groups.put(name, g);
    }

    private void builtIn(String name, String label, String type, String fieldType, String group, boolean readOnly) {
        builtIn(name, label, type, fieldType, group, readOnly, List.of());
    }

    private void builtIn(String name, String label, String type, String fieldType, String group, boolean readOnly,
            List<Option> options) {
        properties.put(name, new PropertyDef(name, label, type, fieldType, group, "", options, readOnly, readOnly,
                false, -1, DEFINED_AT, true));
    }

    // ---------------------------------------------------------------- marketer-side changes

    synchronized String add(Map<String, String> values, Instant createdAt) {
        Objects.requireNonNull(createdAt, "createdAt");
        Map<String, String> rest = new LinkedHashMap<>(values);
        String modified = rest.remove(MODIFIED);
        rest.remove(CREATED);
        rest.remove(ID);
        Map<String, String> canonical = canonicalOrThrow(rest);
        String email = canonical.get("email");
        if (email != null && idsByEmail.containsKey(email.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("a contact with email " + email + " already exists");
        }
        Contact c = new Contact(nextId++, createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        c.values.putAll(canonical);
        if (modified != null && !modified.isBlank()) {
            c.modifiedAt = PropertyDef.parseInstant(modified.trim())
                    .orElseThrow(() -> new IllegalArgumentException("not a datetime: " + modified));
        }
        contacts.put(c.id, c);
        if (email != null) {
            idsByEmail.put(email.toLowerCase(Locale.ROOT), c.id);
        }
        return Long.toString(c.id);
    }

    synchronized boolean update(long id, Map<String, String> values, Instant now) {
        Contact c = contacts.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no contact " + id);
        }
        Map<String, String> canonical = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!properties.containsKey(e.getKey())) {
                throw new IllegalArgumentException("Property \"" + e.getKey() + "\" does not exist");
            }
            String v = e.getValue() == null ? "" : e.getValue();
            canonical.put(e.getKey(), v.isEmpty() ? "" : canonicalOrThrow(Map.of(e.getKey(), v)).get(e.getKey()));
        }
        String email = canonical.get("email");
        if (email != null && !email.isEmpty()) {
            Long holder = idsByEmail.get(email.toLowerCase(Locale.ROOT));
            if (holder != null && holder != id) {
                throw new IllegalArgumentException("a contact with email " + email + " already exists");
            }
        }
        return apply(c, canonical, now);
    }

    synchronized Optional<Map<String, String>> contact(long id) {
        Contact c = contacts.get(id);
        if (c == null) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>(c.values);
        out.put(CREATED, c.value(CREATED));
        out.put(MODIFIED, c.value(MODIFIED));
        out.put(ID, c.value(ID));
        return Optional.of(out);
    }

    private Map<String, String> canonicalOrThrow(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((name, raw) -> {
            PropertyDef def = properties.get(name);
            if (def == null) {
                throw new IllegalArgumentException("Property \"" + name + "\" does not exist");
            }
            if (raw == null || raw.isEmpty()) {
                return;
            }
            PropertyDef.Result r = def.canonical(raw);
            if (r.invalid() != null) {
                throw new IllegalArgumentException(name + ": " + r.invalid().message());
            }
            out.put(name, r.value());
        });
        return out;
    }

    /** Writes canonical values ("" clears); bumps lastmodifieddate only when something changed. */
    private boolean apply(Contact c, Map<String, String> canonical, Instant now) {
        boolean changed = false;
        for (Map.Entry<String, String> e : canonical.entrySet()) {
            String name = e.getKey();
            String before = c.values.get(name);
            String after = e.getValue().isEmpty() ? null : e.getValue();
            if (Objects.equals(before, after)) {
                continue;
            }
            if (name.equals("lifecyclestage") && before != null && after != null
                    && LIFECYCLE.indexOf(after) < LIFECYCLE.indexOf(before)) {
                lifecycleRegressions++;
            }
            if (name.equals("email")) {
                if (before != null) {
                    idsByEmail.remove(before.toLowerCase(Locale.ROOT));
                }
                if (after != null) {
                    idsByEmail.put(after.toLowerCase(Locale.ROOT), c.id);
                }
            }
            if (after == null) {
                c.values.remove(name);
            } else {
                c.values.put(name, after);
            }
            changed = true;
        }
        if (changed) {
            c.modifiedAt = now.isAfter(c.modifiedAt) ? now : c.modifiedAt;
        }
        return changed;
    }

    // ---------------------------------------------------------------- state

    synchronized List<Map<String, Object>> stateRows() {
        List<String> feedback = new ArrayList<>(List.of("handoff_sales_status", "handoff_reject_reason",
                "handoff_reject_comment", "handoff_accepted_at", "handoff_sales_owner", "handoff_outcome",
                "handoff_outcome_amount"));
        properties.keySet().stream().filter(n -> n.startsWith("handoff_") && !feedback.contains(n))
                .forEach(feedback::add);
        List<Map<String, Object>> rows = new ArrayList<>(contacts.size());
        for (Contact c : contacts.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", Long.toString(c.id));
            row.put("email", c.values.get("email"));
            for (String f : feedback) {
                row.put(f, c.values.get(f));
            }
            row.put("lifecyclestage", c.values.get("lifecyclestage"));
            row.put("hs_lead_status", c.values.get("hs_lead_status"));
            row.put(MODIFIED, c.value(MODIFIED));
            rows.add(row);
        }
        return rows;
    }

    synchronized long lifecycleRegressions() {
        return lifecycleRegressions;
    }

    synchronized int size() {
        return contacts.size();
    }

    // ---------------------------------------------------------------- objects API

    synchronized Reply getContact(String idText, List<String> requested) {
        Contact c = parseId(idText).map(contacts::get).orElse(null);
        if (c == null) {
            throw new HubSpotError(404, "OBJECT_NOT_FOUND", "resource not found");
        }
        return new Reply(200, toJson(c, requested.isEmpty() ? DEFAULT_PROPERTIES : requested));
    }

    synchronized Reply batchRead(JsonNode body, int maxBatch, Instant now) {
        List<String> requested = stringList(body.get("properties"), "properties");
        String idProperty = idProperty(body);
        List<String> ids = new ArrayList<>();
        for (JsonNode input : inputs(body, maxBatch)) {
            ids.add(requiredText(input, "id", "inputs[].id"));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        Set<Long> seen = new LinkedHashSet<>();
        for (String id : ids) {
            Optional<Contact> c = resolve(idProperty, id);
            if (c.isEmpty()) {
                missing.add(id);
            } else if (seen.add(c.get().id)) {
                results.add(toJson(c.get(), requested.isEmpty() ? DEFAULT_PROPERTIES : requested));
            }
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        if (!missing.isEmpty()) {
            errors.add(notFound(missing));
        }
        return batchReply(results, errors, now);
    }

    synchronized Reply batchUpdate(JsonNode body, int maxBatch, Instant now) {
        String idProperty = idProperty(body);
        List<JsonNode> inputs = inputs(body, maxBatch);
        Set<String> distinct = new LinkedHashSet<>();
        record Input(String id, Map<String, String> values) {
        }
        List<Input> parsed = new ArrayList<>();
        for (JsonNode input : inputs) {
            String id = requiredText(input, "id", "inputs[].id");
            if (!distinct.add(id.toLowerCase(Locale.ROOT))) {
                throw HubSpotError.validation("Duplicate IDs found in batch input: [" + id + "]. IDs must be unique");
            }
            JsonNode props = input.get("properties");
            if (props == null || !props.isObject()) {
                throw HubSpotError.validation("Invalid input JSON: inputs[].properties is required");
            }
            Map<String, String> values = new LinkedHashMap<>();
            props.fields().forEachRemaining(e -> values.put(e.getKey(),
                    e.getValue().isNull() ? "" : e.getValue().isValueNode() ? e.getValue().asText()
                            : e.getValue().toString()));
            parsed.add(new Input(id, values));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Input input : parsed) {
            Optional<Contact> found = resolve(idProperty, input.id());
            if (found.isEmpty()) {
                missing.add(input.id());
                continue;
            }
            Contact c = found.get();
            Map<String, String> canonical = new LinkedHashMap<>();
            List<Map<String, Object>> inputErrors = new ArrayList<>();
            for (Map.Entry<String, String> e : input.values().entrySet()) {
                String name = e.getKey();
                PropertyDef def = properties.get(name);
                if (def == null) {
                    inputErrors.add(propertyError(c, name, "PROPERTY_DOESNT_EXIST",
                            "Property \"" + name + "\" does not exist"));
                    continue;
                }
                if (def.readOnly()) {
                    inputErrors.add(propertyError(c, name, "READ_ONLY_VALUE",
                            "\"" + name + "\" is a read only property; its value cannot be set."));
                    continue;
                }
                if (e.getValue().isEmpty()) {
                    canonical.put(name, "");
                    continue;
                }
                PropertyDef.Result r = def.canonical(e.getValue());
                if (r.invalid() != null) {
                    inputErrors.add(propertyError(c, name, r.invalid().code(), r.invalid().message()));
                } else {
                    canonical.put(name, r.value());
                }
            }
            String email = canonical.get("email");
            if (email != null && !email.isEmpty()) {
                Long holder = idsByEmail.get(email.toLowerCase(Locale.ROOT));
                if (holder != null && holder != c.id) {
                    Map<String, Object> conflict = new LinkedHashMap<>();
                    conflict.put("status", "error");
                    conflict.put("category", "CONFLICT");
                    conflict.put("message", "A contact with email \"" + email + "\" already exists. Existing ID: "
                            + holder);
                    conflict.put("context", Map.of("ids", List.of(Long.toString(c.id))));
                    inputErrors.add(conflict);
                }
            }
            if (!inputErrors.isEmpty()) {
                errors.addAll(inputErrors);
                continue;
            }
            apply(c, canonical, now);
            List<String> echoed = new ArrayList<>(canonical.keySet());
            echoed.addAll(List.of(CREATED, ID, MODIFIED));
            results.add(toJson(c, echoed));
        }
        if (!missing.isEmpty()) {
            errors.add(0, notFound(missing));
        }
        return batchReply(results, errors, now);
    }

    private Map<String, Object> propertyError(Contact c, String name, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", "error");
        error.put("category", "VALIDATION_ERROR");
        error.put("subCategory", code);
        error.put("message", message);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("propertyName", List.of(name));
        context.put("ids", List.of(Long.toString(c.id)));
        error.put("context", context);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("message", message);
        detail.put("code", code);
        detail.put("in", name);
        error.put("errors", List.of(detail));
        return error;
    }

    private static Map<String, Object> notFound(Set<String> ids) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", "error");
        error.put("category", "OBJECT_NOT_FOUND");
        error.put("message", NOT_FOUND_MESSAGE);
        error.put("context", Map.of("ids", List.copyOf(ids)));
        return error;
    }

    private static Reply batchReply(List<Map<String, Object>> results, List<Map<String, Object>> errors,
            Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "COMPLETE");
        body.put("results", results);
        if (!errors.isEmpty()) {
            body.put("numErrors", errors.size());
            body.put("errors", errors);
        }
        String stamp = HubSpotJson.formatInstant(now);
        body.put("startedAt", stamp);
        body.put("completedAt", stamp);
        return new Reply(errors.isEmpty() ? 200 : 207, body);
    }

    private Optional<Contact> resolve(String idProperty, String id) {
        if (idProperty.equals("email")) {
            return Optional.ofNullable(idsByEmail.get(id.toLowerCase(Locale.ROOT))).map(contacts::get);
        }
        return parseId(id).map(contacts::get);
    }

    private static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String idProperty(JsonNode body) {
        JsonNode node = body.get("idProperty");
        if (node == null || node.isNull()) {
            return ID;
        }
        String name = node.asText();
        if (!name.equals("email") && !name.equals(ID)) {
            throw HubSpotError.validation(name + " is not a unique identifier property");
        }
        return name;
    }

    private static List<JsonNode> inputs(JsonNode body, int maxBatch) {
        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw HubSpotError.validation("Invalid input JSON: inputs is required");
        }
        if (inputs.size() > maxBatch) {
            throw HubSpotError.validation("Batch input limit exceeded: " + inputs.size() + " inputs, the maximum is "
                    + maxBatch);
        }
        List<JsonNode> out = new ArrayList<>();
        inputs.forEach(out::add);
        return out;
    }

    static List<String> stringList(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw HubSpotError.validation("Invalid input JSON: " + field + " must be an array of strings");
        }
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw HubSpotError.validation("Invalid input JSON: " + where + " is required");
        }
        return v.asText();
    }

    /** The requested properties that exist (unknown names are ignored), plus the three always sent. */
    Map<String, Object> toJson(Contact c, List<String> requested) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String name : requested) {
            if (properties.containsKey(name)) {
                props.put(name, c.value(name));
            }
        }
        props.putIfAbsent(CREATED, c.value(CREATED));
        props.putIfAbsent(ID, c.value(ID));
        props.putIfAbsent(MODIFIED, c.value(MODIFIED));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", Long.toString(c.id));
        out.put("properties", props);
        out.put("createdAt", c.value(CREATED));
        out.put("updatedAt", c.value(MODIFIED));
        out.put("archived", false);
        return out;
    }

    // ---------------------------------------------------------------- search

    synchronized Reply search(JsonNode body) {
        ContactSearch query = ContactSearch.parse(body, properties, searchCap);
        return new Reply(200, query.run(contacts.values(), this));
    }

    // ---------------------------------------------------------------- properties API

    synchronized Reply listProperties() {
        return new Reply(200, Map.of("results", properties.values().stream().map(PropertyDef::toJson).toList()));
    }

    synchronized Reply getProperty(String name) {
        PropertyDef def = properties.get(name);
        if (def == null) {
            throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to find property " + name + " for object type "
                    + "contact");
        }
        return new Reply(200, def.toJson());
    }

    synchronized boolean hasProperty(String name) {
        return properties.containsKey(name);
    }

    synchronized Reply createProperty(JsonNode body, Instant now) {
        String name = requiredText(body, "name", "name");
        String label = requiredText(body, "label", "label");
        String type = requiredText(body, "type", "type");
        String fieldType = requiredText(body, "fieldType", "fieldType");
        String groupName = requiredText(body, "groupName", "groupName");
        if (!NAME.matcher(name).matches()) {
            throw HubSpotError.validation("Property name " + name + " must start with a lowercase letter and contain "
                    + "only lowercase letters, digits and underscores");
        }
        if (!PropertyDef.TYPES.contains(type)) {
            throw HubSpotError.validation("Unknown property type " + type + "; one of " + PropertyDef.TYPES);
        }
        if (!PropertyDef.FIELD_TYPES.get(type).contains(fieldType)) {
            throw HubSpotError.validation("Field type " + fieldType + " is not valid for type " + type);
        }
        if (!groups.containsKey(groupName)) {
            throw HubSpotError.validation("Property group " + groupName + " does not exist");
        }
        if (properties.containsKey(name)) {
            throw new HubSpotError(409, "OBJECT_ALREADY_EXISTS", "Property named '" + name + "' already exists.");
        }
        List<Option> options = new ArrayList<>();
        JsonNode opts = body.get("options");
        if (opts != null && opts.isArray()) {
            int i = 0;
            for (JsonNode o : opts) {
                String value = requiredText(o, "value", "options[].value");
                String optionLabel = o.hasNonNull("label") ? o.get("label").asText() : value;
                int order = o.hasNonNull("displayOrder") ? o.get("displayOrder").asInt() : i;
                options.add(new Option(optionLabel, value, order, o.path("hidden").asBoolean(false)));
                i++;
            }
        }
        if (type.equals("bool") && options.isEmpty()) {
            options = List.of(new Option("True", "true", 0, false), new Option("False", "false", 1, false));
        }
        if (type.equals("enumeration") && options.isEmpty()) {
            throw HubSpotError.validation("Enumeration property " + name + " needs at least one option");
        }
        PropertyDef def = new PropertyDef(name, label, type, fieldType, groupName, body.path("description").asText(""),
                options, false, false, body.path("hasUniqueValue").asBoolean(false),
                body.path("displayOrder").asInt(-1), now, false);
        properties.put(name, def);
        return new Reply(201, def.toJson());
    }

    synchronized Reply listGroups() {
        return new Reply(200, Map.of("results", List.copyOf(groups.values())));
    }

    synchronized Reply getGroup(String name) {
        Map<String, Object> g = groups.get(name);
        if (g == null) {
            throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to find property group " + name);
        }
        return new Reply(200, g);
    }

    synchronized Reply createGroup(JsonNode body) {
        String name = requiredText(body, "name", "name");
        String label = requiredText(body, "label", "label");
        if (!NAME.matcher(name).matches()) {
            throw HubSpotError.validation("Property group name " + name + " must start with a lowercase letter and "
                    + "contain only lowercase letters, digits and underscores");
        }
        if (groups.containsKey(name)) {
            throw new HubSpotError(409, "OBJECT_ALREADY_EXISTS", "Property group named '" + name
                    + "' already exists.");
        }
        group(name, label, body.path("displayOrder").asInt(-1));
        return new Reply(201, groups.get(name));
    }
}
