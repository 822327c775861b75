package dev.handoff.marketo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.config.Settings;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.transport.JdkHttpTransport;
import dev.handoff.transport.SystemCircuit;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MarketoGateway} reading leads from the Marketo emulator into the definition's field names. */
class MarketoGatewayIT {

    private static final Instant NOW = Instant.parse("2026-11-02T09:00:00Z");
    private static final SalesforceEmulator.Settings SF = SalesforceEmulator.Settings.defaults();
    private static final MarketoEmulator.Settings MK = MarketoEmulator.Settings.defaults();

    private final VirtualClock clock = new VirtualClock(NOW);
    private Sandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = new Sandbox(clock, SF, MK, 0).start();
    }

    @AfterEach
    void close() {
        try {
            assertThat(sandbox.unmatchedRequests()).isEmpty();
        } finally {
            sandbox.close();
        }
    }

    private MarketoGateway gateway(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(sandbox.connectorProperties(SF, MK));
        p.putAll(extra);
        MarketoConfig config = MarketoConfig.from(new Settings(p));
        return new MarketoGateway(new MarketoClient(config, new JdkHttpTransport(Duration.ofSeconds(5)), clock,
                SystemCircuit.alwaysClosed(MarketoClient.SYSTEM)), config);
    }

    @Test
    void theAcquisitionProgramIsTheLeadsCampaignAndALeadWithoutOneHasNone() {
        int withProgram = sandbox.marketo().addLead(Map.of("email", "ada@acme.example", "company", "Acme",
                "leadSource", "Webinar", "acquisitionProgramId", 2201), NOW.minusSeconds(60));
        int without = sandbox.marketo().addLead(Map.of("email", "bob@acme.example", "company", "Acme"), NOW.minusSeconds(30));

        Map<String, Map<String, String>> read = gateway(Map.of()).readLeads(
                List.of(String.valueOf(withProgram), String.valueOf(without)));

        assertThat(read.get(String.valueOf(withProgram))).containsEntry("campaign", "2201")
                .containsEntry("lead_source", "Webinar").containsEntry("email", "ada@acme.example");
        assertThat(read.get(String.valueOf(without)).get("campaign")).as("no program, no campaign").isNull();
    }

    @Test
    void theCampaignCanComeFromAnotherMarketoField() {
        int id = sandbox.marketo().addLead(Map.of("email", "cy@acme.example", "company", "Acme",
                "leadSource", "Paid Search", "acquisitionProgramId", 2201), NOW.minusSeconds(60));

        Map<String, String> lead = gateway(Map.of("handoff.marketo.field.campaign", "leadSource"))
                .readLeads(List.of(String.valueOf(id))).get(String.valueOf(id));

        assertThat(lead).containsEntry("campaign", "Paid Search");
    }
}
