package dev.handoff.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.hubspot.HubSpotSetup.Item;
import dev.handoff.hubspot.HubSpotSetup.Status;
import org.junit.jupiter.api.Test;

class HubSpotSetupTest {

    private final FakeHubSpot hubspot = new FakeHubSpot();

    private HubSpotSetup setup(String... settings) {
        HubSpotConfig config = TestConfigs.config(settings);
        return new HubSpotSetup(TestConfigs.client(config, hubspot), config);
    }

    @Test
    void firstRunCreatesTheGroupAndEveryFeedbackProperty() {
        HubSpotSetup.Report report = setup().run();
        assertThat(report.items()).extracting(Item::name).containsExactly("handoff", "handoff_sales_status",
                "handoff_reject_reason", "handoff_reject_comment", "handoff_accepted_at", "handoff_sales_owner", "handoff_outcome",
                "handoff_outcome_amount", "handoff_sla_breached");
        assertThat(report.items()).extracting(Item::status).containsOnly(Status.CREATED);
        assertThat(report.ok()).isTrue();
        assertThat(hubspot.properties.get("handoff_reject_comment").path("fieldType").asText()).isEqualTo("textarea");
        assertThat(hubspot.properties.get("handoff_accepted_at").path("type").asText()).isEqualTo("datetime");
        assertThat(hubspot.properties.get("handoff_outcome_amount").path("type").asText()).isEqualTo("number");
        assertThat(hubspot.properties.get("handoff_sla_breached").path("type").asText()).isEqualTo("bool");
        assertThat(hubspot.properties.get("handoff_outcome").path("options").findValuesAsText("value"))
                .containsExactly("opportunity", "won", "lost");
        assertThat(hubspot.properties.get("handoff_sales_status").path("groupName").asText()).isEqualTo("handoff");
    }

    @Test
    void secondRunFindsEverythingAndChangesNothing() {
        setup().run();
        int calls = hubspot.sent.size();
        HubSpotSetup.Report again = setup().run();
        assertThat(again.items()).extracting(Item::status).containsOnly(Status.EXISTING);
        assertThat(again.count(Status.EXISTING)).isEqualTo(9);
        assertThat(hubspot.sent.subList(calls, hubspot.sent.size())).extracting(FakeHubSpot.Sent::path)
                .containsExactly("/crm/v3/properties/contacts/groups", "/crm/v3/properties/contacts");
    }

    @Test
    void aPropertyOfAnotherTypeIsReportedNeverChanged() {
        hubspot.withFeedbackProperties();
        HubSpotSetup.Report report = setup().run();
        assertThat(report.ok()).isFalse();
        assertThat(report.items()).filteredOn(i -> i.status() == Status.CONFLICT).extracting(Item::name)
                .containsExactly("handoff_accepted_at", "handoff_outcome", "handoff_outcome_amount");
        assertThat(report.items().get(4).line()).isEqualTo("property handoff_accepted_at: conflict (is of type string, Handoff "
                + "writes datetime; rename it or set handoff.hubspot.feedback.<role>)");
        assertThat(hubspot.properties.get("handoff_accepted_at").path("type").asText()).isEqualTo("string");
    }

    @Test
    void configuredNamesAreTheOnesCreated() {
        setup("handoff.hubspot.feedback.outcome", "mkt_deal_outcome").run();
        assertThat(hubspot.properties).containsKey("mkt_deal_outcome").doesNotContainKey("handoff_outcome");
    }

    @Test
    void aPropertyCreatedMeanwhileByAnotherRunCountsAsExisting() {
        hubspot.script(201, "{}");
        hubspot.script(200, "{\"results\":[]}");
        hubspot.withFeedbackProperties();
        HubSpotSetup.Report report = setup().run();
        assertThat(report.items()).extracting(Item::status).containsOnly(Status.CREATED, Status.EXISTING);
        assertThat(report.count(Status.EXISTING)).isEqualTo(7);
    }
}
