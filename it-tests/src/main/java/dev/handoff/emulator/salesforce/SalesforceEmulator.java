package dev.handoff.emulator.salesforce;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Gzip;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.handoff.emulator.FaultPlan;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * A stateful emulator of one Salesforce org as seen through the SOAP Partner API and the OAuth
 * token endpoint: Leads, Contacts and the Accounts and Opportunities lead conversion opens,
 * per-record validation, SOQL with server-side cursors ({@code queryAll} also sees the recycle
 * bin), the daily API allocation (also reported in the {@code Sforce-Limit-Info} header), idle
 * session expiry, optional transient faults from a {@link FaultPlan}, and a sales team that
 * accepts, rejects and converts leads and closes their opportunities on the simulated world clock.
 */
public final class SalesforceEmulator implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "salesforce-emulator";

    static final String SOAPENV = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String PARTNER = "urn:partner.soap.sforce.com";
    static final String SOBJECT = "urn:sobject.partner.soap.sforce.com";
    static final String FAULT = "urn:fault.partner.soap.sforce.com";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    private static final String TOKEN_PATH = "/services/oauth2/token";
    private static final Pattern SOAP_PATH = Pattern.compile("/services/Soap/u/(\\d{1,3}\\.\\d)(/[A-Za-z0-9]{15,18})?/?");
    private static final int MAX_RECORDS_PER_WRITE = 200;
    private static final int DEFAULT_BATCH_SIZE = 2000;
    private static final Duration CURSOR_LIFETIME = Duration.ofDays(2);
    private static final Duration USAGE_WINDOW = Duration.ofHours(24);
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * What happens to an accepted Lead afterwards: with probability {@code conversionRate} a rep
     * converts it after a delay in [convertDelayMin, convertDelayMax]; the Opportunity that opens
     * closes won with probability {@code winRate} after a delay in [closeDelayMin, closeDelayMax].
     */
    public record Pipeline(double conversionRate, Duration convertDelayMin, Duration convertDelayMax,
                           String convertedStatus, double winRate, Duration closeDelayMin, Duration closeDelayMax) {

        public Pipeline {
            if (!(conversionRate >= 0 && conversionRate <= 1) || !(winRate >= 0 && winRate <= 1)) {
                throw new IllegalArgumentException("rates must be in [0,1]: " + conversionRate + ", " + winRate);
            }
            if (convertDelayMax.compareTo(convertDelayMin) < 0 || closeDelayMax.compareTo(closeDelayMin) < 0) {
                throw new IllegalArgumentException("a maximum delay is before its minimum");
            }
        }

        /** About a third of accepted leads convert within two weeks; three in ten deals are won. */
        public static Pipeline defaults() {
            return new Pipeline(0.35, Duration.ofDays(1), Duration.ofDays(14), "Closed - Converted", 0.3,
                    Duration.ofDays(14), Duration.ofDays(90));
        }
    }

    public record Settings(String clientId, String clientSecret, String username, String password,
                           Duration sessionTimeout, long dailyApiLimit, String acceptedStatus, String rejectedStatus,
                           List<String> rejectReasons, List<String> poorFitReasons, Duration repDelayMin,
                           Duration repDelayMax, long seed, Pipeline pipeline) {

        public Settings {
            rejectReasons = List.copyOf(rejectReasons);
            poorFitReasons = List.copyOf(poorFitReasons);
            if (repDelayMax.compareTo(repDelayMin) < 0) {
                throw new IllegalArgumentException("repDelayMax " + repDelayMax + " is before repDelayMin " + repDelayMin);
            }
            if (pipeline == null) {
                pipeline = Pipeline.defaults();
            }
        }

        /** An org with the default {@link Pipeline}. */
        public Settings(String clientId, String clientSecret, String username, String password, Duration sessionTimeout,
                        long dailyApiLimit, String acceptedStatus, String rejectedStatus, List<String> rejectReasons,
                        List<String> poorFitReasons, Duration repDelayMin, Duration repDelayMax, long seed) {
            this(clientId, clientSecret, username, password, sessionTimeout, dailyApiLimit, acceptedStatus, rejectedStatus,
                    rejectReasons, poorFitReasons, repDelayMin, repDelayMax, seed, Pipeline.defaults());
        }

        public static Settings defaults() {
            return new Settings("handoff-client", "handoff-secret", "integration@handoff.test", "pass",
                    Duration.ofHours(2), 15_000, "Working - Contacted", "Closed - Not Converted",
                    List.of("NOT_RIGHT_FIT", "NOT_RIGHT_SIZE", "WRONG_CONTACT", "NOT_INTERESTED", "NO_BUDGET",
                            "DUPLICATE", "OTHER"),
                    List.of("NOT_RIGHT_FIT", "NOT_RIGHT_SIZE"), Duration.ofMinutes(30), Duration.ofHours(5), 1);
        }

        /** The same org with sales reps who use these reasons and decide after these delays. */
        public Settings withReps(List<String> reasons, List<String> poorFit, Duration delayMin, Duration delayMax,
                long repSeed) {
            return new Settings(clientId, clientSecret, username, password, sessionTimeout, dailyApiLimit, acceptedStatus,
                    rejectedStatus, reasons, poorFit, delayMin, delayMax, repSeed, pipeline);
        }

        /** The same org whose accepted leads convert and close as {@code p} says. */
        public Settings withPipeline(Pipeline p) {
            return new Settings(clientId, clientSecret, username, password, sessionTimeout, dailyApiLimit, acceptedStatus,
                    rejectedStatus, rejectReasons, poorFitReasons, repDelayMin, repDelayMax, seed, p);
        }

        /**
         * The same org whose restricted {@code Reject_Reason__c} picklist holds exactly
         * {@code values} (e.g. one a definition needs is missing); reps pick only among them.
         */
        public Settings withRejectReasons(List<String> values) {
            return new Settings(clientId, clientSecret, username, password, sessionTimeout, dailyApiLimit, acceptedStatus,
                    rejectedStatus, values, poorFitReasons, repDelayMin, repDelayMax, seed, pipeline);
        }

        /** The same org with a daily API allocation of {@code limit} calls per rolling 24 hours. */
        public Settings withDailyApiLimit(long limit) {
            return new Settings(clientId, clientSecret, username, password, sessionTimeout, limit, acceptedStatus,
                    rejectedStatus, rejectReasons, poorFitReasons, repDelayMin, repDelayMax, seed, pipeline);
        }
    }

    /** Transient failures a {@link FaultPlan} can inject into SOAP calls. */
    public enum InjectedFault {
        /** Some records of a write fail with {@code UNABLE_TO_LOCK_ROW}; the others are saved. */
        RECORD_LOCK,
        /** Whole call refused: {@code REQUEST_LIMIT_EXCEEDED} (ConcurrentRequests). */
        CONCURRENT_REQUEST_LIMIT,
        /** Whole call refused: {@code SERVER_UNAVAILABLE}. */
        SERVER_UNAVAILABLE,
        /** HTTP 503 with an HTML maintenance page, as the load balancer sends it. */
        HTTP_503,
        /** The TCP connection is reset before any response. */
        CONNECTION_RESET,
        /**
         * The response is held back for the plan's {@link FaultPlan#timeoutDelay() timeout delay}
         * (longer than the client's read timeout), then comes as a 504: the call did nothing.
         */
        TIMEOUT,
        /** HTTP 500 with an HTML error page from the application server, no SOAP envelope. */
        HTTP_500,
        /**
         * The session ended early (an admin revoked it, or the org's idle timeout is shorter than
         * thought): {@code INVALID_SESSION_ID} and the session is gone. Only a session that has
         * already served a call expires this way.
         */
        SESSION_EXPIRED,
        /** HTTP 200 with a SOAP envelope cut off in the middle, as when a proxy truncates it. */
        MALFORMED_RESPONSE
    }

    private static final List<InjectedFault> CALL_FAULTS = List.of(InjectedFault.CONCURRENT_REQUEST_LIMIT,
            InjectedFault.SERVER_UNAVAILABLE, InjectedFault.HTTP_503, InjectedFault.CONNECTION_RESET,
            InjectedFault.TIMEOUT, InjectedFault.HTTP_500, InjectedFault.MALFORMED_RESPONSE);
    private static final List<InjectedFault> WRITE_FAULTS = List.of(InjectedFault.RECORD_LOCK,
            InjectedFault.CONCURRENT_REQUEST_LIMIT, InjectedFault.SERVER_UNAVAILABLE, InjectedFault.HTTP_503,
            InjectedFault.CONNECTION_RESET, InjectedFault.TIMEOUT, InjectedFault.HTTP_500,
            InjectedFault.MALFORMED_RESPONSE);
    private static final List<InjectedFault> AUTH_FAULTS = List.of(InjectedFault.HTTP_503,
            InjectedFault.CONNECTION_RESET);

    private record Cursor(SObjectSchema schema, List<FieldDef> select, List<Map<String, Object>> rows, int offset,
                          Instant createdAt) {
    }

    /** {@code served}: whether the session has answered a call yet. */
    private record Session(String token, Instant lastUsed, boolean served) {
    }

    private final Clock clock;
    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final SecureRandom tokens = new SecureRandom();
    private final String orgId = Ids.of("00D", 7001);
    private final String integrationUserId = Ids.of("005", 1);
    private final String leadQueueId = Ids.of("00G", 1);
    private final OrgStore store;
    private final SalesReps reps;
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, Cursor> cursors = new HashMap<>();
    private final Deque<Instant> usage = new ArrayDeque<>();
    private final Map<String, Long> callsByOperation = new TreeMap<>();
    private long cursorSequence;
    private long calls;
    private long authCalls;
    private long limitViolations;
    private FaultPlan faults = FaultPlan.none();
    private final Map<InjectedFault, Long> faultsByKind = new EnumMap<>(InjectedFault.class);

    public SalesforceEmulator(Clock worldClock, Settings settings) {
        this.clock = worldClock;
        this.settings = settings;
        this.reps = new SalesReps(settings);
        this.store = new OrgStore(integrationUserId, leadQueueId, settings.rejectReasons(),
                lead -> reps.schedule(lead, (Instant) lead.get("CreatedDate")));
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    public List<StubMapping> stubs() {
        return List.of(
                post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse().withTransformers(NAME)).build(),
                post(urlPathMatching(SOAP_PATH.pattern())).willReturn(aResponse().withTransformers(NAME)).build());
    }

    // ------------------------------------------------------------------ fault injection

    /** Faults calls from now on as {@code plan} decides; {@link FaultPlan#none()} turns injection off. */
    public void setFaults(FaultPlan plan) {
        Objects.requireNonNull(plan, "plan");
        lock.lock();
        try {
            faults = plan;
        } finally {
            lock.unlock();
        }
    }

    /** Calls answered with an injected fault (each {@link InjectedFault} counts once per call). */
    public long faultsInjected() {
        return locked(() -> faultsByKind.values().stream().mapToLong(Long::longValue).sum());
    }

    public Map<InjectedFault, Long> faultsInjectedByKind() {
        return locked(() -> Map.copyOf(faultsByKind));
    }

    // ------------------------------------------------------------------ inspection API

    public Map<String, Object> state() {
        lock.lock();
        try {
            reps.applyDue(clock.instant(), store);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("leads", leadRows());
            out.put("deleted_leads", store.all(SObjectSchema.LEAD).stream().filter(OrgStore::isDeleted).count());
            out.put("contacts", store.live(SObjectSchema.CONTACT).size());
            out.put("opportunities", store.live(SObjectSchema.OPPORTUNITY).size());
            out.put("calls", calls);
            out.put("auth_calls", authCalls);
            out.put("limit_violations", limitViolations);
            out.put("faults_injected", faultsByKind.values().stream().mapToLong(Long::longValue).sum());
            Map<String, Long> byKind = new TreeMap<>();
            faultsByKind.forEach((k, v) -> byKind.put(k.name(), v));
            out.put("faults_by_kind", byKind);
            out.put("api_usage", usedToday(clock.instant()));
            out.put("calls_by_operation", new TreeMap<>(callsByOperation));
            return out;
        } finally {
            lock.unlock();
        }
    }

    public long apiCalls() {
        return locked(() -> calls);
    }

    public long authCalls() {
        return locked(() -> authCalls);
    }

    public long limitViolations() {
        return locked(() -> limitViolations);
    }

    /** Calls of one SOAP operation ({@code upsert}, {@code queryAll}, {@code queryMore}…) so far. */
    public long callsTo(String operation) {
        return locked(() -> callsByOperation.getOrDefault(operation, 0L));
    }

    /** Live Leads, counted without building their rows (cheap enough to poll). */
    public int leadCount() {
        return locked(() -> store.live(SObjectSchema.LEAD).size());
    }

    /** Live Leads (deleted and merged-away ones are in the recycle bin, not here). */
    public List<Map<String, Object>> leads() {
        lock.lock();
        try {
            reps.applyDue(clock.instant(), store);
            return leadRows();
        } finally {
            lock.unlock();
        }
    }

    public long countLeadsWithExternalId(String externalId) {
        return locked(() -> (long) store.byExternalId(SObjectSchema.LEAD,
                SObjectSchema.LEAD.field("Handoff_External_Id__c").orElseThrow(), externalId).size());
    }

    public void addContact(String email, String firstName, String lastName) {
        lock.lock();
        try {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("Email", email);
            values.put("FirstName", firstName);
            values.put("LastName", lastName);
            store.insertDirect(SObjectSchema.CONTACT, values, SalesReps.REP_USER_IDS.get(0), clock.instant());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes a Lead as a user would in the UI: it moves to the recycle bin, so {@code query}
     * no longer returns it, {@code queryAll} does with {@code IsDeleted = true}, and upserts on its
     * external id create a new Lead.
     */
    public void deleteLead(String id) {
        lock.lock();
        try {
            Instant now = clock.instant();
            reps.applyDue(now, store);
            store.delete(SObjectSchema.LEAD, id, SalesReps.REP_USER_IDS.get(0), now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Merges the Lead {@code victimId} into {@code masterId} as the merge wizard does: the victim is
     * deleted with {@code MasterRecordId} = master, the master keeps its values and gets a new
     * {@code SystemModstamp}.
     */
    public void mergeLeads(String masterId, String victimId) {
        lock.lock();
        try {
            Instant now = clock.instant();
            reps.applyDue(now, store);
            store.merge(SObjectSchema.LEAD, masterId, victimId, SalesReps.REP_USER_IDS.get(0), now);
        } finally {
            lock.unlock();
        }
    }

    /** Opportunities opened by lead conversion, with their stage and outcome. */
    public List<Map<String, Object>> opportunities() {
        lock.lock();
        try {
            reps.applyDue(clock.instant(), store);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> o : store.live(SObjectSchema.OPPORTUNITY)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", o.get("Id"));
                row.put("name", o.get("Name"));
                row.put("stage", o.get("StageName"));
                row.put("is_closed", o.get("IsClosed"));
                row.put("is_won", o.get("IsWon"));
                row.put("amount", o.get("Amount"));
                row.put("close_date", format(o.get("CloseDate")));
                row.put("system_modstamp", format(o.get("SystemModstamp")));
                rows.add(row);
            }
            return rows;
        } finally {
            lock.unlock();
        }
    }

    /** When the next lead conversion or opportunity closing happens, if any is scheduled. */
    public Optional<Instant> nextPipelineEventDue() {
        lock.lock();
        try {
            reps.applyDue(clock.instant(), store);
            return reps.nextPipelineDue();
        } finally {
            lock.unlock();
        }
    }

    /** Conversions and opportunity closings scheduled but not yet happened. */
    public int pendingPipelineEvents() {
        lock.lock();
        try {
            reps.applyDue(clock.instant(), store);
            return reps.pipelineSize();
        } finally {
            lock.unlock();
        }
    }

    public Optional<Instant> nextDecisionDue() {
        lock.lock();
        try {
            reps.applyDue(clock.instant(), store);
            return reps.nextDue();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the {@code repIndex}-th emulated rep (0..4) decide {@code extra} later than the others,
     * from the next Lead created on: how a demo shows leads waiting past their SLA.
     */
    public void slowDownRep(int repIndex, Duration extra) {
        lock.lock();
        try {
            reps.slowDown(SalesReps.REP_USER_IDS.get(repIndex), extra);
        } finally {
            lock.unlock();
        }
    }

    public int pendingDecisions() {
        lock.lock();
        try {
            reps.applyDue(clock.instant(), store);
            return reps.size();
        } finally {
            lock.unlock();
        }
    }

    private List<Map<String, Object>> leadRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> r : store.live(SObjectSchema.LEAD)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.get("Id"));
            row.put("external_id", r.get("Handoff_External_Id__c"));
            row.put("email", r.get("Email"));
            row.put("first_name", r.get("FirstName"));
            row.put("last_name", r.get("LastName"));
            row.put("company", r.get("Company"));
            row.put("title", r.get("Title"));
            row.put("industry", r.get("Industry"));
            row.put("lead_source", r.get("LeadSource"));
            row.put("status", r.get("Status"));
            row.put("reject_reason", r.get("Reject_Reason__c"));
            row.put("reject_comment", r.get("Reject_Comment__c"));
            row.put("owner_id", r.get("OwnerId"));
            row.put("score", r.get("Handoff_Score__c"));
            row.put("grade", r.get("Handoff_Grade__c"));
            row.put("definition_version", r.get("Handoff_Definition_Version__c"));
            row.put("sla_breached", r.get("Handoff_SLA_Breached__c"));
            row.put("is_converted", r.get("IsConverted"));
            row.put("converted_opportunity_id", r.get("ConvertedOpportunityId"));
            row.put("created_date", format(r.get("CreatedDate")));
            row.put("system_modstamp", format(r.get("SystemModstamp")));
            rows.add(row);
        }
        return rows;
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ dispatch

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        String path = URI.create(request.getUrl()).getPath();
        lock.lock();
        try {
            Instant now = clock.instant();
            reps.applyDue(now, store);
            if (TOKEN_PATH.equals(path)) {
                if (faults.coversAuth()) {
                    Optional<FaultPlan.Injection<InjectedFault>> injected = faults.next(AUTH_FAULTS);
                    if (injected.isPresent()) {
                        authCalls++;
                        return injectedFault(injected.get(), "token");
                    }
                }
                return oauth(request, now);
            }
            Matcher m = SOAP_PATH.matcher(path);
            if (m.matches()) {
                return soap(request, m.group(1), now);
            }
            return ResponseDefinitionBuilder.responseDefinition().withStatus(404).build();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ OAuth

    private ResponseDefinition oauth(Request request, Instant now) {
        authCalls++;
        Map<String, String> form = parseForm(new String(body(request), StandardCharsets.UTF_8));
        String clientId = form.get("client_id");
        String clientSecret = form.get("client_secret");
        String basic = request.getHeader("Authorization");
        if (clientId == null && basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8)
                    .split(":", 2);
            clientId = pair[0];
            clientSecret = pair.length > 1 ? pair[1] : null;
        }
        String grant = form.getOrDefault("grant_type", "");
        boolean clientOk = settings.clientId().equals(clientId) && settings.clientSecret().equals(clientSecret);
        switch (grant) {
            case "client_credentials" -> {
                if (!clientOk) {
                    return oauthError("invalid_client", "invalid client credentials");
                }
            }
            case "password" -> {
                if (!clientOk) {
                    return oauthError("invalid_client", "invalid client credentials");
                }
                if (!settings.username().equals(form.get("username")) || !settings.password().equals(form.get("password"))) {
                    return oauthError("invalid_grant", "authentication failure");
                }
            }
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> {
                String problem = jwtProblem(form.get("assertion"), now);
                if (problem != null) {
                    return oauthError("invalid_grant", problem);
                }
            }
            default -> {
                return oauthError("unsupported_grant_type", "grant type not supported");
            }
        }
        String token = newSession(now);
        String base = baseUrl(request);
        String identity = base + "/id/" + orgId + "/" + integrationUserId;
        String issuedAt = Long.toString(now.toEpochMilli());
        String json = "{" + jsonField("access_token", token) + "," + jsonField("instance_url", base) + ","
                + jsonField("id", identity) + "," + jsonField("token_type", "Bearer") + ","
                + jsonField("issued_at", issuedAt) + "," + jsonField("signature", sign(identity + issuedAt)) + ","
                + jsonField("scope", "api") + "}";
        return json(200, json);
    }

    private volatile java.security.PublicKey jwtKey;
    private volatile String jwtAudience = "https://login.salesforce.com";

    /** Trusts JWT bearer assertions signed by the key whose certificate the connected app holds. */
    public void trustJwtSigner(java.security.PublicKey key, String audience) {
        this.jwtKey = key;
        this.jwtAudience = audience;
    }

    /** The checks Salesforce makes on a JWT bearer assertion; null when it is acceptable. */
    private String jwtProblem(String assertion, Instant now) {
        if (assertion == null || jwtKey == null) {
            return "invalid assertion";
        }
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return "invalid assertion";
        }
        try {
            java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
            verifier.initVerify(jwtKey);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "invalid signature";
            }
            com.fasterxml.jackson.databind.JsonNode header = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Base64.getUrlDecoder().decode(parts[0]));
            com.fasterxml.jackson.databind.JsonNode claims = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return "invalid assertion";
            }
            if (!settings.clientId().equals(claims.path("iss").asText())) {
                return "invalid client_id";
            }
            if (!jwtAudience.equals(claims.path("aud").asText())) {
                return "audience is invalid";
            }
            if (!settings.username().equals(claims.path("sub").asText())) {
                return "user hasn't approved this consumer";
            }
            if (claims.path("exp").asLong(0) < now.getEpochSecond()) {
                return "expired authorization code";
            }
            return null;
        } catch (java.security.GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
            return "invalid assertion";
        }
    }

    private ResponseDefinition oauthError(String error, String description) {
        return json(400, "{" + jsonField("error", error) + "," + jsonField("error_description", description) + "}");
    }

    /** Salesforce signs the identity URL + issued_at with the client secret (HMAC-SHA256). */
    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private String newSession(Instant now) {
        byte[] secret = new byte[36];
        tokens.nextBytes(secret);
        // Real access tokens are "<15-char org id>!<opaque>"; clients sometimes log the prefix.
        String token = orgId.substring(0, 15) + "!" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        sessions.put(token, new Session(token, now, false));
        return token;
    }

    // ------------------------------------------------------------------ SOAP

    private ResponseDefinition soap(Request request, String version, Instant now) {
        Document doc;
        try {
            doc = parse(body(request));
        } catch (Exception e) {
            return clientFault("Unable to parse the SOAP request: " + e.getMessage());
        }
        Element envelope = doc.getDocumentElement();
        if (!SOAPENV.equals(envelope.getNamespaceURI()) || !"Envelope".equals(envelope.getLocalName())) {
            return clientFault("Expected a SOAP 1.1 Envelope");
        }
        Element header = child(envelope, SOAPENV, "Header");
        Element body = child(envelope, SOAPENV, "Body");
        Element op = body == null ? null : firstElement(body);
        if (op == null || !PARTNER.equals(op.getNamespaceURI())) {
            return clientFault("No operation available for request "
                    + (op == null ? "<empty body>" : "{" + op.getNamespaceURI() + "}" + op.getLocalName()));
        }
        String operation = op.getLocalName();
        try {
            if (operation.equals("login")) {
                authCalls++;
                if (faults.coversAuth()) {
                    Optional<FaultPlan.Injection<InjectedFault>> injected = faults.next(CALL_FAULTS);
                    if (injected.isPresent()) {
                        return injectedFault(injected.get(), operation);
                    }
                }
                return ok(login(op, request, version, now), false);
            }
            calls++;
            callsByOperation.merge(operation, 1L, Long::sum);
            List<InjectedFault> eligible = WRITE_OPERATIONS.contains(operation) ? WRITE_FAULTS : CALL_FAULTS;
            String presented = sessionToken(header);
            Session current = presented == null ? null : sessions.get(presented);
            if (current != null && current.served()) {
                eligible = new ArrayList<>(eligible);
                eligible.add(InjectedFault.SESSION_EXPIRED);
            }
            Optional<FaultPlan.Injection<InjectedFault>> injected = faults.next(eligible);
            Random lockedRecords = null;
            if (injected.isPresent()) {
                if (injected.get().kind() == InjectedFault.SESSION_EXPIRED) {
                    sessions.remove(presented);
                }
                if (injected.get().kind() != InjectedFault.RECORD_LOCK) {
                    // Refused before the API looks at the request: no session touch, no allocation used.
                    return injectedFault(injected.get(), operation);
                }
                lockedRecords = injected.get().detail();
            }
            authenticate(header, now);
            admit(now);
            if (lockedRecords != null) {
                faultsByKind.merge(InjectedFault.RECORD_LOCK, 1L, Long::sum);
            }
            Random locks = lockedRecords;
            String result = switch (operation) {
                case "upsert" -> upsert(op, header, now, locks);
                case "create" -> create(op, header, now, locks);
                case "update" -> update(op, now, locks);
                case "query", "queryAll" -> query(operation, text(op, "queryString"), header, now);
                case "queryMore" -> queryMore(text(op, "queryLocator"), header, now);
                case "describeSObject" -> new SObjectDescriber(settings).describeSObject(text(op, "sObjectType"));
                case "describeSObjects" -> new SObjectDescriber(settings).describeSObjects(
                        children(op, PARTNER, "sObjectType").stream().map(e -> e.getTextContent().trim()).toList());
                case "getServerTimestamp" -> new XmlOut().open("getServerTimestampResponse").open("result")
                        .leaf("timestamp", DATETIME.format(now)).close("result")
                        .close("getServerTimestampResponse").toString();
                default -> null;
            };
            if (result == null) {
                return clientFault("No operation available for request {" + PARTNER + "}" + operation);
            }
            return ok(result, true);
        } catch (SoapFault fault) {
            return fault(fault);
        }
    }

    private static final Set<String> WRITE_OPERATIONS = Set.of("upsert", "create", "update");

    private ResponseDefinition injectedFault(FaultPlan.Injection<InjectedFault> injection, String operation) {
        InjectedFault kind = injection.kind();
        faultsByKind.merge(kind, 1L, Long::sum);
        return switch (kind) {
            case CONCURRENT_REQUEST_LIMIT -> fault(SoapFault.unexpected("REQUEST_LIMIT_EXCEEDED",
                    "ConcurrentRequests (Concurrent API Requests) Limit exceeded."));
            case SERVER_UNAVAILABLE -> fault(SoapFault.unexpected("SERVER_UNAVAILABLE",
                    "Server temporarily unavailable. Please try again later."));
            case SESSION_EXPIRED -> fault(SoapFault.invalidSession());
            case MALFORMED_RESPONSE -> {
                String whole = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + SOAPENV
                        + "\" xmlns=\"" + PARTNER + "\" xmlns:xsi=\"" + XSI + "\"><soapenv:Body><" + operation
                        + "Response><result><done>true</done><queryLocator xsi:nil=\"true\"/><size>1</size></result></"
                        + operation + "Response></soapenv:Body></soapenv:Envelope>";
                yield ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                        .withHeader("Content-Type", "text/xml; charset=utf-8")
                        .withBody(whole.substring(0, whole.indexOf("<result>") + 14).getBytes(StandardCharsets.UTF_8))
                        .build();
            }
            default -> transportFault(kind, faults.timeoutDelay());
        };
    }

    private static String sessionToken(Element header) {
        Element sessionHeader = header == null ? null : child(header, PARTNER, "SessionHeader");
        return sessionHeader == null ? null : text(sessionHeader, "sessionId");
    }

    /** Failures below the API (load balancer, network): no SOAP envelope, no limit header. */
    private ResponseDefinition transportFault(InjectedFault kind, java.time.Duration timeoutDelay) {
        if (kind == InjectedFault.CONNECTION_RESET) {
            return ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
        }
        if (kind == InjectedFault.TIMEOUT) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(504)
                    .withHeader("Content-Type", "text/html; charset=UTF-8")
                    .withBody("<html><body><h1>504 Gateway Time-out</h1></body></html>".getBytes(StandardCharsets.UTF_8))
                    .withFixedDelay((int) timeoutDelay.toMillis()).build();
        }
        if (kind == InjectedFault.HTTP_500) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(500)
                    .withHeader("Content-Type", "text/html; charset=UTF-8")
                    .withBody(("<!DOCTYPE html><html><head><title>Error 500</title></head><body><h1>Internal Server Error"
                            + "</h1></body></html>").getBytes(StandardCharsets.UTF_8)).build();
        }
        String html = "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>"
                + "<h1>Service Unavailable</h1><p>The server is temporarily unable to service your request due to "
                + "maintenance downtime or capacity problems. Please try again later.</p></body></html>";
        return ResponseDefinitionBuilder.responseDefinition().withStatus(503)
                .withHeader("Content-Type", "text/html; charset=UTF-8")
                .withBody(html.getBytes(StandardCharsets.UTF_8)).build();
    }

    private void authenticate(Element header, Instant now) {
        Element sessionHeader = header == null ? null : child(header, PARTNER, "SessionHeader");
        String token = sessionHeader == null ? null : text(sessionHeader, "sessionId");
        Session session = token == null ? null : sessions.get(token);
        if (session == null) {
            throw SoapFault.invalidSession();
        }
        if (now.isAfter(session.lastUsed().plus(settings.sessionTimeout()))) {
            sessions.remove(token);
            throw SoapFault.invalidSession();
        }
        sessions.put(token, new Session(token, now, true));
    }

    /** Rolling 24h allocation, as Salesforce meters it; refused calls do not consume it. */
    private void admit(Instant now) {
        if (usedToday(now) >= settings.dailyApiLimit()) {
            limitViolations++;
            throw SoapFault.unexpected("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        }
        usage.addLast(now);
    }

    private String login(Element op, Request request, String version, Instant now) {
        if (!settings.username().equals(text(op, "username")) || !settings.password().equals(text(op, "password"))) {
            throw SoapFault.login("Invalid username, password, security token; or user locked out.");
        }
        String token = newSession(now);
        String base = baseUrl(request);
        XmlOut x = new XmlOut().open("loginResponse").open("result")
                .leaf("metadataServerUrl", base + "/services/Soap/m/" + version + "/" + orgId)
                .leaf("passwordExpired", false)
                .leaf("sandbox", false)
                .leaf("serverUrl", base + "/services/Soap/u/" + version + "/" + orgId)
                .leaf("sessionId", token)
                .leaf("userId", integrationUserId)
                .open("userInfo")
                .leaf("accessibilityMode", false)
                .leaf("chatterExternal", false)
                .leaf("currencySymbol", "$")
                .leaf("orgAttachmentFileSizeLimit", 5242880)
                .leaf("orgDefaultCurrencyIsoCode", "USD")
                .leaf("orgDefaultCurrencyLocale", "en_US")
                .leaf("orgDisallowHtmlAttachments", false)
                .leaf("orgHasPersonAccounts", false)
                .leaf("organizationId", orgId)
                .leaf("organizationMultiCurrency", false)
                .leaf("organizationName", "Handoff Emulated Org")
                .leaf("profileId", Ids.of("00e", 1))
                .nil("roleId")
                .leaf("sessionSecondsValid", settings.sessionTimeout().toSeconds())
                .nil("userDefaultCurrencyIsoCode")
                .leaf("userEmail", settings.username())
                .leaf("userFullName", "Handoff Integration")
                .leaf("userId", integrationUserId)
                .leaf("userLanguage", "en_US")
                .leaf("userLocale", "en_US")
                .leaf("userName", settings.username())
                .leaf("userTimeZone", "America/Los_Angeles")
                .leaf("userType", "Standard")
                .leaf("userUiSkin", "Theme3")
                .close("userInfo").close("result").close("loginResponse");
        return x.toString();
    }

    // ------------------------------------------------------------------ writes

    private String upsert(Element op, Element header, Instant now, Random locks) {
        String keyName = text(op, "externalIDFieldName");
        List<InputSObject> batch = sObjects(op);
        if (batch.isEmpty()) {
            return new XmlOut().open("upsertResponse").close("upsertResponse").toString();
        }
        SObjectSchema schema = SObjectSchema.forName(batch.get(0).type()).orElseThrow(() -> SoapFault.invalidSObject(
                "sObject type '" + batch.get(0).type() + "' is not supported.", 0, 0));
        FieldDef key = null;
        if (keyName == null || !keyName.equalsIgnoreCase("Id")) {
            key = keyName == null ? null : schema.field(keyName).filter(FieldDef::externalId).orElse(null);
            if (key == null) {
                throw SoapFault.invalidField("Field name provided, " + keyName
                        + " is not an External ID or indexed field for " + schema.name(), 0, 0);
            }
        }
        FieldDef upsertKey = key;
        List<WriteResult> results = withLocks(batch, locks,
                writable -> store.upsert(schema, upsertKey, writable, now, useDefaultRule(header)));
        XmlOut x = new XmlOut().open("upsertResponse");
        for (WriteResult r : results) {
            x.open("result").leaf("created", r.created());
            errors(x, r);
            x.leaf("id", r.id()).leaf("success", r.success()).close("result");
        }
        return x.close("upsertResponse").toString();
    }

    private String create(Element op, Element header, Instant now, Random locks) {
        List<InputSObject> batch = sObjects(op);
        requireKnownTypes(batch);
        return saveResults("createResponse", withLocks(batch, locks,
                writable -> store.create(writable, now, useDefaultRule(header))));
    }

    private String update(Element op, Instant now, Random locks) {
        List<InputSObject> batch = sObjects(op);
        requireKnownTypes(batch);
        return saveResults("updateResponse", withLocks(batch, locks, writable -> store.update(writable, now)));
    }

    /**
     * Writes the records that are not locked; each locked one (at least one, chosen by
     * {@code locks}) fails alone with UNABLE_TO_LOCK_ROW and is left untouched, as when another
     * transaction holds the row.
     */
    private static List<WriteResult> withLocks(List<InputSObject> batch, Random locks,
                                               Function<List<InputSObject>, List<WriteResult>> write) {
        if (locks == null || batch.isEmpty()) {
            return write.apply(batch);
        }
        boolean[] locked = new boolean[batch.size()];
        boolean any = false;
        for (int i = 0; i < locked.length; i++) {
            locked[i] = locks.nextDouble() < 0.5;
            any |= locked[i];
        }
        if (!any) {
            locked[locks.nextInt(locked.length)] = true;
        }
        List<InputSObject> writable = new ArrayList<>();
        for (int i = 0; i < locked.length; i++) {
            if (!locked[i]) {
                writable.add(batch.get(i));
            }
        }
        Iterator<WriteResult> written = write.apply(writable).iterator();
        List<WriteResult> out = new ArrayList<>();
        for (boolean l : locked) {
            out.add(l ? WriteResult.failed(null, new RecordError(List.of(),
                    "unable to obtain exclusive access to this record", "UNABLE_TO_LOCK_ROW")) : written.next());
        }
        return out;
    }

    private static void requireKnownTypes(List<InputSObject> batch) {
        for (InputSObject in : batch) {
            if (SObjectSchema.forName(in.type()).isEmpty()) {
                throw SoapFault.invalidSObject("sObject type '" + in.type() + "' is not supported.", 0, 0);
            }
        }
    }

    private static String saveResults(String element, List<WriteResult> results) {
        XmlOut x = new XmlOut().open(element);
        for (WriteResult r : results) {
            x.open("result");
            errors(x, r);
            x.leaf("id", r.id()).leaf("success", r.success()).close("result");
        }
        return x.close(element).toString();
    }

    private static void errors(XmlOut x, WriteResult r) {
        for (RecordError e : r.errors()) {
            x.open("errors");
            for (String f : e.fields()) {
                x.leaf("fields", f);
            }
            x.leaf("message", e.message()).leaf("statusCode", e.statusCode()).close("errors");
        }
    }

    private boolean useDefaultRule(Element header) {
        Element h = header == null ? null : child(header, PARTNER, "AssignmentRuleHeader");
        if (h == null) {
            return false;
        }
        return "true".equals(text(h, "useDefaultRule")) || text(h, "assignmentRuleId") != null;
    }

    /** Reads sObjects in wire order; the 200-record cap fails the whole call before anything is written. */
    private List<InputSObject> sObjects(Element op) {
        List<Element> elements = children(op, PARTNER, "sObjects");
        if (elements.size() > MAX_RECORDS_PER_WRITE) {
            limitViolations++;
            throw SoapFault.unexpected("EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 200 records into this call");
        }
        List<InputSObject> out = new ArrayList<>();
        for (Element so : elements) {
            String type = null;
            String id = null;
            List<String> toNull = new ArrayList<>();
            LinkedHashMap<String, String> values = new LinkedHashMap<>();
            for (Node n = so.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element e)) {
                    continue;
                }
                String name = e.getLocalName();
                boolean nil = "true".equals(e.getAttributeNS(XSI, "nil"));
                if (name.equals("type") && type == null) {
                    type = e.getTextContent().trim();
                } else if (name.equals("fieldsToNull")) {
                    toNull.add(e.getTextContent().trim());
                } else if (name.equals("Id")) {
                    String v = e.getTextContent().trim();
                    id = nil || v.isEmpty() ? id : v;
                } else if (!nil) {
                    // A nil field element leaves the value unchanged; clearing goes through fieldsToNull.
                    values.put(name, e.getTextContent());
                }
            }
            out.add(new InputSObject(type, List.copyOf(toNull), id, values));
        }
        return out;
    }

    // ------------------------------------------------------------------ queries

    private String query(String operation, String soql, Element header, Instant now) {
        Soql.Query q = Soql.parse(soql);
        List<Map<String, Object>> matches = new ArrayList<>();
        // query() never sees the recycle bin, whatever the WHERE clause says; queryAll() does.
        Iterable<Map<String, Object>> source = operation.equals("queryAll") ? store.all(q.schema())
                : store.live(q.schema());
        for (Map<String, Object> r : source) {
            if (q.where() == null || q.where().test(r)) {
                matches.add(r);
            }
        }
        // ORDER BY may name fields that are not selected, so sort before projecting.
        if (!q.orderBy().isEmpty()) {
            matches.sort(q.comparator());
        }
        if (q.limit() != null && matches.size() > q.limit()) {
            matches = matches.subList(0, q.limit());
        }
        List<Map<String, Object>> rows = matches.stream().map(r -> snapshot(r, q.select())).toList();
        Cursor cursor = new Cursor(q.schema(), q.select(), rows, 0, now);
        return page(operation + "Response", cursor, batchSize(header));
    }

    private String queryMore(String locator, Element header, Instant now) {
        Cursor cursor = locator == null ? null : cursors.remove(locator);
        if (cursor == null || now.isAfter(cursor.createdAt().plus(CURSOR_LIFETIME))) {
            throw SoapFault.invalidQueryLocator("invalid query locator");
        }
        return page("queryMoreResponse", cursor, batchSize(header));
    }

    private String page(String element, Cursor cursor, int batchSize) {
        int total = cursor.rows().size();
        int end = Math.min(total, cursor.offset() + batchSize);
        boolean done = end >= total;
        String locator = null;
        if (!done) {
            locator = Ids.of("0r8", ++cursorSequence);
            cursors.put(locator, new Cursor(cursor.schema(), cursor.select(), cursor.rows(), end, cursor.createdAt()));
        }
        XmlOut x = new XmlOut().open(element).open("result", "xsi:type", "QueryResult").leaf("done", done)
                .leaf("queryLocator", locator);
        for (Map<String, Object> row : cursor.rows().subList(cursor.offset(), end)) {
            x.open("records", "xsi:type", "sf:sObject").leaf("sf:type", cursor.schema().name())
                    .leaf("sf:Id", row.get("Id"));
            for (FieldDef f : cursor.select()) {
                x.leaf("sf:" + f.name(), wireValue(f, row.get(f.name())));
            }
            x.close("records");
        }
        return x.leaf("size", total).close("result").close(element).toString();
    }

    /** Rows are copied at query time so that later writes do not shift an open cursor. */
    private static Map<String, Object> snapshot(Map<String, Object> record, List<FieldDef> select) {
        Map<String, Object> row = new HashMap<>();
        row.put("Id", record.get("Id"));
        for (FieldDef f : select) {
            row.put(f.name(), record.get(f.name()));
        }
        return row;
    }

    private static int batchSize(Element header) {
        Element options = header == null ? null : child(header, PARTNER, "QueryOptions");
        String value = options == null ? null : text(options, "batchSize");
        if (value == null) {
            return DEFAULT_BATCH_SIZE;
        }
        try {
            // Salesforce treats the requested size as a hint within 200..2000.
            return Math.max(200, Math.min(DEFAULT_BATCH_SIZE, Integer.parseInt(value.trim())));
        } catch (NumberFormatException e) {
            return DEFAULT_BATCH_SIZE;
        }
    }

    private static Object wireValue(FieldDef f, Object v) {
        if (v == null) {
            return null;
        }
        return switch (f.type()) {
            case DATETIME -> DATETIME.format((Instant) v);
            case DATE -> v.toString();
            case DOUBLE, CURRENCY -> Double.toString(((Number) v).doubleValue());
            default -> v;
        };
    }

    private static Object format(Object v) {
        if (v instanceof Instant i) {
            return DATETIME.format(i);
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        return v;
    }

    // ------------------------------------------------------------------ envelopes

    private ResponseDefinition ok(String bodyXml, boolean withLimitInfo) {
        XmlOut x = new XmlOut().raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .raw("<soapenv:Envelope xmlns:soapenv=\"" + SOAPENV + "\" xmlns=\"" + PARTNER + "\" xmlns:xsi=\"" + XSI
                        + "\" xmlns:sf=\"" + SOBJECT + "\">");
        if (withLimitInfo) {
            x.open("soapenv:Header").open("LimitInfoHeader").open("limitInfo").leaf("current", usedToday(clock.instant()))
                    .leaf("limit", settings.dailyApiLimit()).leaf("type", "API REQUESTS").close("limitInfo")
                    .close("LimitInfoHeader").close("soapenv:Header");
        }
        x.open("soapenv:Body").raw(bodyXml).close("soapenv:Body").close("soapenv:Envelope");
        return xml(200, x.toString());
    }

    private ResponseDefinition fault(SoapFault f) {
        XmlOut x = new XmlOut().raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .raw("<soapenv:Envelope xmlns:soapenv=\"" + SOAPENV + "\" xmlns:sf=\"" + FAULT + "\" xmlns:xsi=\""
                        + XSI + "\">")
                .open("soapenv:Body").open("soapenv:Fault")
                .leaf("faultcode", "sf:" + f.exceptionCode)
                .leaf("faultstring", f.faultString())
                .open("detail")
                .open("sf:" + f.detailType, "xsi:type", "sf:" + f.detailType)
                .leaf("sf:exceptionCode", f.exceptionCode)
                .leaf("sf:exceptionMessage", f.getMessage());
        if (f.row != null) {
            x.leaf("sf:row", f.row).leaf("sf:column", f.column);
        }
        x.close("sf:" + f.detailType).close("detail").close("soapenv:Fault").close("soapenv:Body")
                .close("soapenv:Envelope");
        return xml(500, x.toString());
    }

    private ResponseDefinition clientFault(String message) {
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + SOAPENV
                + "\"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>"
                + XmlOut.escape(message) + "</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
        return xml(500, envelope);
    }

    /** Every answer of the API itself carries the org's daily usage, as REST responses do. */
    private ResponseDefinition xml(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "text/xml; charset=utf-8")
                .withHeader("Sforce-Limit-Info", "api-usage=" + usedToday(clock.instant()) + "/" + settings.dailyApiLimit())
                .withBody(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    /** Calls counted against the rolling 24-hour allocation at {@code now}. */
    private int usedToday(Instant now) {
        while (!usage.isEmpty() && !usage.peekFirst().isAfter(now.minus(USAGE_WINDOW))) {
            usage.pollFirst();
        }
        return usage.size();
    }

    private static ResponseDefinition json(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json;charset=UTF-8")
                .withHeader("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
                .withBody(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    // ------------------------------------------------------------------ helpers

    /** WSC gzips request bodies; depending on the WireMock version the body may already be inflated. */
    private static byte[] body(Request request) {
        byte[] raw = request.getBody();
        if (raw == null) {
            return new byte[0];
        }
        return Gzip.isGzipped(raw) ? Gzip.unGzip(raw) : raw;
    }

    /** One parser per server thread: the factory lookup and the parser's set-up happen once, not per request. */
    private static final ThreadLocal<DocumentBuilder> PARSERS = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // Salesforce refuses DTDs; refusing them here also rules out entity expansion attacks.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException("no namespace-aware XML parser", e);
        }
    });

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilder b = PARSERS.get();
        b.reset();
        b.setErrorHandler(null);
        return b.parse(new InputSource(new ByteArrayInputStream(xml)));
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    private static Element child(Element parent, String ns, String localName) {
        List<Element> all = children(parent, ns, localName);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> children(Element parent, String ns, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Text of a partner-namespace child, null when absent or nil. */
    private static String text(Element parent, String localName) {
        Element e = child(parent, PARTNER, localName);
        if (e == null || "true".equals(e.getAttributeNS(XSI, "nil"))) {
            return null;
        }
        return e.getTextContent();
    }

    private static String baseUrl(Request request) {
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.getHost() + ":" + request.getPort();
        }
        return "http://" + host;
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String jsonField(String name, String value) {
        return "\"" + name + "\":\"" + jsonEscape(value) + "\"";
    }

    private static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
