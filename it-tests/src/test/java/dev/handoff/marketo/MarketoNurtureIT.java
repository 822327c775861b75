package dev.handoff.marketo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.error.ConnectorException;
import dev.handoff.map.MapGateway;
import dev.handoff.transport.JdkHttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MarketoClient#addToList}, {@link MarketoClient#triggerCampaign} and {@link MarketoNurture} against the emulator. */
class MarketoNurtureIT {

    private static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
    private static final SalesforceEmulator.Settings SF = SalesforceEmulator.Settings.defaults();
    private static final MarketoEmulator.Settings MK = MarketoEmulator.Settings.defaults();

    private final VirtualClock clock = new VirtualClock(START);
    private Sandbox sandbox;
    private MarketoEmulator emulator;
    private int a;
    private int b;

    @BeforeEach
    void start() {
        sandbox = new Sandbox(clock, SF, MK, 0).start();
        emulator = sandbox.marketo();
        emulator.addList(1042, "Nurture");
        emulator.addCampaign(7, "Recycle");
        a = emulator.addLead(Map.of("email", "a@acme.example"), START);
        b = emulator.addLead(Map.of("email", "b@acme.example"), START);
    }

    @AfterEach
    void stop() {
        assertThat(sandbox.unmatchedRequests()).isEmpty();
        sandbox.close();
    }

    private Settings settings(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(sandbox.connectorProperties(SF, MK));
        p.putAll(overrides);
        return new Settings(p);
    }

    private MarketoClient client() {
        return new MarketoClient(MarketoConfig.from(settings(Map.of())), new JdkHttpTransport(Duration.ofSeconds(10)), clock);
    }

    @Test
    void addToListReportsEachLeadInInputOrder() {
        List<MarketoClient.ListResult> r = client().addToList(1042, List.of((long) b, 424_242L, (long) a));

        assertThat(r).extracting(MarketoClient.ListResult::id).containsExactly((long) b, 424_242L, (long) a);
        assertThat(r).extracting(MarketoClient.ListResult::ok).containsExactly(true, false, true);
        assertThat(r.get(1).reasonCode()).isEqualTo("1004");
        assertThat(emulator.listMembers(1042)).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void unknownListFailsTheCallWith1013() {
        assertThatThrownBy(() -> client().addToList(5, List.of((long) a)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage()).contains("static list 5"));
    }

    @Test
    void batchLimitsAreEnforcedBeforeAnyCall() {
        List<Long> many = java.util.stream.LongStream.rangeClosed(1, 301).boxed().toList();
        assertThatThrownBy(() -> client().addToList(1042, many)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client().triggerCampaign(7, many.subList(0, 101))).isInstanceOf(IllegalArgumentException.class);
        assertThat(emulator.apiCalls()).isZero();
    }

    @Test
    void triggerCampaignRequestsTheLeads() {
        client().triggerCampaign(7, List.of((long) a, (long) b));

        assertThat(emulator.campaignRequests(7)).containsExactly(a, b);
    }

    @Test
    void nurtureSendsToTheConfiguredCampaignAndFlagsDisqualifiedLeads() {
        Settings s = settings(Map.of(MarketoNurtureConfig.CAMPAIGN_KEY, "7"));
        MarketoConfig config = MarketoConfig.from(s);
        MarketoNurture nurture = new MarketoNurture(client(), config, MarketoNurtureConfig.from(s));

        assertThat(nurture.recycleTarget()).contains("campaign 7");
        assertThat(nurture.recycleBatchSize()).isEqualTo(100);
        assertThat(nurture.recycle(List.of(String.valueOf(a)))).extracting(MapGateway.FeedbackResult::ok).containsExactly(true);
        List<MapGateway.FeedbackResult> flagged = nurture.markDisqualified(List.of(String.valueOf(b), "424242"));

        assertThat(flagged).extracting(MapGateway.FeedbackResult::ok).containsExactly(true, false);
        assertThat(flagged.get(1).code()).isEqualTo("1004");
        assertThat(emulator.campaignRequests(7)).containsExactly(a);
        assertThat(emulator.lead(b).orElseThrow().get("handoffDisqualified")).isEqualTo(true);
    }

    @Test
    void listAndCampaignTogetherAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> MarketoNurtureConfig.from(settings(Map.of(MarketoNurtureConfig.LIST_KEY, "1042",
                MarketoNurtureConfig.CAMPAIGN_KEY, "7"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(MarketoNurtureConfig.CAMPAIGN_KEY));
        assertThatThrownBy(() -> MarketoNurtureConfig.from(settings(Map.of(MarketoNurtureConfig.LIST_KEY, "nurture"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(MarketoNurtureConfig.LIST_KEY));
        assertThat(MarketoNurtureConfig.from(settings(Map.of())).target()).isEmpty();
    }
}
