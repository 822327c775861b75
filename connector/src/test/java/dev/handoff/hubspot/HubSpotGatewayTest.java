package dev.handoff.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.map.MapGateway.Feedback;
import dev.handoff.map.MapGateway.FeedbackResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubSpotGatewayTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant ACCEPTED = Instant.parse("2026-11-21T08:15:30.5Z");

    private final FakeHubSpot hubspot = new FakeHubSpot().withFeedbackProperties();

    private HubSpotGateway gateway(String... settings) {
        HubSpotConfig config = TestConfigs.config(settings);
        return new HubSpotGateway(TestConfigs.client(config, hubspot), config);
    }

    private static Feedback accepted(String id) {
        return new Feedback(id, "Working - Contacted", null, null, ACCEPTED, "Sam Seller", null, null);
    }

    private static Feedback rejected(String id) {
        return new Feedback(id, "Closed - Not Converted", "NO_BUDGET", "Call again in Q3", null, "Sam Seller", null, null);
    }

    @Test
    void describesItselfWithHubSpotsLimits() {
        HubSpotGateway g = gateway("handoff.hubspot.write-batch-size", "50");
        assertThat(g.system()).isEqualTo("hubspot");
        assertThat(g.readBatchSize()).isEqualTo(100);
        assertThat(g.writeBatchSize()).isEqualTo(50);
    }

    @Test
    void leadsAreNormalizedFromContactProperties() {
        hubspot.contact("101", T, "email", " jane@acme.example ", "firstname", "Jane", "lastname", "Doe", "company", "Acme",
                "jobtitle", "VP Finance", "industry", "Software", "country", "US", "annualrevenue", "5.0E7",
                "numemployees", "1200.00", "hs_analytics_source", "ORGANIC_SEARCH", "phone", "555-0100");
        hubspot.contact("102", T, "email", "joe@beta.example", "annualrevenue", "12,000,000", "numemployees", "25-50",
                "company", "  ");
        Map<String, Map<String, String>> leads = gateway().readLeads(List.of("101", "102", "103"));
        assertThat(leads).containsOnlyKeys("101", "102");
        assertThat(leads.get("101")).containsExactlyInAnyOrderEntriesOf(Map.of("email", "jane@acme.example", "first_name", "Jane",
                "last_name", "Doe", "company", "Acme", "title", "VP Finance", "industry", "Software", "country", "US",
                "annual_revenue", "50000000", "employees", "1200", "lead_source", "ORGANIC_SEARCH"));
        assertThat(leads.get("102")).containsExactlyInAnyOrderEntriesOf(Map.of("email", "joe@beta.example",
                "annual_revenue", "12,000,000", "employees", "25-50"));
        assertThat(hubspot.sent("/batch/read")).singleElement().satisfies(s -> assertThat(s.body().path("properties").toString())
                .isEqualTo("[\"email\",\"firstname\",\"lastname\",\"company\",\"jobtitle\",\"industry\",\"country\","
                        + "\"annualrevenue\",\"numemployees\",\"hs_analytics_source\",\"hs_analytics_source_data_2\"]"));
    }

    @Test
    void remappedPropertiesAreReadUnderTheirNormalizedName() {
        hubspot.contact("5", T, "job_function", "CFO");
        assertThat(gateway("handoff.hubspot.field.title", "job_function").readLeads(List.of("5")).get("5"))
                .containsEntry("title", "CFO");
    }

    @Test
    void feedbackIsWrittenToTheFeedbackPropertiesAndNullsClearThem() {
        hubspot.contact("1", T, "lifecyclestage", "marketingqualifiedlead", "handoff_reject_reason", "OLD");
        List<FeedbackResult> results = gateway().writeFeedback(List.of(accepted("1")));
        assertThat(results).containsExactly(new FeedbackResult("1", true, "UPDATED", "updated"));
        Map<String, String> written = hubspot.contacts.get("1");
        assertThat(written).containsEntry("handoff_sales_status", "Working - Contacted")
                .containsEntry("handoff_reject_reason", "").containsEntry("handoff_reject_comment", "")
                .containsEntry("handoff_accepted_at", "2026-11-21T08:15:30.500Z")
                .containsEntry("handoff_sales_owner", "Sam Seller")
                .containsEntry("lifecyclestage", "salesqualifiedlead").containsEntry("hs_lead_status", "IN_PROGRESS")
                .doesNotContainKeys("handoff_outcome", "handoff_outcome_amount");
    }

    @Test
    void slaFlagSetsOnlyTheSlaBreachedPropertyAndLeavesTheVerdictFieldsAlone() {
        hubspot.properties.put("handoff_sla_breached", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("name", "handoff_sla_breached").put("type", "bool").put("fieldType", "booleancheckbox"));
        hubspot.contact("1", T, "lifecyclestage", "salesqualifiedlead", "handoff_sales_status", "Working - Contacted",
                "handoff_sales_owner", "Sam Seller");
        hubspot.contact("2", T, "lifecyclestage", "marketingqualifiedlead");
        List<FeedbackResult> results = gateway().flagSlaBreached(List.of("1", "2"));
        assertThat(results).containsExactly(new FeedbackResult("1", true, "UPDATED", "updated"),
                new FeedbackResult("2", true, "UPDATED", "updated"));
        assertThat(hubspot.contacts.get("1")).containsEntry("handoff_sla_breached", "true")
                .containsEntry("handoff_sales_status", "Working - Contacted").containsEntry("handoff_sales_owner", "Sam Seller")
                .containsEntry("lifecyclestage", "salesqualifiedlead");
        assertThat(hubspot.contacts.get("2")).containsEntry("handoff_sla_breached", "true")
                .containsEntry("lifecyclestage", "marketingqualifiedlead").doesNotContainKeys("handoff_sales_status");
    }

    @Test
    void outcomeIsWrittenLowerCaseWithAPlainAmountAndMovesTheStageToOpportunity() {
        hubspot.contact("1", T, "lifecyclestage", "salesqualifiedlead");
        hubspot.contact("2", T, "lifecyclestage", "salesqualifiedlead");
        gateway().writeFeedback(List.of(
                new Feedback("1", "Qualified", null, null, ACCEPTED, "Sam", "WON", new BigDecimal("125000.00")),
                new Feedback("2", "Qualified", null, null, ACCEPTED, "Sam", "OPPORTUNITY", null)));
        assertThat(hubspot.contacts.get("1")).containsEntry("handoff_outcome", "won").containsEntry("handoff_outcome_amount", "125000")
                .containsEntry("lifecyclestage", "opportunity");
        assertThat(hubspot.contacts.get("2")).containsEntry("handoff_outcome", "opportunity").containsEntry("handoff_outcome_amount", "");
    }

    @Test
    void rejectionSetsTheLeadStatusAndLeavesTheStageAloneByDefault() {
        hubspot.contact("1", T, "lifecyclestage", "marketingqualifiedlead");
        gateway().writeFeedback(List.of(rejected("1")));
        assertThat(hubspot.contacts.get("1")).containsEntry("hs_lead_status", "UNQUALIFIED")
                .containsEntry("handoff_reject_reason", "NO_BUDGET").containsEntry("handoff_reject_comment", "Call again in Q3")
                .containsEntry("handoff_accepted_at", "").containsEntry("lifecyclestage", "marketingqualifiedlead");
        assertThat(hubspot.sent("/batch/read")).as("nothing to move, nothing to read").isEmpty();
    }

    @Test
    void lifecycleStageNeverMovesBackwards() {
        hubspot.contact("1", T, "lifecyclestage", "customer");
        hubspot.contact("2", T, "lifecyclestage", "lead");
        hubspot.contact("3", T);
        hubspot.contact("4", T, "lifecyclestage", "salesqualifiedlead");
        hubspot.contact("5", T, "lifecyclestage", "998877");
        List<FeedbackResult> results = gateway().writeFeedback(List.of(accepted("1"), accepted("2"), accepted("3"), accepted("4"),
                accepted("5")));
        assertThat(results).allMatch(FeedbackResult::ok);
        assertThat(hubspot.contacts.get("1")).containsEntry("lifecyclestage", "customer").containsEntry("hs_lead_status", "IN_PROGRESS");
        assertThat(hubspot.contacts.get("2")).containsEntry("lifecyclestage", "salesqualifiedlead");
        assertThat(hubspot.contacts.get("3")).containsEntry("lifecyclestage", "salesqualifiedlead");
        assertThat(hubspot.contacts.get("5")).as("custom stage of unknown order").containsEntry("lifecyclestage", "998877");
        com.fasterxml.jackson.databind.JsonNode inputs = hubspot.sent("/batch/update").get(0).body().path("inputs");
        assertThat(inputs.get(0).path("properties").has("lifecyclestage")).isFalse();
        assertThat(inputs.get(3).path("properties").has("lifecyclestage")).as("already there").isFalse();
        assertThat(hubspot.sent("/batch/read")).singleElement().satisfies(s -> {
            assertThat(s.body().path("properties").toString()).isEqualTo("[\"lifecyclestage\"]");
            assertThat(s.body().path("inputs")).hasSize(5);
        });
        assertThat(hubspot.sent).hasSize(2);
    }

    @Test
    void backwardsMovesWhenAllowedNeedNoRead() {
        hubspot.contact("1", T, "lifecyclestage", "salesqualifiedlead");
        gateway("handoff.hubspot.lifecycle.rejected", "lead", "handoff.hubspot.lifecycle.allow-backwards", "true")
                .writeFeedback(List.of(rejected("1")));
        assertThat(hubspot.contacts.get("1")).containsEntry("lifecyclestage", "lead");
        assertThat(hubspot.sent("/batch/read")).isEmpty();
    }

    @Test
    void stageAndStatusSetToNoneAreNotWritten() {
        hubspot.contact("1", T, "lifecyclestage", "lead", "hs_lead_status", "NEW");
        gateway("handoff.hubspot.lifecycle.accepted", "none", "handoff.hubspot.lead-status.accepted", "none")
                .writeFeedback(List.of(accepted("1")));
        assertThat(hubspot.contacts.get("1")).containsEntry("lifecyclestage", "lead").containsEntry("hs_lead_status", "NEW");
        assertThat(hubspot.sent("/batch/read")).isEmpty();
    }

    @Test
    void aContactHubSpotNoLongerHasIsRefusedAloneAndTheRestIsWritten() {
        hubspot.contact("1", T).contact("3", T);
        List<FeedbackResult> results = gateway().writeFeedback(List.of(accepted("1"), accepted("2"), rejected("3")));
        assertThat(results).extracting(FeedbackResult::mapId).containsExactly("1", "2", "3");
        assertThat(results).extracting(FeedbackResult::ok).containsExactly(true, false, true);
        assertThat(results.get(1).code()).isEqualTo("OBJECT_NOT_FOUND");
    }

    @Test
    void aMissingFeedbackPropertyStopsTheBatchForTheAdminInsteadOfQuarantiningEveryLead() {
        hubspot.properties.remove("handoff_sales_owner");
        hubspot.contact("1", T).contact("2", T);
        assertThatThrownBy(() -> gateway().writeFeedback(List.of(accepted("1"), accepted("2"))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo(ErrorClass.FATAL);
                    assertThat(e.code()).isEqualTo("PROPERTY_DOESNT_EXIST");
                    assertThat(e.getMessage()).contains("handoff_sales_owner", "handoff setup hubspot");
                });
    }

    @Test
    void renamedFeedbackPropertiesAreWritten() {
        hubspot.properties.put("mkt_sales_verdict", hubspot.properties.get("handoff_sales_status"));
        hubspot.contact("1", T);
        gateway("handoff.hubspot.feedback.sales_status", "mkt_sales_verdict").writeFeedback(List.of(accepted("1")));
        assertThat(hubspot.contacts.get("1")).containsEntry("mkt_sales_verdict", "Working - Contacted")
                .doesNotContainKey("handoff_sales_status");
    }

    @Test
    void nothingToWriteMakesNoCall() {
        assertThat(gateway().writeFeedback(List.of())).isEmpty();
        assertThat(hubspot.sent).isEmpty();
    }

    @Test
    void numbersArePlainDecimals() {
        assertThat(dev.handoff.map.MapValues.plainNumber(new BigDecimal("5.0E7"))).isEqualTo("50000000");
        assertThat(dev.handoff.map.MapValues.plainNumber(new BigDecimal("1234.5600"))).isEqualTo("1234.56");
        assertThat(HubSpotGateway.datetime(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
    }
}
