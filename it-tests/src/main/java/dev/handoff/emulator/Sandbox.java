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
        salesforce.setFaults(new FaultPlan(rate, seed));
        // A different stream per platform, so they are not faulted in lockstep.
        if (marketo != null) {
            marketo.setFaults(new FaultPlan(rate, seed ^ MARKETO_SEED_SALT));
        }
        if (hubspot != null) {
            hubspot.setFaults(new FaultPlan(rate, seed ^ HUBSPOT_SEED_SALT));
        }
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
