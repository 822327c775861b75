package dev.handoff.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.transport.HttpRequest;
import dev.handoff.transport.HttpResponse;
import dev.handoff.transport.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HubSpot CRM v3 at the wire level for contacts: search, batch read, batch update, and the
 * properties API {@code handoff setup hubspot} uses. Authenticates with a private app token
 * ({@code Authorization: Bearer}); stays under the general and the search rate limits on its own
 * side. Failed calls surface as {@link ConnectorException} classified by
 * {@link HubSpotErrorClassifier}; the caller decides when to retry. Neither the token nor request
 * or response bodies (they carry personal data) ever appear in a message.
 */
public final class HubSpotClient {

    public static final String SYSTEM = "hubspot";
    private static final String CONTACTS = "/crm/v3/objects/contacts";
    private static final String PROPERTIES = "/crm/v3/properties/contacts";
    private static final int MAX_RETRY_AFTER_WAITS = 2;
    private static final int MAX_MESSAGE = 300;

    private final HubSpotConfig config;
    private final HttpTransport transport;
    private final Clock clock;
    private final dev.handoff.transport.ApiThrottle general;
    private final dev.handoff.transport.ApiThrottle search;
    private final Sleeper sleeper;
    private final dev.handoff.transport.SystemCircuit circuit;
    private final ObjectMapper json = new ObjectMapper();

    /** Waits out a {@code Retry-After}; tests pass one that only records. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** A contact as HubSpot returned it: its id and the properties asked for (JSON null ones left out). */
    public record Contact(String id, Map<String, String> properties) {
        public Contact {
            properties = Map.copyOf(properties);
        }
    }

    /** {@code operator} one of EQ, NEQ, GT, GTE, LT, LTE, HAS_PROPERTY, NOT_HAS_PROPERTY. */
    public record Filter(String propertyName, String operator, String value) {
    }

    /** Filters in a group are ANDed, groups are ORed; sorts are ascending by each property in turn. */
    public record SearchRequest(List<List<Filter>> filterGroups, List<String> ascendingSorts, List<String> properties,
            int limit, String after) {
    }

    /** One page; {@code nextAfter} is null on the last page of the query. */
    public record SearchPage(List<Contact> results, String nextAfter, long total) {
    }

    public record Update(String id, Map<String, String> properties) {
    }

    /** One input's outcome, in input order; {@code code} is HubSpot's category when it failed. */
    public record UpdateResult(String id, boolean ok, String code, String message, ErrorClass errorClass) {
    }

    /** A contact property definition as read or to be created; {@code options} only for enumerations. */
    public record Property(String name, String label, String type, String fieldType, String groupName,
            List<String> options) {
        public Property {
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    public HubSpotClient(HubSpotConfig config, HttpTransport transport, Clock clock) {
        this(config, transport, clock, dev.handoff.transport.SystemCircuit.alwaysClosed(SYSTEM));
    }

    /** A client whose calls go through {@code circuit}, which fails them fast while HubSpot is down. */
    public HubSpotClient(HubSpotConfig config, HttpTransport transport, Clock clock, dev.handoff.transport.SystemCircuit circuit) {
        this(config, transport, clock,
                new dev.handoff.transport.ApiThrottle(SYSTEM, "general", config.rateLimitCalls(), config.rateLimitWindow(), 0,
                        config.timeout()),
                new dev.handoff.transport.ApiThrottle(SYSTEM, "search", config.searchPerSecond(), Duration.ofSeconds(1), 0,
                        config.timeout()),
                d -> Thread.sleep(d.toMillis()), circuit);
    }

    HubSpotClient(HubSpotConfig config, HttpTransport transport, Clock clock, dev.handoff.transport.ApiThrottle general,
            dev.handoff.transport.ApiThrottle search, Sleeper sleeper) {
        this(config, transport, clock, general, search, sleeper, dev.handoff.transport.SystemCircuit.alwaysClosed(SYSTEM));
    }

    HubSpotClient(HubSpotConfig config, HttpTransport transport, Clock clock, dev.handoff.transport.ApiThrottle general,
            dev.handoff.transport.ApiThrottle search, Sleeper sleeper, dev.handoff.transport.SystemCircuit circuit) {
        this.circuit = circuit;
        this.config = config;
        this.transport = transport;
        this.clock = clock;
        this.general = general;
        this.search = search;
        this.sleeper = sleeper;
    }

    // ---- contacts ---------------------------------------------------------------------------

    public SearchPage searchContacts(SearchRequest request) {
        if (request.limit() < 1 || request.limit() > HubSpotConfig.MAX_BATCH) {
            throw new IllegalArgumentException("search limit must be 1.." + HubSpotConfig.MAX_BATCH + ", got " + request.limit());
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode groups = body.putArray("filterGroups");
        for (List<Filter> group : request.filterGroups()) {
            ArrayNode filters = groups.addObject().putArray("filters");
            for (Filter f : group) {
                ObjectNode filter = filters.addObject();
                filter.put("propertyName", f.propertyName());
                filter.put("operator", f.operator());
                if (f.value() != null) {
                    filter.put("value", f.value());
                }
            }
        }
        ArrayNode sorts = body.putArray("sorts");
        request.ascendingSorts().forEach(p -> sorts.addObject().put("propertyName", p).put("direction", "ASCENDING"));
        ArrayNode properties = body.putArray("properties");
        request.properties().forEach(properties::add);
        body.put("limit", request.limit());
        if (request.after() != null) {
            body.put("after", request.after());
        }
        JsonNode answer = postJson(CONTACTS + "/search", body, true);
        List<Contact> results = new ArrayList<>();
        answer.path("results").forEach(r -> results.add(contact(r)));
        JsonNode after = answer.path("paging").path("next").path("after");
        return new SearchPage(results, after.isMissingNode() || after.isNull() ? null : after.asText(),
                answer.path("total").asLong(results.size()));
    }

    /** Up to {@code read-batch-size} contacts by id in one call; ids HubSpot does not have are simply absent. */
    public List<Contact> readContacts(Collection<String> ids, Collection<String> properties) {
        if (ids.size() > config.readBatchSize()) {
            throw new IllegalArgumentException("at most " + config.readBatchSize() + " ids per call, got " + ids.size());
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode props = body.putArray("properties");
        properties.forEach(props::add);
        ArrayNode inputs = body.putArray("inputs");
        ids.forEach(id -> inputs.addObject().put("id", id));
        JsonNode answer = postJson(CONTACTS + "/batch/read", body, false);
        for (JsonNode error : answer.path("errors")) {
            String category = error.path("category").asText(null);
            if (!"OBJECT_NOT_FOUND".equals(category)) {
                throw new ConnectorException(SYSTEM, category == null ? "BATCH_ERROR" : category,
                        HubSpotErrorClassifier.classifyCategory(category) == ErrorClass.TRANSIENT ? ErrorClass.TRANSIENT
                                : ErrorClass.FATAL, "batch read refused: " + brief(error.path("message").asText("")), null);
            }
        }
        List<Contact> out = new ArrayList<>();
        answer.path("results").forEach(r -> out.add(contact(r)));
        return out;
    }

    /**
     * Updates existing contacts only (HubSpot's batch update never creates one). One result per
     * input, in input order: a 207 names the inputs that failed by id ({@code context.ids}); an error
     * naming no id (an unknown property) applies to every input that has no result.
     */
    public List<UpdateResult> updateContacts(List<Update> updates) {
        if (updates.size() > config.writeBatchSize()) {
            throw new IllegalArgumentException("at most " + config.writeBatchSize() + " contacts per call, got " + updates.size());
        }
        if (updates.isEmpty()) {
            return List.of();
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        for (Update u : updates) {
            ObjectNode in = inputs.addObject();
            in.put("id", u.id());
            ObjectNode props = in.putObject("properties");
            u.properties().forEach(props::put);
        }
        JsonNode answer = postJson(CONTACTS + "/batch/update", body, false);
        Set<String> written = new HashSet<>();
        answer.path("results").forEach(r -> written.add(r.path("id").asText()));
        Map<String, JsonNode> errorById = new HashMap<>();
        JsonNode general = null;
        for (JsonNode error : answer.path("errors")) {
            JsonNode ids = error.path("context").path("ids");
            if (ids.isArray() && !ids.isEmpty()) {
                ids.forEach(id -> errorById.putIfAbsent(id.asText(), error));
            } else if (general == null) {
                general = error;
            }
        }
        List<UpdateResult> out = new ArrayList<>(updates.size());
        for (Update u : updates) {
            JsonNode error = errorById.get(u.id());
            if (error == null && written.contains(u.id())) {
                out.add(new UpdateResult(u.id(), true, null, null, null));
                continue;
            }
            if (error == null) {
                error = general;
            }
            if (error == null) {
                out.add(new UpdateResult(u.id(), false, "NO_RESULT", "HubSpot returned neither a result nor an error for it",
                        ErrorClass.TRANSIENT));
                continue;
            }
            String category = error.path("category").asText("BATCH_ERROR");
            String message = brief(error.path("message").asText(""));
            String property = error.path("context").path("propertyName").path(0).asText(null);
            if (property == null) {
                property = error.path("context").path("propertyName").asText(null);
            }
            if (property != null && !message.contains(property)) {
                message = message + " (property " + property + ")";
            }
            out.add(new UpdateResult(u.id(), false, category, message, HubSpotErrorClassifier.classifyCategory(category)));
        }
        return out;
    }

    // ---- properties -------------------------------------------------------------------------

    public List<Property> listContactProperties() {
        List<Property> out = new ArrayList<>();
        getJson(PROPERTIES).path("results").forEach(p -> out.add(property(p)));
        return out;
    }

    public Optional<Property> contactProperty(String name) {
        HttpResponse response = get(PROPERTIES + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8), Set.of(404));
        return response.status() == 404 ? Optional.empty() : Optional.of(property(parse(response)));
    }

    /** @return true when created, false when HubSpot already had a property of that name (409) */
    public boolean createContactProperty(Property p, String description) {
        ObjectNode body = json.createObjectNode();
        body.put("name", p.name());
        body.put("label", p.label());
        body.put("type", p.type());
        body.put("fieldType", p.fieldType());
        body.put("groupName", p.groupName());
        if (description != null) {
            body.put("description", description);
        }
        if (!p.options().isEmpty()) {
            ArrayNode options = body.putArray("options");
            for (int i = 0; i < p.options().size(); i++) {
                String v = p.options().get(i);
                options.addObject().put("label", Character.toUpperCase(v.charAt(0)) + v.substring(1)).put("value", v)
                        .put("displayOrder", i).put("hidden", false);
            }
        }
        return post(PROPERTIES, body, false, Set.of(409)).status() != 409;
    }

    /** @return true when created, false when the group already existed (409) */
    public boolean createContactPropertyGroup(String name, String label) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        body.put("label", label);
        body.put("displayOrder", -1);
        return post(PROPERTIES + "/groups", body, false, Set.of(409)).status() != 409;
    }

    // ---- the call ---------------------------------------------------------------------------

    /** A JSON answer; an unreadable one fails inside the circuit, as the system's own failure. */
    private JsonNode getJson(String path) {
        HttpRequest request = HttpRequest.get(uri(path), headers());
        return circuit.call(() -> parse(callWithinLimits(request, false, Set.of())));
    }

    private JsonNode postJson(String path, JsonNode body, boolean isSearch) {
        HttpRequest request = HttpRequest.post(uri(path), headers(), "application/json", body.toString());
        return circuit.call(() -> parse(callWithinLimits(request, isSearch, Set.of())));
    }

    private HttpResponse get(String path, Set<Integer> expected) {
        HttpRequest request = HttpRequest.get(uri(path), headers());
        return call(request, false, expected);
    }

    private HttpResponse post(String path, JsonNode body, boolean isSearch, Set<Integer> expected) {
        HttpRequest request = HttpRequest.post(uri(path), headers(), "application/json", body.toString());
        return call(request, isSearch, expected);
    }

    /**
     * Sends within the limits. A 429 that says when to come back ({@code Retry-After}) is waited out
     * in place, a couple of times and never longer than the call timeout; one that does not is
     * transient, and the route comes back at its next cycle.
     */
    private HttpResponse call(HttpRequest request, boolean isSearch, Set<Integer> expected) {
        return circuit.call(() -> callWithinLimits(request, isSearch, expected));
    }

    private HttpResponse callWithinLimits(HttpRequest request, boolean isSearch, Set<Integer> expected) {
        Duration waited = Duration.ZERO;
        for (int attempt = 0; ; attempt++) {
            HttpResponse response = isSearch
                    ? search.call(() -> general.call(() -> send(request)))
                    : general.call(() -> send(request));
            int status = response.status();
            if ((status >= 200 && status < 300) || expected.contains(status)) {
                return response;
            }
            if (status == 429) {
                Optional<Duration> retryAfter = retryAfter(response);
                if (retryAfter.isPresent() && attempt < MAX_RETRY_AFTER_WAITS
                        && waited.plus(retryAfter.get()).compareTo(config.timeout()) <= 0) {
                    waited = waited.plus(retryAfter.get());
                    pause(retryAfter.get(), request);
                    continue;
                }
            }
            throw failure(request, response);
        }
    }

    private ConnectorException failure(HttpRequest request, HttpResponse response) {
        int status = response.status();
        StringBuilder message = new StringBuilder("HTTP ").append(status);
        try {
            JsonNode body = json.readTree(response.body());
            if (body != null && body.isObject()) {
                appendField(message, body, "category");
                appendField(message, body, "policyName");
                if (body.hasNonNull("message")) {
                    message.append(": ").append(brief(body.get("message").asText()));
                }
                appendField(message, body, "correlationId");
            }
        } catch (IOException e) {
            // The status says enough; an HTML error page from a proxy is not worth quoting.
        }
        message.append(" (").append(request).append(')');
        return new ConnectorException(SYSTEM, "HTTP_" + status, HubSpotErrorClassifier.classifyStatus(status), message.toString(), null);
    }

    private static void appendField(StringBuilder message, JsonNode body, String field) {
        if (body.hasNonNull(field)) {
            message.append(' ').append(field).append('=').append(body.get(field).asText());
        }
    }

    private Optional<Duration> retryAfter(HttpResponse response) {
        Optional<String> header = response.header("Retry-After");
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.empty();
        }
        String v = header.get().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }

    private void pause(Duration d, HttpRequest request) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(SYSTEM, "HTTP_429", ErrorClass.TRANSIENT,
                    "interrupted while waiting out Retry-After (" + request + ")", e);
        }
    }

    private HttpResponse send(HttpRequest request) {
        try {
            return transport.send(request);
        } catch (IOException e) {
            throw new ConnectorException(SYSTEM, "IO", ErrorClass.TRANSIENT, e.getMessage() + " (" + request + ")", e);
        }
    }

    private JsonNode parse(HttpResponse response) {
        try {
            JsonNode body = json.readTree(response.body());
            if (body == null || !body.isObject()) {
                throw new IOException("not a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new ConnectorException(SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT,
                    "unreadable response body (HTTP " + response.status() + ", " + e.getClass().getSimpleName() + ")", e);
        }
    }

    private Map<String, String> headers() {
        return Map.of("Authorization", "Bearer " + config.token().reveal(), "Accept", "application/json");
    }

    private URI uri(String path) {
        return URI.create(config.baseUrl().toString() + path);
    }

    private static Contact contact(JsonNode r) {
        Map<String, String> props = new LinkedHashMap<>();
        r.path("properties").fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                props.put(e.getKey(), e.getValue().asText());
            }
        });
        String id = r.path("id").asText(props.getOrDefault("hs_object_id", ""));
        return new Contact(id, props);
    }

    private static Property property(JsonNode p) {
        List<String> options = new ArrayList<>();
        p.path("options").forEach(o -> options.add(o.path("value").asText()));
        return new Property(p.path("name").asText(), p.path("label").asText(null), p.path("type").asText(null),
                p.path("fieldType").asText(null), p.path("groupName").asText(null), options);
    }

    private static String brief(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }
}
