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
                SystemCircuit.alwaysClosed(MarketoClient.SYSTEM)), config, clock);
    }

    @Test
    void theAcquisitionProgramIsTheLeadsCampaignByNameWithOneProgramListingAndALeadWithoutOneHasNone() {
        sandbox.marketo().addProgram(2201, "Webinar - Pipeline Math (Sep)");
        int withProgram = sandbox.marketo().addLead(Map.of("email", "ada@acme.example", "company", "Acme",
                "leadSource", "Webinar", "acquisitionProgramId", 2201), NOW.minusSeconds(60));
        int sameProgram = sandbox.marketo().addLead(Map.of("email", "eve@acme.example", "company", "Acme",
                "acquisitionProgramId", 2201), NOW.minusSeconds(50));
        int unknownProgram = sandbox.marketo().addLead(Map.of("email", "fay@acme.example", "company", "Acme",
                "acquisitionProgramId", 9999), NOW.minusSeconds(40));
        int without = sandbox.marketo().addLead(Map.of("email", "bob@acme.example", "company", "Acme"), NOW.minusSeconds(30));
        MarketoGateway gateway = gateway(Map.of());

        Map<String, Map<String, String>> read = gateway.readLeads(
                List.of(String.valueOf(withProgram), String.valueOf(unknownProgram), String.valueOf(without)));
        Map<String, String> later = gateway.readLeads(List.of(String.valueOf(sameProgram))).get(String.valueOf(sameProgram));

        assertThat(read.get(String.valueOf(withProgram))).containsEntry("campaign", "Webinar - Pipeline Math (Sep) (2201)")
                .containsEntry("lead_source", "Webinar").containsEntry("email", "ada@acme.example");
        assertThat(read.get(String.valueOf(unknownProgram))).as("a program Marketo does not list keeps its id")
                .containsEntry("campaign", "9999");
        assertThat(read.get(String.valueOf(without)).get("campaign")).as("no program, no campaign").isNull();
        assertThat(later).containsEntry("campaign", "Webinar - Pipeline Math (Sep) (2201)");
        assertThat(sandbox.marketo().callsTo("programs.browse")).as("one listing for every lead and read").isEqualTo(1);
    }

    @Test
    void withCampaignNamesOffTheCampaignIsTheProgramIdAndNoProgramIsListed() {
        sandbox.marketo().addProgram(2201, "Webinar - Pipeline Math (Sep)");
        int id = sandbox.marketo().addLead(Map.of("email", "ada@acme.example", "company", "Acme",
                "acquisitionProgramId", 2201), NOW.minusSeconds(60));

        Map<String, String> lead = gateway(Map.of("handoff.marketo.campaign-names", "false"))
                .readLeads(List.of(String.valueOf(id))).get(String.valueOf(id));

        assertThat(lead).containsEntry("campaign", "2201");
        assertThat(sandbox.marketo().callsTo("programs.browse")).isZero();
    }

    @Test
    void programsAreListedPageByPageAsTheAssetApiDoes() {
        for (int id = 1; id <= 3; id++) {
            sandbox.marketo().addProgram(id, "Program " + id);
        }
        MarketoClient client = new MarketoClient(MarketoConfig.from(new Settings(sandbox.connectorProperties(SF, MK))),
                new JdkHttpTransport(Duration.ofSeconds(5)), clock, SystemCircuit.alwaysClosed(MarketoClient.SYSTEM));

        assertThat(client.programs(0, 2)).extracting(p -> p.path("name").asText()).containsExactly("Program 1", "Program 2");
        assertThat(client.programs(2, 2)).extracting(p -> p.path("id").asInt()).containsExactly(3);
        assertThat(client.programs(3, 2)).as("past the last program: a warning, no result").isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> client.programs(0, 201),
                dev.handoff.error.ConnectorException.class).code()).isEqualTo("1003");
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
