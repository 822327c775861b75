package dev.handoff.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.handoff.engine.Activity;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a webhook body into what the ledger stores, or into a list of field-level errors
 * ({@code fields.email: must be a string}, {@code activities[2].at: not an ISO-8601 instant}) that
 * the caller can act on. Errors name paths, never values, so they are safe to log.
 *
 * <p>Generic lead: {@code {"id": "…", "fields": {"email": "…", <normalized name>: string|number|null, …},
 * "activities": [{"id": "…", "type": "webinar_attended", "at": "2026-11-02T09:00:00Z"}]}}; unknown keys
 * are errors. HubSpot: a JSON array of subscription events, of which the contact ones name the
 * touched contact ids.
 */
public final class WebhookLeadParser {

    /** A lead as a MAP pushed it: normalized fields (numbers as decimal strings) and its activities. */
    public record PushedLead(String id, Map<String, String> fields, List<Activity> activities) {
        public PushedLead {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            activities = List.copyOf(activities);
        }

        @Override
        public String toString() {
            return "PushedLead[" + id + ", " + fields.size() + " fields, " + activities.size() + " activities]";
        }
    }

    /** The body is not a valid delivery; {@link #errors()} names each problem by its path. */
    public static final class MalformedPayloadException extends RuntimeException {
        private final List<String> errors;

        public MalformedPayloadException(List<String> errors) {
            super(errors.size() + " error(s): " + String.join("; ", errors));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }

    static final int MAX_ID = 64;
    static final int MAX_FIELDS = 100;
    static final int MAX_VALUE = 2000;
    static final int MAX_EMAIL = 320;
    static final int MAX_SNAPSHOT_CHARS = 16_000;
    static final int MAX_ACTIVITIES = 1000;
    static final int MAX_EVENTS = 1000;
    static final int MAX_ERRORS = 50;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_ID + "}");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Set<String> LEAD_KEYS = Set.of("id", "fields", "activities");
    private static final Set<String> ACTIVITY_KEYS = Set.of("id", "type", "at");

    private final ObjectMapper json = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** Parses a generic lead delivery. */
    public PushedLead parseLead(byte[] body) {
        JsonNode root = tree(body);
        List<String> errors = new ArrayList<>();
        if (!root.isObject()) {
            throw new MalformedPayloadException(List.of("body: must be a JSON object"));
        }
        unknownKeys(root, LEAD_KEYS, "", errors);
        String id = id(root.get("id"), "id", errors);
        Map<String, String> fields = fields(root.get("fields"), errors);
        List<Activity> activities = activities(root.get("activities"), id, errors);
        if (!errors.isEmpty()) {
            throw new MalformedPayloadException(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
        }
        return new PushedLead(id, fields, activities);
    }

    /** The distinct contact ids a HubSpot delivery touches, in order; events about other objects are skipped. */
    public List<String> parseHubSpotEvents(byte[] body) {
        JsonNode root = tree(body);
        if (!root.isArray()) {
            throw new MalformedPayloadException(List.of("body: must be a JSON array of events"));
        }
        if (root.size() > MAX_EVENTS) {
            throw new MalformedPayloadException(List.of("body: " + root.size() + " events; at most " + MAX_EVENTS));
        }
        List<String> errors = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode event = root.get(i);
            String path = "[" + i + "]";
            if (!event.isObject()) {
                errors.add(path + ": must be an object");
                continue;
            }
            JsonNode type = event.get("subscriptionType");
            JsonNode objectId = event.get("objectId");
            if (type == null || !type.isTextual()) {
                errors.add(path + ".subscriptionType: must be a string");
                continue;
            }
            if (objectId == null || !objectId.isIntegralNumber() || objectId.bigIntegerValue().signum() <= 0) {
                errors.add(path + ".objectId: must be a positive whole number");
                continue;
            }
            JsonNode objectTypeId = event.get("objectTypeId");
            boolean contact = type.asText().startsWith("contact.") || (type.asText().startsWith("object.")
                    && objectTypeId != null && "0-1".equals(objectTypeId.asText()));
            if (contact) {
                ids.add(objectId.bigIntegerValue().toString());
            }
        }
        if (!errors.isEmpty()) {
            throw new MalformedPayloadException(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
        }
        return List.copyOf(ids);
    }

    private JsonNode tree(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedPayloadException(List.of("body: is empty"));
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new MalformedPayloadException(List.of("body: is empty"));
            }
            return root;
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending input; only its position is repeated here.
            var at = e.getLocation();
            throw new MalformedPayloadException(List.of("body: not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")));
        } catch (IOException e) {
            throw new MalformedPayloadException(List.of("body: cannot be read as JSON"));
        }
    }

    private static String id(JsonNode node, String path, List<String> errors) {
        if (node == null || node.isNull()) {
            errors.add(path + ": is required");
            return null;
        }
        if (!node.isTextual()) {
            errors.add(path + ": must be a string");
            return null;
        }
        if (!ID.matcher(node.asText()).matches()) {
            errors.add(path + ": must be 1-" + MAX_ID + " letters, digits or . _ : @ -");
            return null;
        }
        return node.asText();
    }

    private static Map<String, String> fields(JsonNode node, List<String> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            errors.add("fields: is required");
            return out;
        }
        if (!node.isObject()) {
            errors.add("fields: must be an object");
            return out;
        }
        if (node.size() > MAX_FIELDS) {
            errors.add("fields: " + node.size() + " fields; at most " + MAX_FIELDS);
            return out;
        }
        int chars = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!NAME.matcher(name).matches()) {
                errors.add("fields: a field name is not a normalized name (lower_snake_case, at most 64 characters)");
                continue;
            }
            String path = "fields." + name;
            String text;
            if (value.isNull()) {
                continue;
            } else if (value.isTextual()) {
                text = value.asText();
            } else if (value.isNumber() && !"email".equals(name)) {
                text = value.isIntegralNumber() ? value.bigIntegerValue().toString()
                        : value.decimalValue().stripTrailingZeros().toPlainString();
            } else {
                errors.add(path + ("email".equals(name) ? ": must be a string" : ": must be a string or a number"));
                continue;
            }
            int max = "email".equals(name) ? MAX_EMAIL : MAX_VALUE;
            if (text.length() > max) {
                errors.add(path + ": longer than " + max + " characters");
                continue;
            }
            chars += name.length() + text.length() + 6;
            out.put(name, text);
        }
        if (!node.has("email") || node.get("email").isNull()) {
            errors.add("fields.email: is required");
        }
        if (chars > MAX_SNAPSHOT_CHARS) {
            errors.add("fields: " + chars + " characters in all; at most " + MAX_SNAPSHOT_CHARS);
        }
        return out;
    }

    private static List<Activity> activities(JsonNode node, String leadId, List<String> errors) {
        List<Activity> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            errors.add("activities: must be an array");
            return out;
        }
        if (node.size() > MAX_ACTIVITIES) {
            errors.add("activities: " + node.size() + " items; at most " + MAX_ACTIVITIES);
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "activities[" + i + "]";
            JsonNode a = node.get(i);
            if (!a.isObject()) {
                errors.add(path + ": must be an object");
                continue;
            }
            int before = errors.size();
            unknownKeys(a, ACTIVITY_KEYS, path + ".", errors);
            String id = id(a.get("id"), path + ".id", errors);
            JsonNode type = a.get("type");
            if (type == null || type.isNull()) {
                errors.add(path + ".type: is required");
            } else if (!type.isTextual() || !NAME.matcher(type.asText()).matches()) {
                errors.add(path + ".type: must be an activity type name like webinar_attended");
            }
            Instant at = null;
            JsonNode when = a.get("at");
            if (when == null || when.isNull()) {
                errors.add(path + ".at: is required");
            } else if (!when.isTextual()) {
                errors.add(path + ".at: not an ISO-8601 instant");
            } else {
                try {
                    at = Instant.parse(when.asText());
                } catch (DateTimeParseException e) {
                    errors.add(path + ".at: not an ISO-8601 instant");
                }
            }
            if (errors.size() == before) {
                out.add(new Activity(id, leadId, type.asText(), at));
            }
        }
        return out;
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String prefix, List<String> errors) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!known.contains(key)) {
                errors.add(prefix + (NAME.matcher(key).matches() ? key : "<key>") + ": unknown key");
            }
        }
    }
}
