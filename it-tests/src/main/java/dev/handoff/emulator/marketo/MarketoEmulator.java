package dev.handoff.emulator.marketo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.handoff.emulator.FaultPlan;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful emulator of the Marketo REST API (identity, leads, activities) for one instance,
 * enforcing the published limits so that a connector which passes against it behaves on a real
 * subscription. It answers the way Marketo does: HTTP 200 with {@code success:false} and a quoted
 * error code for nearly every failure, record-level {@code skipped} reasons in input order, and a
 * Change Data Value activity for every field an API write really changes.
 *
 * <p>It is a WireMock transformer (for the response) and serve-event listener (to know when a
 * response has been fully sent, which is what the concurrency limit counts). It claims only the
 * stubs returned by {@link #stubs()}, so one server can host several emulators.
 */
public final class MarketoEmulator implements ResponseDefinitionTransformerV2, ServeEventListener {

    public static final String NAME = "marketo-emulator";

    /** Limits and credentials of the emulated subscription. */
    public record Settings(String clientId, String clientSecret, int rateLimitCalls, Duration rateWindow,
                           int maxConcurrent, long dailyQuota) {

        public Settings {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(rateWindow, "rateWindow");
            if (rateLimitCalls < 1 || maxConcurrent < 1 || dailyQuota < 1 || rateWindow.isNegative()
                    || rateWindow.isZero()) {
                throw new IllegalArgumentException("limits must be positive: " + rateLimitCalls + ", " + rateWindow
                        + ", " + maxConcurrent + ", " + dailyQuota);
            }
        }

        /** The limits Marketo publishes for a standard subscription. */
        public static Settings defaults() {
            return new Settings("handoff-client", "handoff-secret", 100, Duration.ofSeconds(20), 10, 50_000);
        }
    }

    /** Transient failures a {@link FaultPlan} can inject into REST calls. */
    public enum InjectedFault {
        /** {@code 606} envelope, as if the rate window were full. */
        RATE_LIMIT_606,
        /** {@code 615} envelope, as if ten calls were in flight. */
        CONCURRENCY_615,
        /** {@code 604} envelope: request timed out (e.g. database contention). */
        TIMEOUT_604,
        /** {@code 608} envelope: API temporarily unavailable. */
        UNAVAILABLE_608,
        /** HTTP 502 from the gateway, with an HTML body. */
        BAD_GATEWAY_502,
        /** The TCP connection is reset before any response. */
        CONNECTION_RESET,
        /**
         * The response is held back for the plan's {@link FaultPlan#timeoutDelay() timeout delay}
         * (longer than the client's read timeout), then comes as a 504: the call did nothing.
         */
        TIMEOUT,
        /** HTTP 500 with an HTML body from the gateway. */
        HTTP_500,
        /**
         * The access token stopped working before its {@code expires_in} (Marketo issued a new
         * one, or it was revoked): {@code 601} or {@code 602}, and the token is gone for good.
         * Only a token that has already served a call expires this way.
         */
        SESSION_EXPIRED,
        /** HTTP 200 with a JSON body cut off in the middle. */
        MALFORMED_RESPONSE
    }

    private static final List<InjectedFault> REST_FAULTS = java.util.Arrays.stream(InjectedFault.values())
            .filter(k -> k != InjectedFault.SESSION_EXPIRED).toList();
    private static final List<InjectedFault> REST_FAULTS_SERVED_TOKEN = List.of(InjectedFault.values());
    private static final List<InjectedFault> IDENTITY_FAULTS = List.of(InjectedFault.BAD_GATEWAY_502,
            InjectedFault.CONNECTION_RESET);

    private static final int MAX_BATCH = 300;
    private static final int MAX_FILTER_MATCHES = 1000;
    private static final int MAX_ACTIVITY_TYPES = 10;
    private static final int MAX_LEAD_IDS = 30;
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final int MAX_URI_CHARS = 8 * 1024;
    /** New tokens live an hour; Marketo reports the first second as already spent. */
    private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(3599);
    /** The daily quota resets at midnight US Central time. */
    private static final ZoneId QUOTA_ZONE = ZoneId.of("America/Chicago");
    private static final String API_SOURCE = "Web service API";
    private static final Set<String> SYNC_ACTIONS = Set.of("createOrUpdate", "createOnly", "updateOnly",
            "createDuplicate");
    private static final Pattern LEAD_BY_ID = Pattern.compile("/rest/v1/lead/(\\d+)\\.json");
    /** Current docs say {@code /lists/}; older docs and clients use the singular {@code /list/}. */
    private static final Pattern LIST_LEADS = Pattern.compile("/rest/v1/lists?/(\\d+)/leads\\.json");
    private static final Pattern LIST_ISMEMBER = Pattern.compile("/rest/v1/lists?/(\\d+)/leads/ismember\\.json");
    private static final Pattern LEAD_LISTS = Pattern.compile("/rest/v1/leads/(\\d+)/listMembership\\.json");
    private static final Pattern CAMPAIGN_TRIGGER = Pattern.compile("/rest/v1/campaigns/(\\d+)/trigger\\.json");
    private static final int MAX_CAMPAIGN_LEADS = 100;
    private static final Pattern BULK_EXPORT = Pattern.compile(
            "/bulk/v1/(leads|activities)/export/(?:(create)|([^/]+)/(enqueue|status|file|cancel))\\.json");

    private final Clock worldClock;
    private final Clock rateClock;
    private final Settings settings;
    private final LeadDatabase db = new LeadDatabase();
    private final BulkExports bulk;
    private volatile GeneratedLeads generated;
    private final Memberships memberships = new Memberships();
    /** Programs (Marketing Activities), by id: the Asset API lists them, leads name them as their acquisition program. */
    private final java.util.concurrent.ConcurrentSkipListMap<Integer, String> programs =
            new java.util.concurrent.ConcurrentSkipListMap<>();

    private final Object tokenLock = new Object();
    private final Map<String, Instant> tokenExpiry = new ConcurrentHashMap<>();
    private final Set<String> servedTokens = ConcurrentHashMap.newKeySet();
    private String currentToken;

    private final Deque<Instant> recentCalls = new ArrayDeque<>();
    private LocalDate quotaDay;
    private long quotaUsed;

    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final Object admissionLock = new Object();

    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong authCalls = new AtomicLong();
    private final AtomicLong rateLimitViolations = new AtomicLong();
    private volatile FaultPlan faults = FaultPlan.none();
    private final Map<InjectedFault, AtomicLong> faultsByKind = new ConcurrentHashMap<>();
    private final AtomicLong requestSequence = new AtomicLong();
    private final Map<String, AtomicLong> callsByEndpoint = new ConcurrentHashMap<>();

    public MarketoEmulator(Clock worldClock, Clock rateClock, Settings settings) {
        this.worldClock = Objects.requireNonNull(worldClock, "worldClock");
        this.rateClock = Objects.requireNonNull(rateClock, "rateClock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.bulk = new BulkExports(new ExportSource(), worldClock);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** The stubs that route identity and REST traffic to this emulator; add them to the server. */
    public List<StubMapping> stubs() {
        return List.of(claim("/identity(/.*)?"), claim("/rest(/.*)?"), claim("/bulk(/.*)?"));
    }

    private static StubMapping claim(String pathRegex) {
        return any(urlPathMatching(pathRegex))
                .willReturn(aResponse().withTransformers(NAME))
                .withServeEventListener(NAME, Parameters.empty())
                .build();
    }

    // ---------------------------------------------------------------- fault injection

    /**
     * Faults calls from now on as {@code plan} decides; {@link FaultPlan#none()} turns injection
     * off. Injected faults are counted apart from {@link #rateLimitViolations()}: an injected 606
     * or 615 is the platform's doing, not a limit the client broke, and it uses neither the rate
     * window nor the daily quota.
     */
    public void setFaults(FaultPlan plan) {
        faults = Objects.requireNonNull(plan, "plan");
    }

    /** Calls answered with an injected fault. */
    public long faultsInjected() {
        return faultsByKind.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public Map<InjectedFault, Long> faultsInjectedByKind() {
        Map<InjectedFault, Long> out = new java.util.EnumMap<>(InjectedFault.class);
        faultsByKind.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private Optional<ResponseDefinition> inject(ServeEvent event, String requestId, List<InjectedFault> kinds) {
        Optional<FaultPlan.Injection<InjectedFault>> injected = faults.next(kinds);
        if (injected.isEmpty()) {
            return Optional.empty();
        }
        InjectedFault kind = injected.get().kind();
        faultsByKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        return Optional.of(switch (kind) {
            case RATE_LIMIT_606 -> respond(event, 200, MarketoJson.failure(requestId, new MarketoException("606",
                    "Max rate limit '" + settings.rateLimitCalls() + "' exceeded with in '"
                            + settings.rateWindow().toSeconds() + "' secs")));
            case CONCURRENCY_615 -> respond(event, 200, MarketoJson.failure(requestId,
                    new MarketoException("615", "Concurrent access limit reached")));
            case TIMEOUT_604 -> respond(event, 200, MarketoJson.failure(requestId,
                    new MarketoException("604", "Request time-out")));
            case UNAVAILABLE_608 -> respond(event, 200, MarketoJson.failure(requestId,
                    new MarketoException("608", "API Temporarily Unavailable")));
            case BAD_GATEWAY_502 -> ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withStatus(502).withHeader("Content-Type", "text/html")
                    .withBody("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
                            + "</h1></center></body></html>").build();
            case CONNECTION_RESET -> ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            case TIMEOUT -> ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withStatus(504).withHeader("Content-Type", "text/html")
                    .withBody("<html><body><h1>504 Gateway Time-out</h1></body></html>")
                    .withFixedDelay((int) faults.timeoutDelay().toMillis()).build();
            case HTTP_500 -> ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withStatus(500).withHeader("Content-Type", "text/html")
                    .withBody("<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server"
                            + " Error</h1></body></html>").build();
            case SESSION_EXPIRED -> {
                expire(bearer(event.getRequest()));
                yield injected.get().detail().nextBoolean()
                        ? respond(event, 200, MarketoJson.failure(requestId, new MarketoException("601", "Access token invalid")))
                        : respond(event, 200, MarketoJson.failure(requestId, new MarketoException("602", "Access token expired")));
            }
            case MALFORMED_RESPONSE -> {
                String whole = MarketoJson.write(Map.of("requestId", requestId == null ? "" : requestId,
                        "success", true, "result", List.of()));
                yield ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                        .withStatus(200).withHeader("Content-Type", "application/json;charset=UTF-8")
                        .withBody(whole.substring(0, whole.length() / 2)).build();
            }
        });
    }

    private static String bearer(Request request) {
        HttpHeader header = request.header("Authorization");
        String value = header != null && header.isPresent() ? header.firstValue().trim() : "";
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : "";
    }

    /** Ends a token now: later calls with it get 601, and identity issues a new one. */
    private void expire(String token) {
        synchronized (tokenLock) {
            tokenExpiry.remove(token);
            servedTokens.remove(token);
            if (token.equals(currentToken)) {
                currentToken = null;
            }
        }
    }

    // ---------------------------------------------------------------- state for tests and the demo

    public Map<String, Object> state() {
        List<Map<String, Object>> leads = new ArrayList<>();
        for (Map<String, Object> lead : db.allLeads()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", ((Number) lead.get("id")).intValue());
            row.put("email", lead.get("email"));
            for (String f : List.of("handoffSalesStatus", "handoffRejectReason", "handoffRejectComment",
                    "handoffAcceptedAt")) {
                row.put(f, lead.get(f));
            }
            leads.add(row);
        }
        Map<String, Object> byEndpoint = new TreeMap<>();
        callsByEndpoint.forEach((k, v) -> byEndpoint.put(k, v.get()));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("leads", leads);
        state.put("lists", memberships.state());
        state.put("campaigns", memberships.campaignState());
        state.put("calls", apiCalls());
        state.put("auth_calls", authCalls());
        state.put("rate_limit_violations", rateLimitViolations());
        state.put("faults_injected", faultsInjected());
        Map<String, Object> byKind = new TreeMap<>();
        faultsByKind.forEach((k, v) -> byKind.put(k.name(), v.get()));
        state.put("faults_by_kind", byKind);
        state.put("calls_by_endpoint", byEndpoint);
        return state;
    }

    /** Every request to {@code /rest}, including rejected ones. */
    public long apiCalls() {
        return apiCalls.get();
    }

    public long authCalls() {
        return authCalls.get();
    }

    /** Responses with 606 (rate) or 615 (concurrency); a well-behaved client keeps this at zero. */
    public long rateLimitViolations() {
        return rateLimitViolations.get();
    }

    /** Calls to one endpoint ({@code activities}, {@code leads.filter}, {@code leads.sync}…) so far. */
    public long callsTo(String endpoint) {
        AtomicLong n = callsByEndpoint.get(endpoint);
        return n == null ? 0 : n.get();
    }

    /** Leads whose field (REST name, e.g. {@code handoffSalesStatus}) holds a value; cheap enough to poll. */
    public int countLeadsWith(String field) {
        return db.countWith(field);
    }

    /** Creates a static list, as marketing would in Marketing Activities. */
    public void addList(int id, String name) {
        memberships.addList(id, name);
    }

    /** Creates a program in Marketing Activities, as marketing would; leads can name it as their acquisition program. */
    public void addProgram(int id, String name) {
        programs.put(id, Objects.requireNonNull(name, "name"));
    }

    /** Creates a requestable trigger campaign ("Campaign is Requested", source Web Service API). */
    public void addCampaign(int id, String name) {
        memberships.addCampaign(id, name);
    }

    /** Lead ids in a static list, in id order. */
    public List<Integer> listMembers(int listId) {
        return memberships.members(listId);
    }

    /** Every lead requested into a campaign, in request order (a lead requested twice appears twice). */
    public List<Integer> campaignRequests(int campaignId) {
        return memberships.requests(campaignId);
    }

    /** Adds a lead as marketing would (form fill, import) and logs its New Lead activity. */
    public int addLead(Map<String, Object> fields, Instant createdAt) {
        return db.create(canonicalFields(fields), createdAt, "Web form fillout");
    }

    public void addActivity(int leadId, int activityTypeId, String primaryAttributeValue, Instant at) {
        if (ActivityType.byId(activityTypeId).isEmpty()) {
            throw new IllegalArgumentException("unknown activity type " + activityTypeId);
        }
        db.addActivity(leadId, activityTypeId, primaryAttributeValue, attributesFor(activityTypeId,
                primaryAttributeValue), at);
    }

    public Optional<Map<String, Object>> lead(int id) {
        return db.lead(id).map(lead -> {
            lead.put("id", ((Number) lead.get("id")).intValue());
            return lead;
        });
    }

    /**
     * Loads generated leads. Creations and activities are applied in date order across all leads
     * so that activity ids grow with activity dates, as they do in a live instance.
     */
    public void seed(List<DemoLeadGenerator.SeedLead> leads) {
        record Event(Instant at, int order, int leadIndex, DemoLeadGenerator.SeedActivity activity) {
        }
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < leads.size(); i++) {
            DemoLeadGenerator.SeedLead lead = leads.get(i);
            events.add(new Event(lead.createdAt(), 0, i, null));
            for (DemoLeadGenerator.SeedActivity a : lead.activities()) {
                events.add(new Event(a.at(), 1, i, a));
            }
        }
        events.sort(Comparator.comparing(Event::at).thenComparingInt(Event::order)
                .thenComparingInt(Event::leadIndex));
        addDemoPrograms();
        int[] ids = new int[leads.size()];
        for (Event e : events) {
            if (e.activity() == null) {
                ids[e.leadIndex()] = addLead(leads.get(e.leadIndex()).fields(), e.at());
            } else {
                addActivity(ids[e.leadIndex()], e.activity().typeId(), e.activity().primaryAttributeValue(), e.at());
            }
        }
    }

    private static Map<String, Object> attributesFor(int typeId, String primary) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        switch (typeId) {
            case ActivityType.VISIT_WEBPAGE -> attrs.put("Webpage URL", primary);
            case ActivityType.FILL_OUT_FORM -> attrs.put("Form Fields", "");
            case ActivityType.ATTENDED_WEBINAR -> attrs.put("Platform", "Webinar");
            default -> {
                // The other types carry no attribute the demo needs.
            }
        }
        return attrs;
    }

    private static Map<LeadField, Object> canonicalFields(Map<String, Object> fields) {
        Map<LeadField, Object> values = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            LeadField field = LeadField.byName(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown lead field " + name));
            values.put(field, field.canonical(value));
        });
        return values;
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        String path = pathOf(request.getUrl());
        if (path.startsWith("/identity")) {
            return identity(serveEvent, path);
        }
        return rest(serveEvent, path);
    }

    @Override
    public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
        inFlight.remove(serveEvent.getId());
    }

    private ResponseDefinition identity(ServeEvent event, String path) {
        authCalls.incrementAndGet();
        Request request = event.getRequest();
        if (faults.coversAuth()) {
            Optional<ResponseDefinition> injected = inject(event, null, IDENTITY_FAULTS);
            if (injected.isPresent()) {
                return injected.get();
            }
        }
        if (!path.equals("/identity/oauth/token")) {
            return respond(event, 404, Map.of("error", "not_found", "error_description", "Not found"));
        }
        Map<String, List<String>> params = parameters(request, true);
        String grantType = first(params, "grant_type");
        if (!"client_credentials".equals(grantType)) {
            return respond(event, 400, Map.of("error", grantType == null ? "invalid_request" : "unsupported_grant_type",
                    "error_description", grantType == null ? "Missing grant type" : "Unsupported grant type"));
        }
        if (!settings.clientId().equals(first(params, "client_id"))
                || !settings.clientSecret().equals(first(params, "client_secret"))) {
            return respond(event, 401, Map.of("error", "invalid_client", "error_description",
                    "Bad client credentials"));
        }
        Instant now = worldClock.instant();
        String token;
        Instant expiry;
        synchronized (tokenLock) {
            if (currentToken == null || !now.isBefore(tokenExpiry.get(currentToken))) {
                currentToken = UUID.randomUUID() + ":ab";
                tokenExpiry.put(currentToken, now.plus(TOKEN_LIFETIME));
            }
            token = currentToken;
            expiry = tokenExpiry.get(token);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("token_type", "bearer");
        body.put("expires_in", Duration.between(now, expiry).getSeconds());
        body.put("scope", "api@handoff.test");
        return respond(event, 200, body);
    }

    /** What one REST resource does, once the request is authenticated and admitted. */
    private interface Handler {
        Map<String, Object> handle(String requestId);
    }

    /** A resource that answers with something other than the JSON envelope (an export file). */
    private interface RawHandler {
        ResponseDefinition handle(ServeEvent event, String requestId) throws java.io.IOException;
    }

    private record Route(String endpoint, Set<String> methods, Handler handler, RawHandler raw) {
        Route(String endpoint, Set<String> methods, Handler handler) {
            this(endpoint, methods, handler, null);
        }
    }

    private ResponseDefinition rest(ServeEvent event, String path) {
        apiCalls.incrementAndGet();
        Request request = event.getRequest();
        String requestId = Long.toHexString(requestSequence.incrementAndGet() + 0xe42b) + "#"
                + Long.toHexString(worldClock.millis());
        if (request.getUrl().length() > MAX_URI_CHARS) {
            count("uri_too_long");
            return respond(event, 414, Map.of());
        }
        if (request.getBody() != null && request.getBody().length > MAX_BODY_BYTES) {
            count("entity_too_large");
            return respond(event, 413, Map.of());
        }
        String method = request.getMethod().getName();
        boolean methodOverride = "POST".equals(method)
                && "GET".equalsIgnoreCase(first(query(request.getUrl()), "_method"));
        String effectiveMethod = methodOverride ? "GET" : method;
        Route route = route(path, effectiveMethod, request, methodOverride);
        count(route.endpoint());
        // Injected before authentication and admission: a faulted call changes no state at all.
        String token = bearer(request);
        Optional<ResponseDefinition> injected = inject(event, requestId,
                servedTokens.contains(token) ? REST_FAULTS_SERVED_TOKEN : REST_FAULTS);
        if (injected.isPresent()) {
            return injected.get();
        }

        try {
            authenticate(request);
        } catch (MarketoException e) {
            return respond(event, 200, MarketoJson.failure(requestId, e));
        }
        servedTokens.add(token);
        if ((route.handler() != null || route.raw() != null) && !route.methods().contains(effectiveMethod)) {
            // 605 is one of the codes that cost neither rate limit nor quota.
            return respond(event, 200, MarketoJson.failure(requestId,
                    new MarketoException("605", "HTTP Method not supported")));
        }
        Instant admittedAt = rateClock.instant();
        Optional<MarketoException> refused = admit(event, admittedAt);
        if (refused.isPresent()) {
            return respond(event, 200, MarketoJson.failure(requestId, refused.get()));
        }
        if (route.raw() != null) {
            try {
                return route.raw().handle(event, requestId);
            } catch (MarketoException e) {
                return respond(event, 200, MarketoJson.failure(requestId, e));
            } catch (java.io.IOException | RuntimeException e) {
                refund(admittedAt);
                return respond(event, 200, MarketoJson.failure(requestId, new MarketoException("611", "System error")));
            }
        }
        if (route.handler() == null) {
            return respond(event, 200, MarketoJson.failure(requestId,
                    new MarketoException("610", "Requested resource not found")));
        }
        try {
            return respond(event, 200, route.handler().handle(requestId));
        } catch (MarketoException e) {
            return respond(event, 200, MarketoJson.failure(requestId, e));
        } catch (RuntimeException e) {
            refund(admittedAt);
            return respond(event, 200, MarketoJson.failure(requestId, new MarketoException("611", "System error")));
        }
    }

    private Route route(String path, String method, Request request, boolean methodOverride) {
        Map<String, List<String>> params = parameters(request, methodOverride);
        switch (path) {
            case "/rest/v1/leads.json":
                if ("POST".equals(method)) {
                    return new Route("leads.sync", Set.of("POST"), id -> syncLeads(id, request));
                }
                return new Route("leads.filter", Set.of("GET"), id -> leadsByFilter(id, params));
            case "/rest/v1/leads/describe.json":
                return new Route("leads.describe", Set.of("GET"), this::describe);
            case "/rest/v1/activities/pagingtoken.json":
                return new Route("activities.pagingtoken", Set.of("GET"), id -> pagingToken(id, params));
            case "/rest/v1/activities.json":
                return new Route("activities", Set.of("GET"), id -> activities(id, params));
            case "/rest/v1/activities/types.json":
                return new Route("activities.types", Set.of("GET"), this::activityTypes);
            case "/rest/asset/v1/programs.json":
                return new Route("programs.browse", Set.of("GET"), id -> browsePrograms(id, params));
            default:
                Matcher m = LEAD_BY_ID.matcher(path);
                if (m.matches()) {
                    return new Route("lead.get", Set.of("GET"), id -> leadById(id, m.group(1), params));
                }
                Matcher list = LIST_LEADS.matcher(path);
                if (list.matches()) {
                    int listId = pathId(list.group(1));
                    return switch (method) {
                        case "POST" -> new Route("lists.add", Set.of("POST"),
                                id -> changeMembership(id, listId, membershipIds(params, request), true));
                        case "DELETE" -> new Route("lists.remove", Set.of("DELETE"),
                                id -> changeMembership(id, listId, membershipIds(params, request), false));
                        default -> new Route("lists.members", Set.of("GET"), id -> listMembers(id, listId, params));
                    };
                }
                Matcher isMember = LIST_ISMEMBER.matcher(path);
                if (isMember.matches()) {
                    int listId = pathId(isMember.group(1));
                    return new Route("lists.ismember", Set.of("GET"), id -> isMember(id, listId, params));
                }
                Matcher leadLists = LEAD_LISTS.matcher(path);
                if (leadLists.matches()) {
                    int leadId = pathId(leadLists.group(1));
                    return new Route("lead.lists", Set.of("GET"), id -> listMembership(id, leadId));
                }
                Matcher export = BULK_EXPORT.matcher(path);
                if (export.matches()) {
                    return bulkRoute(export, request);
                }
                Matcher trigger = CAMPAIGN_TRIGGER.matcher(path);
                if (trigger.matches()) {
                    int campaignId = pathId(trigger.group(1));
                    return new Route("campaigns.trigger", Set.of("POST"), id -> triggerCampaign(id, campaignId, request));
                }
                return new Route("not_found", Set.of(), null);
        }
    }

    private void authenticate(Request request) {
        HttpHeader header = request.header("Authorization");
        String value = header != null && header.isPresent() ? header.firstValue().trim() : "";
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
            throw new MarketoException("600", "Access token not specified");
        }
        Instant expiry = tokenExpiry.get(value.substring(7).trim());
        if (expiry == null) {
            throw new MarketoException("601", "Access token invalid");
        }
        if (!worldClock.instant().isBefore(expiry)) {
            throw new MarketoException("602", "Access token expired");
        }
    }

    /**
     * Applies concurrency, rate and quota limits. Refused calls still count toward the rate window
     * and the quota: only 601, 602, 604, 605, 608 and 611 are free on a real subscription.
     */
    private Optional<MarketoException> admit(ServeEvent event, Instant now) {
        boolean tooMany;
        synchronized (admissionLock) {
            tooMany = inFlight.size() >= settings.maxConcurrent();
            if (!tooMany) {
                inFlight.add(event.getId());
            }
        }
        boolean overRate;
        synchronized (recentCalls) {
            Instant windowStart = now.minus(settings.rateWindow());
            while (!recentCalls.isEmpty() && !recentCalls.peekFirst().isAfter(windowStart)) {
                recentCalls.pollFirst();
            }
            overRate = recentCalls.size() >= settings.rateLimitCalls();
            recentCalls.addLast(now);
        }
        boolean overQuota;
        synchronized (recentCalls) {
            LocalDate today = LocalDate.ofInstant(worldClock.instant(), QUOTA_ZONE);
            if (!today.equals(quotaDay)) {
                quotaDay = today;
                quotaUsed = 0;
            }
            overQuota = quotaUsed >= settings.dailyQuota();
            quotaUsed++;
        }
        if (tooMany) {
            rateLimitViolations.incrementAndGet();
            return Optional.of(new MarketoException("615", "Concurrent access limit reached"));
        }
        if (overRate) {
            rateLimitViolations.incrementAndGet();
            return Optional.of(new MarketoException("606", "Max rate limit '" + settings.rateLimitCalls()
                    + "' exceeded with in '" + settings.rateWindow().toSeconds() + "' secs"));
        }
        if (overQuota) {
            return Optional.of(new MarketoException("607", "Daily quota reached"));
        }
        return Optional.empty();
    }

    /** A 611 (unhandled error) costs neither rate limit nor quota, so the admission is taken back. */
    private void refund(Instant admittedAt) {
        synchronized (recentCalls) {
            recentCalls.removeLastOccurrence(admittedAt);
            quotaUsed = Math.max(0, quotaUsed - 1);
        }
    }

    private void count(String endpoint) {
        callsByEndpoint.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
    }

    // ---------------------------------------------------------------- bulk extract

    /**
     * Gives the instance a history of {@code count} leads created evenly over [from, to), generated
     * from {@code seed} whenever a bulk extract reads them and never stored: a million leads cost
     * no memory. Only the bulk extract endpoints see them.
     */
    public void generateHistory(long seed, int count, Instant from, Instant to) {
        generated = new GeneratedLeads(seed, count, from, to, worldClock.instant());
        addDemoPrograms();
    }

    /** The acquisition programs the demo's generated leads name, with their names. */
    private void addDemoPrograms() {
        DemoLeadGenerator.programIds().forEach(id -> programs.putIfAbsent(id.intValue(), DemoLeadGenerator.programName(id)));
    }

    /** The daily export allowance in bytes (500 MB unless the subscription bought more). */
    public void setBulkExportDailyQuota(long bytes) {
        bulk.setDailyQuota(bytes);
    }

    /** Holds export jobs at Processing (true) or lets them finish (false); for tests of the queue limits. */
    public void holdBulkExports(boolean hold) {
        bulk.hold(hold);
    }

    /** Export jobs queued or processing now: their status will still change without another call. */
    public long exportsInProgress() {
        return bulk.inProgress();
    }

    /** The most export jobs that were processing at the same time (Marketo allows 2). */
    public int maxConcurrentExportsSeen() {
        return bulk.maxProcessingSeen();
    }

    /** Stops export processing and deletes the export files. */
    public void close() {
        bulk.close();
    }

    private Route bulkRoute(Matcher m, Request request) {
        BulkExports.Kind kind = m.group(1).equals("leads") ? BulkExports.Kind.LEADS : BulkExports.Kind.ACTIVITIES;
        String prefix = "bulk." + kind.path + ".";
        if (m.group(2) != null) {
            return new Route(prefix + "create", Set.of("POST"), id -> {
                JsonNode body;
                try {
                    body = MarketoJson.MAPPER.readTree(request.getBody());
                } catch (java.io.IOException e) {
                    throw new MarketoException("609", "Invalid JSON");
                }
                return bulkBody(id, bulk.create(kind, body));
            });
        }
        String exportId = m.group(3);
        return switch (m.group(4)) {
            case "enqueue" -> new Route(prefix + "enqueue", Set.of("POST"), id -> bulkBody(id, bulk.enqueue(kind, exportId)));
            case "cancel" -> new Route(prefix + "cancel", Set.of("POST"), id -> bulkBody(id, bulk.cancel(kind, exportId)));
            case "status" -> new Route(prefix + "status", Set.of("GET"), id -> bulkBody(id, bulk.status(kind, exportId)));
            default -> new Route(prefix + "file", Set.of("GET"), null, (event, id) -> {
                HttpHeader range = event.getRequest().header("Range");
                BulkExports.FilePart part = bulk.file(kind, exportId,
                        range != null && range.isPresent() ? range.firstValue() : null);
                if (part == null) {
                    return ResponseDefinitionBuilder.like(event.getResponseDefinition()).but().withStatus(416)
                            .withBody("").build();
                }
                ResponseDefinitionBuilder b = ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                        .withStatus(part.partial() ? 206 : 200)
                        .withHeader("Content-Type", "text/csv;charset=UTF-8")
                        .withHeader("Accept-Ranges", "bytes")
                        .withBody(part.bytes());
                if (part.partial()) {
                    b.withHeader("Content-Range", "bytes " + part.from() + "-" + part.to() + "/" + part.total());
                }
                return b.build();
            });
        };
    }

    private static Map<String, Object> bulkBody(String requestId, Map<String, Object> job) {
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", List.of(job));
        return body;
    }

    /** The stored leads and activity log, then the generated history, as export rows. */
    private final class ExportSource implements BulkExports.Source {

        @Override
        public long writeLeads(Instant from, Instant to, List<String> fields, BulkExports.CsvOut out)
                throws java.io.IOException {
            long rows = 0;
            List<Object> row = new ArrayList<>(fields.size());
            for (Map<String, Object> lead : db.createdIn(from, to)) {
                row.clear();
                fields.forEach(f -> row.add(lead.get(f)));
                out.row(row);
                rows++;
            }
            GeneratedLeads g = generated;
            if (g != null) {
                for (int i = g.firstIndexAtOrAfter(from), end = g.firstIndexAtOrAfter(to); i < end; i++) {
                    Map<String, Object> lead = g.record(i, g.lead(i));
                    row.clear();
                    fields.forEach(f -> row.add(lead.get(f)));
                    out.row(row);
                    rows++;
                }
            }
            return rows;
        }

        @Override
        public long writeActivities(Instant from, Instant to, Set<Integer> types, BulkExports.CsvOut out)
                throws java.io.IOException {
            long rows = 0;
            for (Activity a : db.activitiesIn(from, to, types)) {
                out.row(activityRow(Long.toString(a.id()), a.leadId(), a.activityDate(), a.activityTypeId(),
                        a.primaryAttributeValueId(), a.primaryAttributeValue(), a.attributes()));
                rows++;
            }
            GeneratedLeads g = generated;
            if (g != null) {
                // Activities follow creation within the activity span, so only these leads can have any.
                int first = g.firstIndexAtOrAfter(from.minus(GeneratedLeads.ACTIVITY_SPAN));
                int end = g.firstIndexAtOrAfter(to);
                for (int i = first; i < end; i++) {
                    DemoLeadGenerator.SeedLead lead = g.lead(i);
                    int leadId = g.id(i);
                    if (!lead.createdAt().isBefore(from) && (types.isEmpty() || types.contains(ActivityType.NEW_LEAD))) {
                        Map<String, Object> attrs = new LinkedHashMap<>();
                        attrs.put("Source Type", "Web form fillout");
                        out.row(activityRow(Long.toString(g.activityId(i, 0)), leadId, lead.createdAt(), ActivityType.NEW_LEAD,
                                (long) leadId, lead.fields().get("firstName") + " " + lead.fields().get("lastName"), attrs));
                        rows++;
                    }
                    List<DemoLeadGenerator.SeedActivity> acts = lead.activities();
                    for (int k = 0; k < acts.size(); k++) {
                        DemoLeadGenerator.SeedActivity a = acts.get(k);
                        if (a.at().isBefore(from) || !a.at().isBefore(to)
                                || (!types.isEmpty() && !types.contains(a.typeId()))) {
                            continue;
                        }
                        out.row(activityRow(Long.toString(g.activityId(i, k + 1)), leadId, a.at(), a.typeId(), null,
                                a.primaryAttributeValue(), attributesFor(a.typeId(), a.primaryAttributeValue())));
                        rows++;
                    }
                }
            }
            return rows;
        }

        private List<Object> activityRow(String guid, int leadId, Instant at, int typeId, Long primaryId, String primary,
                Map<String, Object> attributes) {
            return java.util.Arrays.asList(guid, leadId, MarketoJson.formatInstant(at), typeId, null, primaryId, primary,
                    attributes.isEmpty() ? null : MarketoJson.write(attributes));
        }
    }

    // ---------------------------------------------------------------- leads

    private Map<String, Object> leadsByFilter(String requestId, Map<String, List<String>> params) {
        String filterType = required(params, "filterType");
        List<String> values = commaList(params, "filterValues");
        if (values.isEmpty()) {
            throw MarketoException.missing("filterValues");
        }
        LeadField field = LeadField.byName(filterType).orElseThrow(() -> MarketoException.fieldNotFound(filterType));
        if (!field.filterable()) {
            throw new MarketoException("1011", "Field '" + filterType + "' not supported");
        }
        if (values.size() > MAX_BATCH) {
            throw new MarketoException("1003", "Invalid data: filterValues exceeds the limit of " + MAX_BATCH);
        }
        List<String> fields = requestedFields(params);
        int batchSize = batchSize(params);
        String token = first(params, "nextPageToken");
        int after = 0;
        if (token != null) {
            after = PagingTokens.parseLeadToken(token)
                    .orElseThrow(() -> MarketoException.invalid(token, "nextPageToken"));
        }
        List<Map<String, Object>> matches = db.filter(field, values);
        if (matches.size() > MAX_FILTER_MATCHES) {
            throw new MarketoException("1003", "Too many results match the filter");
        }
        int afterId = after;
        List<Map<String, Object>> remaining = matches.stream()
                .filter(l -> ((Number) l.get("id")).intValue() > afterId).toList();
        List<Map<String, Object>> page = remaining.subList(0, Math.min(batchSize, remaining.size()));
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", page.stream().map(l -> project(l, fields)).toList());
        if (remaining.size() > page.size()) {
            body.put("nextPageToken", PagingTokens.leadToken(((Number) page.get(page.size() - 1).get("id")).intValue()));
        }
        return body;
    }

    private Map<String, Object> leadById(String requestId, String idText, Map<String, List<String>> params) {
        List<String> fields = requestedFields(params);
        Map<String, Object> body = MarketoJson.success(requestId);
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            throw MarketoException.invalid(idText, "integer");
        }
        body.put("result", db.lead(id).map(l -> List.of(project(l, fields))).orElse(List.of()));
        return body;
    }

    private static Map<String, Object> project(Map<String, Object> lead, List<String> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", ((Number) lead.get("id")).intValue());
        for (String f : fields) {
            Object v = lead.get(f);
            if (v != null && !f.equals("id")) {
                out.put(f, v);
            }
        }
        return out;
    }

    private static List<String> requestedFields(Map<String, List<String>> params) {
        List<String> fields = commaList(params, "fields");
        if (fields.isEmpty()) {
            return LeadField.DEFAULT_FIELDS;
        }
        for (String f : fields) {
            if (LeadField.byName(f).isEmpty()) {
                throw MarketoException.fieldNotFound(f);
            }
        }
        return fields;
    }

    private Map<String, Object> syncLeads(String requestId, Request request) {
        String contentType = request.contentTypeHeader() == null ? null : request.contentTypeHeader().mimeTypePart();
        if (contentType == null || !contentType.equalsIgnoreCase("application/json")) {
            throw new MarketoException("612", "Invalid Content Type");
        }
        JsonNode root;
        try {
            root = MarketoJson.MAPPER.readTree(request.getBody());
        } catch (JsonProcessingException e) {
            throw new MarketoException("609", "Invalid JSON");
        } catch (java.io.IOException e) {
            throw new MarketoException("609", "Invalid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MarketoException("609", "Invalid JSON");
        }
        String action = root.hasNonNull("action") ? root.get("action").asText() : "createOrUpdate";
        if (!SYNC_ACTIONS.contains(action)) {
            throw MarketoException.invalid(action, "action");
        }
        String lookupName = root.hasNonNull("lookupField") ? root.get("lookupField").asText() : "email";
        LeadField lookup = LeadField.byName(lookupName).orElseThrow(() -> MarketoException.fieldNotFound(lookupName));
        if (!lookup.filterable()) {
            throw new MarketoException("1011", "Field '" + lookupName + "' not supported");
        }
        JsonNode input = root.get("input");
        if (input == null || !input.isArray() || input.isEmpty()) {
            throw MarketoException.missing("input");
        }
        if (input.size() > MAX_BATCH) {
            throw new MarketoException("1003", "Invalid data: input exceeds the limit of " + MAX_BATCH + " records");
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (JsonNode node : input) {
            if (!node.isObject()) {
                throw new MarketoException("609", "Invalid JSON");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> record = MarketoJson.MAPPER.convertValue(node, LinkedHashMap.class);
            // An unknown field fails the whole request, before anything is written.
            for (String name : record.keySet()) {
                if (LeadField.byName(name).isEmpty()) {
                    throw MarketoException.fieldNotFound(name);
                }
            }
            records.add(record);
        }
        Instant now = worldClock.instant();
        List<Map<String, Object>> results = new ArrayList<>();
        for (Map<String, Object> record : records) {
            results.add(syncOne(action, lookup, record, now));
        }
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", results);
        return body;
    }

    private Map<String, Object> syncOne(String action, LeadField lookup, Map<String, Object> record, Instant now) {
        boolean updateOnly = action.equals("updateOnly");
        if (!updateOnly && (record.containsKey("id") || lookup.name().equals("id"))) {
            return skipped("1003", "Invalid data: id is allowed only with action updateOnly");
        }
        Map<LeadField, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : record.entrySet()) {
            LeadField field = LeadField.byName(e.getKey()).orElseThrow();
            try {
                values.put(field, field.canonical(e.getValue()));
            } catch (IllegalArgumentException ex) {
                return skipped("1001", "Invalid value '" + e.getValue() + "'. Required of type '" + field.dataType()
                        + "'");
            }
        }
        Object key = values.get(lookup);
        if (key == null && !action.equals("createDuplicate")) {
            return skipped("1003", "Invalid data: value for lookup field '" + lookup.name() + "' is missing");
        }
        List<Integer> matches = action.equals("createDuplicate") ? List.of() : matching(lookup, key);
        if (action.equals("createDuplicate") || action.equals("createOnly")
                || (action.equals("createOrUpdate") && matches.isEmpty())) {
            if (!matches.isEmpty()) {
                return skipped("1005", "Lead already exists");
            }
            values.remove(LeadField.byName("id").orElseThrow());
            return written(db.create(values, now, API_SOURCE), "created");
        }
        if (matches.isEmpty()) {
            return skipped("1004", "Lead not found");
        }
        if (matches.size() > 1) {
            return skipped("1007", "Multiple leads match the lookup criteria");
        }
        int id = matches.get(0);
        values.remove(lookup);
        db.update(id, values, now, API_SOURCE);
        return written(id, "updated");
    }

    private List<Integer> matching(LeadField lookup, Object key) {
        if (lookup.name().equals("email")) {
            return db.idsByEmail(key.toString());
        }
        return db.filter(lookup, List.of(key.toString())).stream().map(l -> ((Number) l.get("id")).intValue())
                .toList();
    }

    private static Map<String, Object> written(int id, String status) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("status", status);
        return r;
    }

    private static Map<String, Object> skipped(String code, String message) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("status", "skipped");
        r.put("reasons", List.of(MarketoJson.reason(code, message)));
        return r;
    }

    private Map<String, Object> describe(String requestId) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (LeadField f : LeadField.ALL) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", f.id());
            d.put("displayName", f.displayName());
            d.put("dataType", f.dataType());
            if (f.length() != null) {
                d.put("length", f.length());
            }
            d.put("rest", Map.of("name", f.name(), "readOnly", f.readOnly()));
            d.put("soap", Map.of("name", f.soapName(), "readOnly", f.readOnly()));
            result.add(d);
        }
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", result);
        return body;
    }

    // ---------------------------------------------------------------- static lists and campaigns

    private static int pathId(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Lead ids of an add or remove: repeated (or comma-separated) {@code id} query parameters, or
     * the older JSON body {@code {"input":[{"id":…}]}}.
     */
    private static List<String> membershipIds(Map<String, List<String>> params, Request request) {
        List<String> ids = commaList(params, "id");
        if (!ids.isEmpty()) {
            return ids;
        }
        byte[] raw = request.getBody();
        if (raw == null || raw.length == 0) {
            return List.of();
        }
        JsonNode root;
        try {
            root = MarketoJson.MAPPER.readTree(raw);
        } catch (java.io.IOException e) {
            throw new MarketoException("609", "Invalid JSON");
        }
        List<String> out = new ArrayList<>();
        if (root != null && root.path("input").isArray()) {
            for (JsonNode item : root.get("input")) {
                out.add(item.path("id").asText(""));
            }
        }
        return out;
    }

    private Map<String, Object> changeMembership(String requestId, int listId, List<String> idTexts, boolean add) {
        if (!memberships.hasList(listId)) {
            throw new MarketoException("1013", "Object not found: static list " + listId);
        }
        if (idTexts.isEmpty()) {
            throw MarketoException.missing("id");
        }
        if (idTexts.size() > MAX_BATCH) {
            throw new MarketoException("1003", "Invalid data: at most " + MAX_BATCH + " ids per call");
        }
        List<Integer> ids = new ArrayList<>(integers(idTexts));
        Instant now = worldClock.instant();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int leadId : ids) {
            if (db.lead(leadId).isEmpty()) {
                results.add(withId(leadId, skipped("1004", "Lead not found")));
            } else if (add) {
                memberships.add(listId, leadId, now);
                results.add(written(leadId, "added"));
            } else if (memberships.remove(listId, leadId)) {
                results.add(written(leadId, "removed"));
            } else {
                results.add(withId(leadId, skipped("1015", "Lead not in list")));
            }
        }
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", results);
        return body;
    }

    private Map<String, Object> isMember(String requestId, int listId, Map<String, List<String>> params) {
        if (!memberships.hasList(listId)) {
            throw new MarketoException("1013", "Object not found: static list " + listId);
        }
        List<String> idTexts = commaList(params, "id");
        if (idTexts.isEmpty()) {
            throw MarketoException.missing("id");
        }
        if (idTexts.size() > MAX_BATCH) {
            throw new MarketoException("1003", "Invalid data: at most " + MAX_BATCH + " ids per call");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int leadId : integers(idTexts)) {
            if (db.lead(leadId).isEmpty()) {
                results.add(withId(leadId, skipped("1004", "Lead not found")));
            } else {
                results.add(written(leadId, memberships.isMember(listId, leadId) ? "memberof" : "notmemberof"));
            }
        }
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", results);
        return body;
    }

    private Map<String, Object> listMembers(String requestId, int listId, Map<String, List<String>> params) {
        if (!memberships.hasList(listId)) {
            throw new MarketoException("1013", "Object not found: static list " + listId);
        }
        List<String> fields = requestedFields(params);
        int batchSize = batchSize(params);
        String token = first(params, "nextPageToken");
        int after = 0;
        if (token != null) {
            after = PagingTokens.parseLeadToken(token).orElseThrow(() -> MarketoException.invalid(token, "nextPageToken"));
        }
        List<Integer> page = memberships.members(listId, after, batchSize);
        List<Map<String, Object>> result = new ArrayList<>();
        for (int leadId : page) {
            db.lead(leadId).ifPresent(l -> result.add(project(l, fields)));
        }
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", result);
        if (!page.isEmpty() && memberships.moreMembers(listId, page.get(page.size() - 1))) {
            body.put("nextPageToken", PagingTokens.leadToken(page.get(page.size() - 1)));
        }
        return body;
    }

    private Map<String, Object> listMembership(String requestId, int leadId) {
        if (db.lead(leadId).isEmpty()) {
            throw new MarketoException("1004", "Lead not found");
        }
        List<Map<String, Object>> result = new ArrayList<>();
        memberships.listsOf(leadId).forEach((listId, at) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("listId", listId);
            row.put("createdAt", MarketoJson.formatInstant(at));
            row.put("updatedAt", MarketoJson.formatInstant(at));
            result.add(row);
        });
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", result);
        return body;
    }

    /** Request Campaign: the body is {@code {"input":{"leads":[{"id":…}],"tokens":[…]}}}, at most 100 leads. */
    private Map<String, Object> triggerCampaign(String requestId, int campaignId, Request request) {
        String contentType = request.contentTypeHeader() == null ? null : request.contentTypeHeader().mimeTypePart();
        if (contentType == null || !contentType.equalsIgnoreCase("application/json")) {
            throw new MarketoException("612", "Invalid Content Type");
        }
        JsonNode root;
        try {
            root = MarketoJson.MAPPER.readTree(request.getBody());
        } catch (java.io.IOException e) {
            throw new MarketoException("609", "Invalid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MarketoException("609", "Invalid JSON");
        }
        if (!memberships.hasCampaign(campaignId)) {
            throw new MarketoException("1013", "Object not found: campaign " + campaignId);
        }
        JsonNode leads = root.path("input").path("leads");
        if (!leads.isArray() || leads.isEmpty()) {
            throw MarketoException.missing("leads");
        }
        if (leads.size() > MAX_CAMPAIGN_LEADS) {
            throw new MarketoException("1003", "Invalid data: at most " + MAX_CAMPAIGN_LEADS + " leads per request");
        }
        List<String> idTexts = new ArrayList<>();
        leads.forEach(l -> idTexts.add(l.path("id").asText("")));
        // Leads the instance does not have are passed over: the response names only the campaign.
        List<Integer> requested = integers(idTexts).stream().filter(id -> db.lead(id).isPresent()).toList();
        memberships.request(campaignId, requested);
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", List.of(Map.of("id", campaignId)));
        return body;
    }

    private static Map<String, Object> withId(int id, Map<String, Object> result) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.putAll(result);
        return r;
    }

    // ---------------------------------------------------------------- activities

    private Map<String, Object> pagingToken(String requestId, Map<String, List<String>> params) {
        String since = required(params, "sinceDatetime");
        Instant instant = parseDatetime(since).orElseThrow(() -> MarketoException.invalid(since, "datetime"));
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("nextPageToken", PagingTokens.activityToken(new Activity.Position(instant, Long.MIN_VALUE)));
        return body;
    }

    private static Optional<Instant> parseDatetime(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeException e) {
            // Marketo also takes a zone-less date or datetime; this instance runs in UTC.
        }
        try {
            return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            // fall through to a plain date
        }
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private Map<String, Object> activities(String requestId, Map<String, List<String>> params) {
        String token = required(params, "nextPageToken");
        Activity.Position after = PagingTokens.parseActivityToken(token)
                .orElseThrow(() -> MarketoException.invalid(token, "nextPageToken"));
        Set<Integer> typeIds = integers(commaList(params, "activityTypeIds"));
        if (typeIds.isEmpty()) {
            throw MarketoException.missing("activityTypeIds");
        }
        if (typeIds.size() > MAX_ACTIVITY_TYPES) {
            throw new MarketoException("1003", "Invalid data: at most " + MAX_ACTIVITY_TYPES + " activityTypeIds");
        }
        Set<Integer> leadIds = integers(commaList(params, "leadIds"));
        if (leadIds.size() > MAX_LEAD_IDS) {
            throw new MarketoException("1003", "Invalid data: at most " + MAX_LEAD_IDS + " leadIds");
        }
        if (first(params, "listId") != null) {
            throw new MarketoException("1013", "Object not found: list " + first(params, "listId"));
        }
        int batchSize = batchSize(params);
        Predicate<Activity> filter = a -> typeIds.contains(a.activityTypeId())
                && (leadIds.isEmpty() || leadIds.contains(a.leadId()));
        LeadDatabase.Page page = db.read(after, filter, batchSize);
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("nextPageToken", PagingTokens.activityToken(page.next()));
        body.put("moreResult", page.moreResult());
        if (!page.activities().isEmpty()) {
            body.put("result", page.activities().stream().map(Activity::toJson).toList());
        }
        return body;
    }

    /**
     * Asset API, Get Programs: {@code maxReturn} (default 20, at most 200) programs from
     * {@code offset}; past the last one Marketo answers success with a warning and no result.
     */
    private Map<String, Object> browsePrograms(String requestId, Map<String, List<String>> params) {
        int maxReturn = boundedInt(params, "maxReturn", 20, 1, 200);
        int offset = boundedInt(params, "offset", 0, 0, Integer.MAX_VALUE);
        List<Map<String, Object>> result = programs.entrySet().stream().skip(offset).limit(maxReturn)
                .map(e -> program(e.getKey(), e.getValue())).toList();
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("errors", List.of());
        if (result.isEmpty()) {
            body.put("warnings", List.of("No assets found for the given search criteria."));
        } else {
            body.put("warnings", List.of());
            body.put("result", result);
        }
        return body;
    }

    private static Map<String, Object> program(int id, String name) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("name", name);
        p.put("description", "");
        p.put("createdAt", "2026-01-05T09:00:00Z+0000");
        p.put("updatedAt", "2026-01-05T09:00:00Z+0000");
        p.put("url", "https://app-emulator.marketo.com/#PG" + id + "A1");
        p.put("type", "Default");
        p.put("channel", "Online Advertising");
        p.put("folder", Map.of("type", "Folder", "value", 1000, "folderName", "Marketing Activities"));
        p.put("status", "");
        p.put("workspace", "Default");
        p.put("tags", List.of());
        p.put("costs", null);
        return p;
    }

    private static int boundedInt(Map<String, List<String>> params, String name, int otherwise, int min, int max) {
        String text = first(params, name);
        if (text == null) {
            return otherwise;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw MarketoException.invalid(text, "integer");
        }
        if (value < min || value > max) {
            throw new MarketoException("1003", "Invalid data: " + name + " must be between " + min + " and " + max);
        }
        return value;
    }

    private Map<String, Object> activityTypes(String requestId) {
        Map<String, Object> body = MarketoJson.success(requestId);
        body.put("result", ActivityType.ALL.stream().map(ActivityType::toJson).toList());
        return body;
    }

    // ---------------------------------------------------------------- request parsing

    private static int batchSize(Map<String, List<String>> params) {
        return boundedInt(params, "batchSize", MAX_BATCH, 1, MAX_BATCH);
    }

    private static Set<Integer> integers(List<String> texts) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String t : texts) {
            try {
                out.add(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw MarketoException.invalid(t, "integer");
            }
        }
        return out;
    }

    private static String required(Map<String, List<String>> params, String name) {
        String value = first(params, name);
        if (value == null || value.isBlank()) {
            throw MarketoException.missing(name);
        }
        return value;
    }

    /** All values of a parameter, whether repeated or comma-separated, trimmed, blanks dropped. */
    private static List<String> commaList(Map<String, List<String>> params, String name) {
        List<String> out = new ArrayList<>();
        for (String value : params.getOrDefault(name, List.of())) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Query parameters, plus the form body when the body carries the query (POST with _method=GET). */
    private static Map<String, List<String>> parameters(Request request, boolean includeFormBody) {
        Map<String, List<String>> params = query(request.getUrl());
        String contentType = request.contentTypeHeader() == null ? null : request.contentTypeHeader().mimeTypePart();
        if (includeFormBody && "application/x-www-form-urlencoded".equalsIgnoreCase(contentType)) {
            decodeInto(request.getBodyAsString(), params);
        }
        return params;
    }

    private static Map<String, List<String>> query(String url) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q >= 0) {
            decodeInto(url.substring(q + 1), params);
        }
        return params;
    }

    private static void decodeInto(String encoded, Map<String, List<String>> params) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    private static String pathOf(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static ResponseDefinition respond(ServeEvent event, int status, Map<String, Object> body) {
        // Start from the stub's definition so a delay or fault configured on it still applies.
        ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                .withStatus(status);
        if (!body.isEmpty() || status == 200) {
            builder.withHeader("Content-Type", "application/json;charset=UTF-8").withBody(MarketoJson.write(body));
        }
        return builder.build();
    }

}
