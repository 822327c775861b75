package dev.handoff.emulator.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

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
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful emulator of the HubSpot CRM v3 API (contacts search and batch, contact properties and
 * groups) for one account with one private-app token, enforcing the published limits so that a
 * connector which passes against it behaves on a real account: the rolling ten-second burst limit
 * (with the {@code X-HubSpot-RateLimit-*} headers), the per-second search limit, at most
 * {@link Settings#maxBatch()} inputs per batch call, and the cap on how deep one search query can
 * page. Every real change bumps {@code lastmodifieddate}, including the connector's own writes:
 * that echo is what an intake poller must not loop on.
 *
 * <p>It is a WireMock transformer and serve-event listener that claims only the stubs returned by
 * {@link #stubs()} ({@code /crm/v3/**}), so one server can host it beside other emulators.
 */
public final class HubSpotEmulator implements ResponseDefinitionTransformerV2, ServeEventListener {

    public static final String NAME = "hubspot-emulator";

    /** Credentials and limits of the emulated account. */
    public record Settings(String token, int burstLimit, Duration burstWindow, int searchPerSecond, int maxBatch,
                           int searchCap) {

        public Settings {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(burstWindow, "burstWindow");
            if (burstLimit < 1 || searchPerSecond < 1 || maxBatch < 1 || searchCap < 1 || burstWindow.isNegative()
                    || burstWindow.isZero()) {
                throw new IllegalArgumentException("limits must be positive: " + burstLimit + ", " + burstWindow
                        + ", " + searchPerSecond + ", " + maxBatch + ", " + searchCap);
            }
        }

        /** A Free/Starter private app: 100 calls per rolling 10 s, 5 searches a second. */
        public static Settings defaults() {
            return new Settings("handoff-hubspot-token", 100, Duration.ofSeconds(10), 5, 100, 10_000);
        }
    }

    /** Transient failures a {@link FaultPlan} can inject. */
    public enum InjectedFault {
        /** HTTP 429 TEN_SECONDLY_ROLLING although the client is within its limit. */
        RATE_LIMIT_429,
        /** HTTP 502 from the edge, with an HTML body. */
        BAD_GATEWAY_502,
        /** HTTP 503 with a JSON error body. */
        UNAVAILABLE_503,
        /** The TCP connection is reset before any response. */
        CONNECTION_RESET,
        /**
         * The response is held back for the plan's {@link FaultPlan#timeoutDelay() timeout delay}
         * (longer than the client's read timeout), then comes as a 504: the call did nothing.
         */
        TIMEOUT,
        /** HTTP 500 with HubSpot's JSON error body ({@code INTERNAL_ERROR}). */
        HTTP_500,
        /** HTTP 200 with a JSON body cut off in the middle. */
        MALFORMED_RESPONSE
    }

    private static final List<InjectedFault> FAULTS = List.of(InjectedFault.values());
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final String BASE = "/crm/v3";
    private static final Pattern CONTACT_BY_ID = Pattern.compile(BASE + "/objects/contacts/([^/]+)");
    private static final Pattern GROUP_BY_NAME = Pattern.compile(BASE + "/properties/contacts/groups/([^/]+)");
    private static final Pattern PROPERTY_BY_NAME = Pattern.compile(BASE + "/properties/contacts/([^/]+)");
    private static final String AUTH_MESSAGE = "Authentication credentials not found. This API supports OAuth 2.0 "
            + "authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/"
            + "oauth-overview";

    private final Clock worldClock;
    private final Clock rateClock;
    private final Settings settings;
    private final HubSpotPortal portal;

    private final Deque<Instant> burstCalls = new ArrayDeque<>();
    private final Deque<Instant> searchCalls = new ArrayDeque<>();

    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong rateLimitViolations = new AtomicLong();
    private final AtomicLong correlationSequence = new AtomicLong();
    private final Map<String, AtomicLong> callsByEndpoint = new ConcurrentHashMap<>();
    private final Map<InjectedFault, AtomicLong> faultsByKind = new ConcurrentHashMap<>();
    private volatile FaultPlan faults = FaultPlan.none();

    public HubSpotEmulator(Clock worldClock, Clock rateClock, Settings settings) {
        this.worldClock = Objects.requireNonNull(worldClock, "worldClock");
        this.rateClock = Objects.requireNonNull(rateClock, "rateClock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.portal = new HubSpotPortal(settings.searchCap());
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** The stub that routes CRM v3 traffic to this emulator; add it to the server. */
    public List<StubMapping> stubs() {
        return List.of(any(urlPathMatching("/crm/v3(/.*)?"))
                .willReturn(aResponse().withTransformers(NAME))
                .withServeEventListener(NAME, Parameters.empty())
                .build());
    }

    @Override
    public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
        // Nothing to release: HubSpot limits requests per window, not requests in flight.
    }

    public Settings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- fault injection

    /**
     * Faults calls from now on as {@code plan} decides; {@link FaultPlan#none()} turns injection
     * off. An injected 429 is the platform's doing, not a limit the client broke: it is counted in
     * {@link #faultsInjected()}, never in {@link #rateLimitViolations()}, and uses no rate window.
     */
    public void setFaults(FaultPlan plan) {
        faults = Objects.requireNonNull(plan, "plan");
    }

    public long faultsInjected() {
        return faultsByKind.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public Map<InjectedFault, Long> faultsInjectedByKind() {
        Map<InjectedFault, Long> out = new EnumMap<>(InjectedFault.class);
        faultsByKind.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private Optional<ResponseDefinition> inject(ServeEvent event, String correlationId) {
        Optional<FaultPlan.Injection<InjectedFault>> injected = faults.next(FAULTS);
        if (injected.isEmpty()) {
            return Optional.empty();
        }
        InjectedFault kind = injected.get().kind();
        faultsByKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        return Optional.of(switch (kind) {
            case RATE_LIMIT_429 -> respond(event, 429, rateLimitBody(correlationId, "TEN_SECONDLY_ROLLING"),
                    Map.of());
            case BAD_GATEWAY_502 -> ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withStatus(502).withHeader("Content-Type", "text/html")
                    .withBody("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
                            + "</h1></center></body></html>").build();
            case UNAVAILABLE_503 -> respond(event, 503, new HubSpotError(503, "SERVICE_UNAVAILABLE",
                    "The service is temporarily unavailable. Please try again later.").body(correlationId), Map.of());
            case CONNECTION_RESET -> ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            case TIMEOUT -> ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withStatus(504).withHeader("Content-Type", "text/html")
                    .withBody("<html><body><h1>504 Gateway Time-out</h1></body></html>")
                    .withFixedDelay((int) faults.timeoutDelay().toMillis()).build();
            case HTTP_500 -> respond(event, 500, new HubSpotError(500, "INTERNAL_ERROR",
                    "internal error").body(correlationId), Map.of());
            case MALFORMED_RESPONSE -> {
                String whole = HubSpotJson.write(Map.of("status", "COMPLETE", "results", List.of(),
                        "startedAt", worldClock.instant().toString()));
                yield ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                        .withStatus(200).withHeader("Content-Type", "application/json;charset=utf-8")
                        .withBody(whole.substring(0, whole.length() / 2)).build();
            }
        });
    }

    // ---------------------------------------------------------------- state for tests and the demo

    /**
     * {@code leads} (one row per contact: id, email, every {@code handoff_*} feedback property,
     * lifecyclestage, hs_lead_status, lastmodifieddate), {@code calls}, {@code rate_limit_violations},
     * {@code calls_by_endpoint}, {@code faults_injected}, {@code faults_by_kind} and
     * {@code lifecycle_regressions} (API writes that moved a contact's lifecycle stage backwards).
     */
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("leads", portal.stateRows());
        state.put("calls", apiCalls());
        state.put("rate_limit_violations", rateLimitViolations());
        Map<String, Object> byEndpoint = new TreeMap<>();
        callsByEndpoint.forEach((k, v) -> byEndpoint.put(k, v.get()));
        state.put("calls_by_endpoint", byEndpoint);
        state.put("faults_injected", faultsInjected());
        Map<String, Object> byKind = new TreeMap<>();
        faultsByKind.forEach((k, v) -> byKind.put(k.name(), v.get()));
        state.put("faults_by_kind", byKind);
        state.put("lifecycle_regressions", portal.lifecycleRegressions());
        return state;
    }

    /** Every request to {@code /crm/v3}, including refused and faulted ones. */
    public long apiCalls() {
        return apiCalls.get();
    }

    /** 429s the client earned (burst or search limit); a well-behaved client keeps this at zero. */
    public long rateLimitViolations() {
        return rateLimitViolations.get();
    }

    /** Adds a contact as marketing would (form, import); its lastmodifieddate is createdAt unless given. */
    public String addContact(Map<String, String> properties, Instant createdAt) {
        return portal.add(properties, createdAt);
    }

    /**
     * Changes a contact as a marketer would, read-only analytics properties included; an empty
     * value clears one. lastmodifieddate moves to the world clock only when a value really changed.
     */
    public void updateContact(String id, Map<String, String> properties) {
        portal.update(Long.parseLong(id), properties, worldClock.instant());
    }

    /** All the contact's stored properties, createdate, lastmodifieddate and hs_object_id included. */
    public Optional<Map<String, String>> contact(String id) {
        try {
            return portal.contact(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public int contactCount() {
        return portal.size();
    }

    /** Whether the property exists (the {@code handoff_*} ones only once a client has created them). */
    public boolean hasProperty(String name) {
        return portal.hasProperty(name);
    }

    /**
     * Loads the demo generator's Marketo-shaped leads as contacts, in order of creation so that
     * ids grow with createdate as in a live account; see {@link DemoContacts} for the mapping.
     */
    public void seed(List<DemoLeadGenerator.SeedLead> leads) {
        List<DemoLeadGenerator.SeedLead> ordered = new ArrayList<>(leads);
        ordered.sort(Comparator.comparing(DemoLeadGenerator.SeedLead::createdAt));
        for (DemoLeadGenerator.SeedLead lead : ordered) {
            addContact(DemoContacts.properties(lead), lead.createdAt());
        }
    }

    // ---------------------------------------------------------------- HTTP

    private interface Handler {
        HubSpotPortal.Reply handle();
    }

    private record Route(String endpoint, boolean search, Handler handler, boolean methodAllowed) {
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        apiCalls.incrementAndGet();
        Request request = event.getRequest();
        String correlationId = new UUID(0x4875625370L, correlationSequence.incrementAndGet()).toString();
        Route route = route(request);
        count(route.endpoint());
        // Injected before authentication and admission: a faulted call changes no state at all.
        Optional<ResponseDefinition> injected = inject(event, correlationId);
        if (injected.isPresent()) {
            return injected.get();
        }
        if (!authenticated(request)) {
            return respond(event, 401, new HubSpotError(401, "INVALID_AUTHENTICATION", AUTH_MESSAGE)
                    .body(correlationId), Map.of());
        }
        Admission admission = admit(route.search());
        // HubSpot sends no rate-limit headers on search responses.
        Map<String, String> headers = route.search() ? Map.of() : admission.headers(settings);
        if (admission.refusedBy() != null) {
            rateLimitViolations.incrementAndGet();
            return respond(event, 429, rateLimitBody(correlationId, admission.refusedBy()), headers);
        }
        if (route.handler() == null) {
            return respond(event, 404, new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to route "
                    + request.getMethod().getName() + " " + pathOf(request.getUrl())).body(correlationId), headers);
        }
        if (!route.methodAllowed()) {
            return respond(event, 405, new HubSpotError(405, "VALIDATION_ERROR", "HTTP 405 Method Not Allowed")
                    .body(correlationId), headers);
        }
        try {
            HubSpotPortal.Reply reply = route.handler().handle();
            return respond(event, reply.status(), reply.body(), headers);
        } catch (HubSpotError e) {
            return respond(event, e.status(), e.body(correlationId), headers);
        }
    }

    private Route route(Request request) {
        String path = pathOf(request.getUrl());
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = request.getMethod().getName();
        boolean post = method.equals("POST");
        boolean get = method.equals("GET");
        switch (path) {
            case BASE + "/objects/contacts/search":
                return new Route("contacts.search", true, () -> portal.search(json(request)), post);
            case BASE + "/objects/contacts/batch/read":
                return new Route("contacts.batch.read", false,
                        () -> portal.batchRead(json(request), settings.maxBatch(), worldClock.instant()), post);
            case BASE + "/objects/contacts/batch/update":
                return new Route("contacts.batch.update", false,
                        () -> portal.batchUpdate(json(request), settings.maxBatch(), worldClock.instant()), post);
            case BASE + "/properties/contacts":
                if (post) {
                    return new Route("properties.create", false,
                            () -> portal.createProperty(json(request), worldClock.instant()), true);
                }
                return new Route("properties.list", false, portal::listProperties, get);
            case BASE + "/properties/contacts/groups":
                if (post) {
                    return new Route("groups.create", false, () -> portal.createGroup(json(request)), true);
                }
                return new Route("groups.list", false, portal::listGroups, get);
            default:
                break;
        }
        Matcher group = GROUP_BY_NAME.matcher(path);
        if (group.matches()) {
            return new Route("groups.get", false, () -> portal.getGroup(decode(group.group(1))), get);
        }
        Matcher property = PROPERTY_BY_NAME.matcher(path);
        if (property.matches()) {
            return new Route("properties.get", false, () -> portal.getProperty(decode(property.group(1))), get);
        }
        Matcher contact = CONTACT_BY_ID.matcher(path);
        if (contact.matches() && !contact.group(1).equals("batch")) {
            return new Route("contacts.get", false, () -> portal.getContact(decode(contact.group(1)),
                    queryList(request.getUrl(), "properties")), get);
        }
        return new Route("not_found", false, null, false);
    }

    private boolean authenticated(Request request) {
        HttpHeader header = request.header("Authorization");
        String value = header != null && header.isPresent() ? header.firstValue().trim() : "";
        return value.regionMatches(true, 0, "Bearer ", 0, 7) && value.substring(7).trim().equals(settings.token());
    }

    private static JsonNode json(Request request) {
        String contentType = request.contentTypeHeader() == null ? null : request.contentTypeHeader().mimeTypePart();
        if (contentType == null || !contentType.equalsIgnoreCase("application/json")) {
            throw new HubSpotError(415, "VALIDATION_ERROR", "HTTP 415 Unsupported Media Type: send "
                    + "Content-Type: application/json");
        }
        JsonNode root;
        try {
            root = HubSpotJson.MAPPER.readTree(request.getBody());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HubSpotError.validation("Invalid input JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HubSpotError.validation("Invalid input JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw HubSpotError.validation("Invalid input JSON: expected an object");
        }
        return root;
    }

    /** What the limiter decided: the policy that refused the call (or null) and the burst left. */
    private record Admission(String refusedBy, int remaining) {
        Map<String, String> headers(Settings settings) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(settings.burstWindow().toMillis()));
            h.put("X-HubSpot-RateLimit-Max", Integer.toString(settings.burstLimit()));
            h.put("X-HubSpot-RateLimit-Remaining", Integer.toString(remaining));
            return h;
        }
    }

    /**
     * Counts the call in the rolling windows (a refused call counts too, as hammering a limit
     * does not earn capacity) and says whether it is over the burst or the search limit.
     */
    private Admission admit(boolean search) {
        Instant now = rateClock.instant();
        synchronized (burstCalls) {
            prune(burstCalls, now.minus(settings.burstWindow()));
            boolean overBurst = burstCalls.size() >= settings.burstLimit();
            burstCalls.addLast(now);
            boolean overSearch = false;
            if (search) {
                prune(searchCalls, now.minus(SECOND));
                overSearch = searchCalls.size() >= settings.searchPerSecond();
                searchCalls.addLast(now);
            }
            int remaining = Math.max(0, settings.burstLimit() - burstCalls.size());
            return new Admission(overBurst ? "TEN_SECONDLY_ROLLING" : overSearch ? "SECONDLY" : null, remaining);
        }
    }

    private static void prune(Deque<Instant> calls, Instant windowStart) {
        while (!calls.isEmpty() && !calls.peekFirst().isAfter(windowStart)) {
            calls.pollFirst();
        }
    }

    private Map<String, Object> rateLimitBody(String correlationId, String policy) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", policy.equals("SECONDLY") ? "You have reached your secondly limit."
                : "You have reached your ten_secondly_rolling limit.");
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", correlationId);
        body.put("policyName", policy);
        body.put("groupName", policy.equals("SECONDLY") ? "crm-search:" + settings.token().hashCode()
                : "api-calls-burst:" + settings.token().hashCode());
        return body;
    }

    private void count(String endpoint) {
        callsByEndpoint.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
    }

    private static List<String> queryList(String url, String name) {
        List<String> out = new ArrayList<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && decode(pair.substring(0, eq)).equals(name)) {
                for (String v : decode(pair.substring(eq + 1)).split(",")) {
                    if (!v.isBlank()) {
                        out.add(v.trim());
                    }
                }
            }
        }
        return out;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String pathOf(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static ResponseDefinition respond(ServeEvent event, int status, Map<String, Object> body,
            Map<String, String> headers) {
        // Start from the stub's definition so a delay or fault configured on it still applies.
        ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                .withStatus(status)
                .withHeader("Content-Type", "application/json;charset=utf-8")
                .withBody(HubSpotJson.write(body));
        headers.forEach(builder::withHeader);
        return builder.build();
    }
}
