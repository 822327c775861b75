package dev.handoff.emulator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.handoff.emulator.hubspot.HubSpotEmulator;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Salesforce emulator and the marketing platform's (Marketo, HubSpot or both) on one loopback
 * WireMock server, plus {@code GET /sandbox/state} showing what the connector did to each.
 */
public final class Sandbox implements AutoCloseable {

    private static final long MARKETO_SEED_SALT = 0x4D61726B65746FL;
    private static final long HUBSPOT_SEED_SALT = 0x48756253706F74L;

    private final SalesforceEmulator salesforce;
    private final MarketoEmulator marketo;
    private final HubSpotEmulator hubspot;
    private final WireMockServer server;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final SentListener sent = new SentListener();

    /** Salesforce and Marketo. */
    public Sandbox(Clock worldClock, SalesforceEmulator.Settings salesforceSettings, MarketoEmulator.Settings marketoSettings,
            int port) {
        this(worldClock, salesforceSettings, java.util.Objects.requireNonNull(marketoSettings, "marketoSettings"), null,
                port);
    }

    /**
     * Salesforce with Marketo, HubSpot or both (a null settings leaves that platform out; at least
     * one must be present). Rate limits run on the system clock, as a connector really waits.
     */
    public Sandbox(Clock worldClock, SalesforceEmulator.Settings salesforceSettings, MarketoEmulator.Settings marketoSettings,
            HubSpotEmulator.Settings hubspotSettings, int port) {
        if (marketoSettings == null && hubspotSettings == null) {
            throw new IllegalArgumentException("a sandbox needs Marketo or HubSpot settings");
        }
        this.salesforce = new SalesforceEmulator(worldClock, salesforceSettings);
        this.marketo = marketoSettings == null ? null : new MarketoEmulator(worldClock, Clock.systemUTC(), marketoSettings);
        this.hubspot = hubspotSettings == null ? null : new HubSpotEmulator(worldClock, Clock.systemUTC(), hubspotSettings);
        StateTransformer state = new StateTransformer();
        List<com.github.tomakehurst.wiremock.extension.Extension> extensions = new ArrayList<>();
        extensions.add(sent);
        extensions.add(salesforce);
        if (marketo != null) {
            extensions.add(marketo);
        }
        if (hubspot != null) {
            extensions.add(hubspot);
        }
        extensions.add(state);
        this.server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .port(port)
                .containerThreads(32)
                .notifier(new Slf4jNotifier(false))
                .extensions(extensions.toArray(com.github.tomakehurst.wiremock.extension.Extension[]::new)));
    }

    /** Salesforce and HubSpot, without Marketo. */
    public static Sandbox withHubSpot(Clock worldClock, SalesforceEmulator.Settings salesforceSettings,
            HubSpotEmulator.Settings hubspotSettings, int port) {
        return new Sandbox(worldClock, salesforceSettings, null,
                java.util.Objects.requireNonNull(hubspotSettings, "hubspotSettings"), port);
    }

    public Sandbox start() {
        server.start();
        salesforce.stubs().forEach(server::addStubMapping);
        if (marketo != null) {
            marketo.stubs().forEach(server::addStubMapping);
        }
        if (hubspot != null) {
            hubspot.stubs().forEach(server::addStubMapping);
        }
        server.addStubMapping(get(urlPathEqualTo("/sandbox/state"))
                .willReturn(aResponse().withTransformers(StateTransformer.NAME)).build());
        return this;
    }

    /**
     * Injects transient faults into every emulator at {@code rate} per call (0 turns them off).
     * Each emulator draws from its own plan, so each one's faults are fixed by the seed and the
     * order of the calls it receives, however the streams of calls interleave.
     */
    public Sandbox injectFaults(double rate, long seed) {
        return injectFaults(new FaultPlan(rate, seed));
    }

    /**
     * Injects faults into every emulator as {@code plan} says (its rate, kinds, burst and timeout
     * delay), each emulator drawing from its own stream derived from the plan's seed.
     */
    public Sandbox injectFaults(FaultPlan plan) {
        salesforce.setFaults(plan);
        // A different stream per platform, so they are not faulted in lockstep.
        if (marketo != null) {
            marketo.setFaults(plan.withSeed(plan.seed() ^ MARKETO_SEED_SALT));
        }
        if (hubspot != null) {
            hubspot.setFaults(plan.withSeed(plan.seed() ^ HUBSPOT_SEED_SALT));
        }
        return this;
    }

    /**
     * Every fault kind some emulator can inject, by name: what {@link FaultPlan#onlyKinds} takes.
     * Kinds of the same name (e.g. {@code TIMEOUT}) fault every platform that has them.
     */
    public static java.util.SortedSet<String> faultKinds() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        for (Enum<?> k : SalesforceEmulator.InjectedFault.values()) {
            names.add(k.name());
        }
        for (Enum<?> k : MarketoEmulator.InjectedFault.values()) {
            names.add(k.name());
        }
        for (Enum<?> k : HubSpotEmulator.InjectedFault.values()) {
            names.add(k.name());
        }
        return names;
    }

    /**
     * Delays every response by {@code latency}, as a network round trip to the vendor would (0
     * turns it off). The delay comes after the emulator admitted the call and before the response
     * is sent, so it counts toward Marketo's concurrency limit as a slow real call does.
     */
    public Sandbox latency(java.time.Duration latency) {
        if (latency.isNegative() || latency.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("latency must be between 0 and " + Integer.MAX_VALUE + " ms: " + latency);
        }
        server.updateGlobalSettings(com.github.tomakehurst.wiremock.global.GlobalSettings.builder()
                .fixedDelay((int) latency.toMillis()).build());
        return this;
    }

    /**
     * Tells {@code listener} about every call once its response has been sent in full (after any
     * {@link #latency}), on the server's thread: the moment the caller has its answer. Null stops it.
     */
    public Sandbox onResponseSent(java.util.function.Consumer<ServeEvent> listener) {
        sent.listener = listener;
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public SalesforceEmulator salesforce() {
        return salesforce;
    }

    /** @throws IllegalStateException when this sandbox hosts no Marketo emulator */
    public MarketoEmulator marketo() {
        if (marketo == null) {
            throw new IllegalStateException("this sandbox hosts no Marketo emulator");
        }
        return marketo;
    }

    public boolean hasMarketo() {
        return marketo != null;
    }

    /** @throws IllegalStateException when this sandbox hosts no HubSpot emulator */
    public HubSpotEmulator hubspot() {
        if (hubspot == null) {
            throw new IllegalStateException("this sandbox hosts no HubSpot emulator");
        }
        return hubspot;
    }

    public boolean hasHubSpot() {
        return hubspot != null;
    }

    public WireMockServer server() {
        return server;
    }

    /** Connector properties that point at this sandbox. */
    public Map<String, String> connectorProperties(SalesforceEmulator.Settings sf, MarketoEmulator.Settings mk) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("handoff.marketo.base-url", baseUrl());
        p.put("handoff.marketo.client-id", mk.clientId());
        p.put("handoff.marketo.client-secret", mk.clientSecret());
        p.put("handoff.salesforce.token-url", baseUrl());
        p.put("handoff.salesforce.client-id", sf.clientId());
        p.put("handoff.salesforce.client-secret", sf.clientSecret());
        p.put("handoff.salesforce.accepted-statuses", sf.acceptedStatus());
        p.put("handoff.salesforce.rejected-statuses", sf.rejectedStatus());
        return p;
    }

    /** Connector properties that point the HubSpot client at this sandbox. */
    public Map<String, String> connectorProperties(SalesforceEmulator.Settings sf, HubSpotEmulator.Settings hs) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("handoff.hubspot.base-url", baseUrl());
        p.put("handoff.hubspot.token", hs.token());
        p.put("handoff.salesforce.token-url", baseUrl());
        p.put("handoff.salesforce.client-id", sf.clientId());
        p.put("handoff.salesforce.client-secret", sf.clientSecret());
        p.put("handoff.salesforce.accepted-statuses", sf.acceptedStatus());
        p.put("handoff.salesforce.rejected-statuses", sf.rejectedStatus());
        return p;
    }

    /** {@code salesforce}, and {@code marketo} and/or {@code hubspot} for the platforms hosted. */
    public Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("salesforce", salesforce.state());
        if (marketo != null) {
            s.put("marketo", marketo.state());
        }
        if (hubspot != null) {
            s.put("hubspot", hubspot.state());
        }
        return s;
    }

    public List<com.github.tomakehurst.wiremock.verification.LoggedRequest> unmatchedRequests() {
        return server.findAllUnmatchedRequests();
    }

    @Override
    public void close() {
        server.stop();
        if (marketo != null) {
            marketo.close();
        }
    }

    private static final class SentListener implements com.github.tomakehurst.wiremock.extension.ServeEventListener {
        volatile java.util.function.Consumer<ServeEvent> listener;

        @Override
        public void afterComplete(ServeEvent serveEvent, com.github.tomakehurst.wiremock.extension.Parameters parameters) {
            java.util.function.Consumer<ServeEvent> l = listener;
            if (l != null) {
                l.accept(serveEvent);
            }
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public String getName() {
            return "sandbox-response-sent";
        }
    }

    private final class StateTransformer implements ResponseDefinitionTransformerV2 {
        static final String NAME = "sandbox-state";

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            try {
                return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(json.writeValueAsString(state())).build();
            } catch (JsonProcessingException e) {
                return aResponse().withStatus(500).withBody(e.getMessage()).build();
            }
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

}
