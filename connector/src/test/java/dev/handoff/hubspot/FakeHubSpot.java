package dev.handoff.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.transport.HttpRequest;
import dev.handoff.transport.HttpResponse;
import dev.handoff.transport.HttpTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory HubSpot behind {@link HttpTransport}: the contract's contact search (filter groups,
 * sorts, {@code after}, the 10,000-result cap), batch read/update with 207s, and the properties API.
 * Records every request; scripted responses, when queued, are answered first. No network.
 */
final class FakeHubSpot implements HttpTransport {

    static final String TOKEN = "pat-na1-secret-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as sent, with its JSON body parsed. */
    record Sent(String method, String path, Map<String, String> headers, JsonNode body) {
    }

    final List<Sent> sent = new ArrayList<>();
    final Map<String, Map<String, String>> contacts = new TreeMap<>(Comparator.comparingLong(Long::parseLong));
    final Map<String, ObjectNode> properties = new LinkedHashMap<>();
    final Set<String> groups = new LinkedHashSet<>();
    private final Deque<HttpResponse> scripted = new ArrayDeque<>();
    private final Deque<IOException> failures = new ArrayDeque<>();

    FakeHubSpot() {
        for (String p : List.of("email", "firstname", "lastname", "company", "jobtitle", "industry", "country", "annualrevenue",
                "numemployees", "hs_analytics_source", "lifecyclestage", "hs_lead_status", "lastmodifieddate", "hs_object_id")) {
            ObjectNode def = JSON.createObjectNode().put("name", p).put("label", p).put("type", "string")
                    .put("fieldType", "text").put("groupName", "contactinformation");
            properties.put(p, def);
        }
    }

    /** As if {@code handoff setup hubspot} had run with the default property names. */
    FakeHubSpot withFeedbackProperties() {
        groups.add("handoff");
        for (String p : List.of("handoff_sales_status", "handoff_reject_reason", "handoff_reject_comment", "handoff_accepted_at",
                "handoff_sales_owner", "handoff_outcome", "handoff_outcome_amount")) {
            properties.put(p, JSON.createObjectNode().put("name", p).put("label", p).put("type", "string")
                    .put("fieldType", "text").put("groupName", "handoff"));
        }
        return this;
    }

    FakeHubSpot contact(String id, Instant modified, String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        props.put("hs_object_id", id);
        props.put("lastmodifieddate", modified.toString());
        contacts.merge(id, props, (old, add) -> {
            old.putAll(add);
            return old;
        });
        return this;
    }

    FakeHubSpot script(int status, String body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        scripted.add(new HttpResponse(status, h, body.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    FakeHubSpot failWith(IOException e) {
        failures.add(e);
        return this;
    }

    List<Sent> sent(String pathSuffix) {
        return sent.stream().filter(s -> s.path().endsWith(pathSuffix)).toList();
    }

    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        JsonNode body = request.body() == null ? null : JSON.readTree(request.body());
        sent.add(new Sent(request.method(), request.uri().getPath(), request.headers(), body));
        if (!failures.isEmpty()) {
            throw failures.poll();
        }
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        if (!("Bearer " + TOKEN).equals(request.headers().get("Authorization"))) {
            return json(401, JSON.createObjectNode().put("status", "error").put("message", "Authentication credentials not found.")
                    .put("category", "INVALID_AUTHENTICATION").put("correlationId", "c-401"));
        }
        String path = request.uri().getPath();
        return switch (request.method() + " " + path) {
            case "POST /crm/v3/objects/contacts/search" -> search(body);
            case "POST /crm/v3/objects/contacts/batch/read" -> read(body);
            case "POST /crm/v3/objects/contacts/batch/update" -> update(body);
            case "GET /crm/v3/properties/contacts" -> listProperties();
            case "POST /crm/v3/properties/contacts" -> createProperty(body);
            case "POST /crm/v3/properties/contacts/groups" -> createGroup(body);
            default -> path.startsWith("/crm/v3/properties/contacts/") && request.method().equals("GET")
                    ? getProperty(path.substring(path.lastIndexOf('/') + 1))
                    : json(404, error("NOT_FOUND", "no such endpoint"));
        };
    }

    private HttpResponse search(JsonNode body) {
        int limit = body.path("limit").asInt(10);
        int after = body.path("after").asInt(0);
        if (limit > 100) {
            return json(400, error("VALIDATION_ERROR", "limit must be <= 100"));
        }
        if (after + limit > 10_000) {
            return json(400, error("VALIDATION_ERROR", "Search cannot page beyond 10000 results"));
        }
        List<Map<String, String>> matching = new ArrayList<>();
        for (Map<String, String> c : contacts.values()) {
            if (matches(body.path("filterGroups"), c)) {
                matching.add(c);
            }
        }
        Comparator<Map<String, String>> order = null;
        for (JsonNode sort : body.path("sorts")) {
            String p = sort.path("propertyName").asText();
            Comparator<Map<String, String>> by = Comparator.comparingLong(c -> numeric(p, c.get(p)));
            order = order == null ? by : order.thenComparing(by);
        }
        if (order != null) {
            matching.sort(order);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("total", matching.size());
        ArrayNode results = out.putArray("results");
        List<String> wanted = new ArrayList<>();
        body.path("properties").forEach(p -> wanted.add(p.asText()));
        for (Map<String, String> c : matching.subList(Math.min(after, matching.size()), Math.min(after + limit, matching.size()))) {
            results.add(record(c, wanted));
        }
        if (after + limit < matching.size()) {
            out.putObject("paging").putObject("next").put("after", String.valueOf(after + limit))
                    .put("link", "?after=" + (after + limit));
        }
        return json(200, out);
    }

    private static boolean matches(JsonNode groups, Map<String, String> c) {
        if (groups.isEmpty()) {
            return true;
        }
        for (JsonNode group : groups) {
            boolean all = true;
            for (JsonNode f : group.path("filters")) {
                String p = f.path("propertyName").asText();
                String v = c.get(p);
                long have = v == null ? Long.MIN_VALUE : numeric(p, v);
                long want = f.has("value") ? Long.parseLong(f.path("value").asText()) : 0;
                boolean ok = switch (f.path("operator").asText()) {
                    case "EQ" -> v != null && have == want;
                    case "GT" -> v != null && have > want;
                    case "GTE" -> v != null && have >= want;
                    case "LT" -> v != null && have < want;
                    case "LTE" -> v != null && have <= want;
                    case "HAS_PROPERTY" -> v != null;
                    default -> throw new IllegalArgumentException("fake does not know " + f);
                };
                all &= ok;
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static final Map<String, Long> MILLIS = new java.util.concurrent.ConcurrentHashMap<>();

    private static long numeric(String property, String value) {
        return property.equals("lastmodifieddate")
                ? MILLIS.computeIfAbsent(value, v -> Instant.parse(v).toEpochMilli()) : Long.parseLong(value);
    }

    private HttpResponse read(JsonNode body) {
        if (body.path("inputs").size() > 100) {
            return json(400, error("VALIDATION_ERROR", "too many inputs"));
        }
        List<String> wanted = new ArrayList<>();
        body.path("properties").forEach(p -> wanted.add(p.asText()));
        ObjectNode out = JSON.createObjectNode().put("status", "COMPLETE");
        ArrayNode results = out.putArray("results");
        List<String> missing = new ArrayList<>();
        for (JsonNode in : body.path("inputs")) {
            Map<String, String> c = contacts.get(in.path("id").asText());
            if (c == null) {
                missing.add(in.path("id").asText());
            } else {
                results.add(record(c, wanted));
            }
        }
        if (missing.isEmpty()) {
            return json(200, out);
        }
        ObjectNode e = out.putArray("errors").addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
                .put("message", "Could not get some CONTACT objects, they may be deleted or not exist.");
        missing.forEach(e.putObject("context").putArray("ids")::add);
        out.put("numErrors", 1);
        return json(207, out);
    }

    private HttpResponse update(JsonNode body) {
        if (body.path("inputs").size() > 100) {
            return json(400, error("VALIDATION_ERROR", "too many inputs"));
        }
        ObjectNode out = JSON.createObjectNode().put("status", "COMPLETE");
        ArrayNode results = out.putArray("results");
        ArrayNode errors = JSON.createArrayNode();
        List<String> missing = new ArrayList<>();
        for (JsonNode in : body.path("inputs")) {
            String id = in.path("id").asText();
            Map<String, String> c = contacts.get(id);
            String unknown = null;
            for (var it = in.path("properties").fieldNames(); it.hasNext(); ) {
                String p = it.next();
                if (!properties.containsKey(p)) {
                    unknown = p;
                }
            }
            if (unknown != null) {
                ObjectNode e = errors.addObject().put("status", "error").put("category", "PROPERTY_DOESNT_EXIST")
                        .put("message", "Property \"" + unknown + "\" does not exist");
                e.putObject("context").putArray("propertyName").add(unknown);
            } else if (c == null) {
                missing.add(id);
            } else {
                in.path("properties").fields().forEachRemaining(p -> c.put(p.getKey(), p.getValue().asText()));
                results.add(record(c, List.of()));
            }
        }
        if (!missing.isEmpty()) {
            ObjectNode e = errors.addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
                    .put("message", "Could not get some CONTACT objects, they may be deleted or not exist.");
            missing.forEach(e.putObject("context").putArray("ids")::add);
        }
        if (errors.isEmpty()) {
            return json(200, out);
        }
        out.set("errors", errors);
        out.put("numErrors", errors.size());
        return json(207, out);
    }

    private HttpResponse listProperties() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        properties.values().forEach(results::add);
        return json(200, out);
    }

    private HttpResponse getProperty(String name) {
        ObjectNode p = properties.get(name);
        return p == null ? json(404, error("OBJECT_NOT_FOUND", "property " + name + " does not exist")) : json(200, p);
    }

    private HttpResponse createProperty(JsonNode body) {
        String name = body.path("name").asText();
        if (properties.containsKey(name)) {
            return json(409, error("OBJECT_ALREADY_EXISTS", "property " + name + " already exists"));
        }
        if (!groups.contains(body.path("groupName").asText())) {
            return json(400, error("VALIDATION_ERROR", "no group " + body.path("groupName").asText()));
        }
        properties.put(name, (ObjectNode) body.deepCopy());
        return json(201, body);
    }

    private HttpResponse createGroup(JsonNode body) {
        String name = body.path("name").asText();
        return groups.add(name) ? json(201, body) : json(409, error("OBJECT_ALREADY_EXISTS", "group " + name + " exists"));
    }

    private static ObjectNode record(Map<String, String> c, List<String> wanted) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", c.get("hs_object_id"));
        ObjectNode props = r.putObject("properties");
        for (String p : wanted) {
            if (c.containsKey(p)) {
                props.put(p, c.get(p));
            } else {
                props.putNull(p);
            }
        }
        props.put("hs_object_id", c.get("hs_object_id"));
        r.put("archived", false);
        return r;
    }

    private static ObjectNode error(String category, String message) {
        return JSON.createObjectNode().put("status", "error").put("message", message).put("category", category)
                .put("correlationId", "c-1");
    }

    private static HttpResponse json(int status, JsonNode body) {
        return new HttpResponse(status, Map.of("Content-Type", "application/json"), body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
