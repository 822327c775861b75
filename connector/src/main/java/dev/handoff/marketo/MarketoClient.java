package dev.handoff.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Marketo REST at the wire level: the client-credentials token (cached until shortly before it
 * expires, renewed once on 601/602), the envelope ({@code success:false} with HTTP 200 is an
 * error), and the handful of endpoints the connector needs. Transient failures surface as
 * {@link ConnectorException} with {@link ErrorClass#TRANSIENT}; the caller decides when to retry.
 */
public final class MarketoClient {

    public static final String SYSTEM = "marketo";
    private static final Duration TOKEN_MARGIN = Duration.ofSeconds(60);

    private final MarketoConfig config;
    private final HttpTransport transport;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Object tokenLock = new Object();
    private final dev.handoff.transport.ApiThrottle throttle;
    private final dev.handoff.transport.SystemCircuit circuit;
    private volatile Token token;

    private record Token(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[******, expires " + expiresAt + "]";
        }
    }

    /** One page of the activity feed; {@code nextPageToken} is where to resume. */
    public record ActivityPage(List<JsonNode> activities, String nextPageToken, boolean moreResult) {
    }

    /** Per-record result of a sync, in input order. */
    public record SyncResult(Long id, String status, String reasonCode, String reasonMessage) {
        public boolean ok() {
            return "updated".equals(status) || "created".equals(status);
        }
    }

    /** Per-lead result of a static list change, in input order: {@code added}, or {@code skipped} with a reason. */
    public record ListResult(long id, String status, String reasonCode, String reasonMessage) {
        public boolean ok() {
            return "added".equals(status);
        }
    }

    /** Ids per static list call (add, remove, is member). */
    public static final int LIST_BATCH = 300;
    /** Leads per Request Campaign call. */
    public static final int CAMPAIGN_BATCH = 100;

    public MarketoClient(MarketoConfig config, HttpTransport transport, Clock clock) {
        this(config, transport, clock, dev.handoff.transport.SystemCircuit.alwaysClosed(SYSTEM));
    }

    /** A client whose calls go through {@code circuit}, which fails them fast while Marketo is down. */
    public MarketoClient(MarketoConfig config, HttpTransport transport, Clock clock, dev.handoff.transport.SystemCircuit circuit) {
        this.config = config;
        this.transport = transport;
        this.clock = clock;
        this.circuit = circuit;
        this.throttle = new dev.handoff.transport.ApiThrottle(SYSTEM, "rate", config.rateLimitCalls(), config.rateLimitWindow(),
                config.maxConcurrent(), config.timeout());
    }

    /** Obtains an access token unless a valid one is cached (at most one identity call per token lifetime). */
    public void ensureToken() {
        currentToken();
    }

    public String pagingToken(Instant since) {
        JsonNode body = get("/rest/v1/activities/pagingtoken.json", Map.of("sinceDatetime", since.toString()));
        return requiredText(body, "nextPageToken");
    }

    public ActivityPage activities(String pageToken, Collection<Integer> typeIds) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("nextPageToken", pageToken);
        q.put("activityTypeIds", typeIds.stream().map(String::valueOf).collect(Collectors.joining(",")));
        q.put("batchSize", String.valueOf(config.readBatchSize()));
        JsonNode body = get("/rest/v1/activities.json", q);
        List<JsonNode> items = new ArrayList<>();
        result(body, "/rest/v1/activities.json").forEach(items::add);
        return new ActivityPage(items, requiredText(body, "nextPageToken"), body.path("moreResult").asBoolean(false));
    }

    /**
     * Asset API, Get Programs: up to {@code maxReturn} (at most 200) programs from {@code offset};
     * empty past the last one (Marketo then answers with a warning and no result).
     */
    public List<JsonNode> programs(int offset, int maxReturn) {
        List<JsonNode> out = new ArrayList<>();
        result(get("/rest/asset/v1/programs.json", Map.of("offset", String.valueOf(offset), "maxReturn",
                String.valueOf(maxReturn))), "/rest/asset/v1/programs.json").forEach(out::add);
        return out;
    }

    /** Up to {@code readBatchSize} leads by id in one call; leads Marketo no longer has are simply absent. */
    public List<JsonNode> leadsById(Collection<String> ids, Collection<String> fields) {
        if (ids.size() > config.readBatchSize()) {
            throw new IllegalArgumentException("at most " + config.readBatchSize() + " ids per call, got " + ids.size());
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("filterType", "id");
        q.put("filterValues", String.join(",", ids));
        q.put("fields", String.join(",", fields));
        q.put("batchSize", String.valueOf(config.readBatchSize()));
        List<JsonNode> out = new ArrayList<>();
        result(get("/rest/v1/leads.json", q), "/rest/v1/leads.json").forEach(out::add);
        return out;
    }

    /** {@code updateOnly} by id: never creates a lead in marketing's database. */
    public List<SyncResult> updateLeadsById(List<Map<String, Object>> inputs) {
        if (inputs.size() > config.writeBatchSize()) {
            throw new IllegalArgumentException("at most " + config.writeBatchSize() + " leads per call, got " + inputs.size());
        }
        ObjectNode request = json.createObjectNode();
        request.put("action", "updateOnly");
        request.put("lookupField", "id");
        ArrayNode input = request.putArray("input");
        inputs.forEach(i -> input.add(json.valueToTree(i)));
        JsonNode body = post("/rest/v1/leads.json", request);
        List<SyncResult> results = new ArrayList<>();
        for (JsonNode r : result(body, "/rest/v1/leads.json")) {
            JsonNode reason = r.path("reasons").path(0);
            results.add(new SyncResult(r.hasNonNull("id") ? r.get("id").asLong() : null, r.path("status").asText(null),
                    reason.isMissingNode() ? null : reason.path("code").asText(null),
                    reason.isMissingNode() ? null : reason.path("message").asText(null)));
        }
        if (results.size() != inputs.size()) {
            throw new ConnectorException(SYSTEM, "RESULT_COUNT", ErrorClass.TRANSIENT,
                    "sync returned " + results.size() + " results for " + inputs.size() + " inputs", null);
        }
        return results;
    }

    /** {@code GET /rest/v1/leads/describe.json}: the REST API name of every lead field, in Marketo's order. */
    public List<String> describeLeadFields() {
        List<String> names = new ArrayList<>();
        for (JsonNode f : result(get("/rest/v1/leads/describe.json", Map.of()), "/rest/v1/leads/describe.json")) {
            String name = f.path("rest").path("name").asText("");
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Adds leads to a static list ({@code POST /rest/v1/lists/{listId}/leads.json?id=…}); adding a
     * member again changes nothing. A list Marketo does not have fails the call (1013).
     */
    public List<ListResult> addToList(int listId, List<Long> ids) {
        if (ids.isEmpty() || ids.size() > LIST_BATCH) {
            throw new IllegalArgumentException("1 to " + LIST_BATCH + " ids per call, got " + ids.size());
        }
        StringBuilder query = new StringBuilder();
        for (Long id : ids) {
            query.append(query.length() == 0 ? '?' : '&').append("id=").append(id);
        }
        String path = "/rest/v1/lists/" + listId + "/leads.json" + query;
        JsonNode body = call(() -> HttpRequest.post(uri(path, Map.of()), auth(), "application/json", ""));
        Map<Long, JsonNode> byId = new LinkedHashMap<>();
        result(body, "/rest/v1/lists").forEach(r -> byId.put(r.path("id").asLong(), r));
        List<ListResult> results = new ArrayList<>(ids.size());
        for (Long id : ids) {
            JsonNode r = byId.get(id);
            if (r == null) {
                throw new ConnectorException(SYSTEM, "RESULT_COUNT", ErrorClass.TRANSIENT,
                        "add to list " + listId + " returned no result for lead " + id, null);
            }
            JsonNode reason = r.path("reasons").path(0);
            results.add(new ListResult(id, r.path("status").asText(null),
                    reason.isMissingNode() ? null : reason.path("code").asText(null),
                    reason.isMissingNode() ? null : reason.path("message").asText(null)));
        }
        return results;
    }

    /**
     * Requests leads into a trigger campaign whose trigger is "Campaign is Requested" with source
     * Web Service API ({@code POST /rest/v1/campaigns/{id}/trigger.json}). Marketo answers for the
     * campaign only, never per lead: a successful call means every lead was requested.
     */
    public void triggerCampaign(int campaignId, List<Long> ids) {
        if (ids.isEmpty() || ids.size() > CAMPAIGN_BATCH) {
            throw new IllegalArgumentException("1 to " + CAMPAIGN_BATCH + " leads per call, got " + ids.size());
        }
        ObjectNode request = json.createObjectNode();
        ArrayNode leads = request.putObject("input").putArray("leads");
        ids.forEach(id -> leads.addObject().put("id", id));
        post("/rest/v1/campaigns/" + campaignId + "/trigger.json", request);
    }

    // ---- bulk extract (/bulk/v1/{leads|activities}/export/...) --------------------------------

    /** {@code POST /bulk/v1/{object}/export/create.json}; the job as Marketo describes it. */
    public JsonNode bulkCreate(String object, JsonNode request) {
        return firstResult(post("/bulk/v1/" + object + "/export/create.json", request));
    }

    /** {@code POST …/{exportId}/enqueue.json}: Created → Queued. */
    public JsonNode bulkEnqueue(String object, String exportId) {
        return firstResult(call(() -> HttpRequest.post(uri(exportPath(object, exportId, "enqueue"), Map.of()), auth(),
                "application/json", "")));
    }

    /** {@code GET …/{exportId}/status.json}. */
    public JsonNode bulkStatus(String object, String exportId) {
        return firstResult(get(exportPath(object, exportId, "status"), Map.of()));
    }

    /**
     * Bytes {@code from}..{@code to} (inclusive) of a completed export's file ({@code GET
     * …/{exportId}/file.json} with a {@code Range} header), so a file of any size is read in
     * bounded pieces. Errors come as the usual JSON envelope and are classified as for any call.
     */
    public byte[] bulkFileRange(String object, String exportId, long from, long to) {
        String path = exportPath(object, exportId, "file");
        for (int attempt = 1; ; attempt++) {
            Map<String, String> headers = new LinkedHashMap<>(auth());
            headers.put("Accept", "text/csv, application/json");
            headers.put("Range", "bytes=" + from + "-" + to);
            HttpRequest request = HttpRequest.get(uri(path, Map.of()), headers);
            HttpResponse response = throttle.call(() -> send(request));
            boolean json = response.header("Content-Type").map(t -> t.toLowerCase(java.util.Locale.ROOT).contains("json"))
                    .orElse(false);
            if ((response.status() == 206 || response.status() == 200) && !json) {
                byte[] body = response.body();
                long expected = to - from + 1;
                if (response.status() == 200 && from > 0) {
                    throw new ConnectorException(SYSTEM, "RANGE_IGNORED", ErrorClass.FATAL,
                            "Marketo sent the whole file instead of bytes " + from + "-" + to + " (" + request + ")", null);
                }
                if (response.status() == 206 && body.length != expected) {
                    throw new ConnectorException(SYSTEM, "SHORT_RANGE", ErrorClass.TRANSIENT, "asked for " + expected
                            + " bytes, got " + body.length + " (" + request + ")", null);
                }
                return body;
            }
            Failure failure = Failure.of(response, response.status() == 200 ? parse(request, response) : null);
            if (failure.renewToken() && attempt == 1) {
                invalidate(request);
                continue;
            }
            throw failure.exception(request);
        }
    }

    private static String exportPath(String object, String exportId, String action) {
        if (!exportId.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("not a Marketo export id: " + exportId);
        }
        return "/bulk/v1/" + object + "/export/" + exportId + "/" + action + ".json";
    }

    private static JsonNode firstResult(JsonNode body) {
        JsonNode job = body.path("result").path(0);
        if (!job.isObject()) {
            throw new ConnectorException(SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT, "bulk export response has no result",
                    null);
        }
        return job;
    }

    // ---- envelope and token -----------------------------------------------------------------

    private JsonNode get(String path, Map<String, String> query) {
        return call(() -> HttpRequest.get(uri(path, query), auth()));
    }

    private JsonNode post(String path, JsonNode body) {
        String text = body.toString();
        return call(() -> HttpRequest.post(uri(path, Map.of()), auth(), "application/json", text));
    }

    @FunctionalInterface
    private interface RequestFactory {
        HttpRequest build();
    }

    /**
     * Sends through the circuit, and on an expired or rejected token (601/602, or HTTP 401) renews
     * it once and replays.
     */
    private JsonNode call(RequestFactory factory) {
        return circuit.call(() -> callWithRenewal(factory));
    }

    private JsonNode callWithRenewal(RequestFactory factory) {
        for (int attempt = 1; ; attempt++) {
            HttpRequest request = factory.build();
            HttpResponse response = throttle.call(() -> send(request));
            JsonNode body = response.status() == 200 ? parse(request, response) : null;
            if (body != null && body.path("success").asBoolean(false)) {
                return body;
            }
            Failure failure = Failure.of(response, body);
            if (failure.renewToken() && attempt == 1) {
                invalidate(request);
                continue;
            }
            throw failure.exception(request);
        }
    }

    /**
     * A refused call: the first error of Marketo's envelope (HTTP 200 with {@code success:false}),
     * or the HTTP status. A token error that a renewal did not cure is fatal.
     */
    private record Failure(String code, String message, ErrorClass errorClass) {

        static Failure of(HttpResponse response, JsonNode envelope) {
            if (envelope != null) {
                JsonNode error = envelope.path("errors").path(0);
                String code = error.path("code").asText("?");
                return new Failure(code, error.path("message").asText("no message"), MarketoErrorClassifier.classify(code));
            }
            return new Failure("HTTP_" + response.status(), "HTTP " + response.status(),
                    MarketoErrorClassifier.classifyHttpStatus(response.status()));
        }

        boolean renewToken() {
            return errorClass == ErrorClass.REAUTHENTICATE;
        }

        ConnectorException exception(HttpRequest request) {
            return new ConnectorException(SYSTEM, code, renewToken() ? ErrorClass.FATAL : errorClass,
                    message + " (" + request + ")", null);
        }
    }

    /**
     * The {@code result} array of a successful answer; Marketo leaves it out when there is nothing.
     * Anything else (an object, a string) is a malformed answer, never "no leads": read as empty,
     * it would make every lead of the batch look deleted.
     */
    private static JsonNode result(JsonNode body, String path) {
        JsonNode result = body.path("result");
        if (result.isMissingNode() || result.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!result.isArray()) {
            throw new ConnectorException(SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT,
                    "the result of " + path + " is not a JSON array", null);
        }
        for (JsonNode item : result) {
            if (!item.isObject()) {
                throw new ConnectorException(SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT,
                        "an item in the result of " + path + " is not a JSON object", null);
            }
        }
        return result;
    }

    private HttpResponse send(HttpRequest request) {
        try {
            return transport.send(request);
        } catch (IOException e) {
            throw new ConnectorException(SYSTEM, "IO", ErrorClass.TRANSIENT, e.getMessage() + " (" + request + ")", e);
        }
    }

    private JsonNode parse(HttpRequest request, HttpResponse response) {
        if (response.status() != 200) {
            throw new ConnectorException(SYSTEM, "HTTP_" + response.status(),
                    MarketoErrorClassifier.classifyHttpStatus(response.status()), "HTTP " + response.status() + " (" + request + ")", null);
        }
        try {
            JsonNode body = json.readTree(response.body());
            if (body == null || !body.isObject()) {
                throw new IOException("not a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new ConnectorException(SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT,
                    "unreadable response body (" + e.getMessage() + ") from " + request, e);
        }
    }

    private Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + currentToken().value(), "Accept", "application/json");
    }

    private Token currentToken() {
        Token t = token;
        if (t != null && clock.instant().isBefore(t.expiresAt())) {
            return t;
        }
        synchronized (tokenLock) {
            t = token;
            if (t == null || !clock.instant().isBefore(t.expiresAt())) {
                token = t = fetchToken();
            }
            return t;
        }
    }

    /** Drops the token that failed, unless another thread already replaced it. */
    private void invalidate(HttpRequest failed) {
        synchronized (tokenLock) {
            Token t = token;
            if (t != null && failed.headers().getOrDefault("Authorization", "").equals("Bearer " + t.value())) {
                token = null;
            }
        }
    }

    private Token fetchToken() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("grant_type", "client_credentials");
        q.put("client_id", config.clientId());
        q.put("client_secret", config.clientSecret().reveal());
        HttpRequest request = HttpRequest.get(uri("/identity/oauth/token", q), Map.of("Accept", "application/json"));
        HttpResponse response = send(request);
        if (response.status() == 401 || response.status() == 400) {
            throw new ConnectorException(SYSTEM, "AUTH_" + response.status(), ErrorClass.FATAL,
                    "Marketo refused the client credentials for client id " + config.clientId(), null);
        }
        JsonNode body = parse(request, response);
        String value = requiredText(body, "access_token");
        long expiresIn = body.path("expires_in").asLong(0);
        // Marketo returns the still-valid token with its remaining lifetime; the full margin would
        // make one that has less than the margin left look expired already, costing an identity
        // call before every request until it really expires.
        Duration margin = TOKEN_MARGIN.compareTo(Duration.ofSeconds(expiresIn / 2)) < 0
                ? TOKEN_MARGIN : Duration.ofSeconds(expiresIn / 2);
        Instant expires = clock.instant().plusSeconds(expiresIn).minus(margin);
        return new Token(value, expires);
    }

    private URI uri(String path, Map<String, String> query) {
        StringBuilder b = new StringBuilder(config.baseUrl().toString()).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return URI.create(b.toString());
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new ConnectorException(SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT,
                    "response has no '" + field + "'", null);
        }
        return v.asText();
    }
}
