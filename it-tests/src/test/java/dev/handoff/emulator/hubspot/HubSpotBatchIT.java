package dev.handoff.emulator.hubspot;

import static dev.handoff.emulator.hubspot.HubSpotHarness.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

class HubSpotBatchIT {

    private static final String READ = "/crm/v3/objects/contacts/batch/read";
    private static final String UPDATE = "/crm/v3/objects/contacts/batch/update";

    private static void addContacts(HubSpotHarness h, int n) {
        for (int i = 0; i < n; i++) {
            h.emulator.addContact(Map.of("email", "b" + i + "@acme.example", "lifecyclestage", "lead"),
                    HubSpotHarness.START);
        }
    }

    private static String readBody(int from, int toInclusive) {
        StringJoiner inputs = new StringJoiner(",");
        for (int id = from; id <= toInclusive; id++) {
            inputs.add("{\"id\":\"" + id + "\"}");
        }
        return "{\"properties\":[\"email\",\"lifecyclestage\"],\"inputs\":[" + inputs + "]}";
    }

    @Test
    void batchReadTakesOneHundredRefusesOneHundredOneAndReports207ForMissingIds() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            addContacts(h, 101);

            JsonNode hundred = body(h.post(READ, readBody(1, 100)), 200);
            assertThat(hundred.get("status").asText()).isEqualTo("COMPLETE");
            assertThat(hundred.get("results")).hasSize(100);
            assertThat(hundred.get("results").get(0).at("/properties/lifecyclestage").asText()).isEqualTo("lead");
            assertThat(hundred.has("errors")).isFalse();

            JsonNode tooMany = body(h.post(READ, readBody(1, 101)), 400);
            assertThat(tooMany.get("category").asText()).isEqualTo("VALIDATION_ERROR");

            JsonNode partial = body(h.post(READ, readBody(100, 103)), 207);
            assertThat(partial.get("results")).hasSize(2);
            assertThat(partial.get("numErrors").asInt()).isEqualTo(1);
            JsonNode error = partial.get("errors").get(0);
            assertThat(error.get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
            assertThat(error.at("/context/ids")).extracting(JsonNode::asText).containsExactly("102", "103");

            JsonNode byEmail = body(h.post(READ, "{\"idProperty\":\"email\",\"properties\":[\"email\"],"
                    + "\"inputs\":[{\"id\":\"B7@acme.example\"}]}"), 200);
            assertThat(byEmail.at("/results/0/id").asText()).isEqualTo("8");
        }
    }

    @Test
    void batchUpdateBumpsLastModifiedOnlyOnARealChange() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            addContacts(h, 2);
            h.world.advance(Duration.ofMinutes(5));

            JsonNode changed = body(h.post(UPDATE, "{\"inputs\":[{\"id\":\"1\",\"properties\":"
                    + "{\"lifecyclestage\":\"marketingqualifiedlead\",\"hs_lead_status\":\"IN_PROGRESS\"}},"
                    + "{\"id\":\"2\",\"properties\":{\"lifecyclestage\":\"lead\"}}]}"), 200);
            assertThat(changed.get("status").asText()).isEqualTo("COMPLETE");
            assertThat(changed.at("/results/0/properties/lifecyclestage").asText()).isEqualTo("marketingqualifiedlead");
            assertThat(h.emulator.contact("1").orElseThrow())
                    .containsEntry("lastmodifieddate", "2026-11-02T09:05:00.000Z")
                    .containsEntry("hs_lead_status", "IN_PROGRESS");
            assertThat(h.emulator.contact("2").orElseThrow())
                    .as("writing the value it already has is no change")
                    .containsEntry("lastmodifieddate", "2026-11-02T09:00:00.000Z");

            h.world.advance(Duration.ofMinutes(5));
            body(h.post(UPDATE, "{\"inputs\":[{\"id\":\"1\",\"properties\":{\"hs_lead_status\":\"IN_PROGRESS\"}}]}"),
                    200);
            assertThat(h.emulator.contact("1").orElseThrow()).containsEntry("lastmodifieddate",
                    "2026-11-02T09:05:00.000Z");

            body(h.post(UPDATE, "{\"inputs\":[{\"id\":\"1\",\"properties\":{\"hs_lead_status\":\"\"}}]}"), 200);
            assertThat(h.emulator.contact("1").orElseThrow()).doesNotContainKey("hs_lead_status")
                    .containsEntry("lastmodifieddate", "2026-11-02T09:10:00.000Z");
        }
    }

    @Test
    void feedbackPropertiesDoNotExistUntilCreatedAndUnknownIdsAreReportedPerInput() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            addContacts(h, 2);
            String update = "{\"inputs\":[{\"id\":\"1\",\"properties\":{\"handoff_sales_status\":\"Accepted\"}},"
                    + "{\"id\":\"2\",\"properties\":{\"lifecyclestage\":\"salesqualifiedlead\"}},"
                    + "{\"id\":\"999\",\"properties\":{\"lifecyclestage\":\"lead\"}}]}";

            JsonNode partial = body(h.post(UPDATE, update), 207);
            assertThat(partial.get("numErrors").asInt()).isEqualTo(2);
            assertThat(partial.get("results")).hasSize(1);
            assertThat(partial.at("/results/0/id").asText()).isEqualTo("2");
            JsonNode notFound = partial.get("errors").get(0);
            assertThat(notFound.get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
            assertThat(notFound.at("/context/ids/0").asText()).isEqualTo("999");
            JsonNode noProperty = partial.get("errors").get(1);
            assertThat(noProperty.get("category").asText()).isEqualTo("VALIDATION_ERROR");
            assertThat(noProperty.get("subCategory").asText()).isEqualTo("PROPERTY_DOESNT_EXIST");
            assertThat(noProperty.at("/errors/0/code").asText()).isEqualTo("PROPERTY_DOESNT_EXIST");
            assertThat(noProperty.at("/context/propertyName/0").asText()).isEqualTo("handoff_sales_status");
            assertThat(noProperty.at("/context/ids/0").asText()).isEqualTo("1");
            assertThat(h.emulator.contact("1").orElseThrow()).doesNotContainKey("handoff_sales_status");

            body(h.post("/crm/v3/properties/contacts/groups", "{\"name\":\"handoff\",\"label\":\"Handoff\"}"), 201);
            body(h.post("/crm/v3/properties/contacts", "{\"name\":\"handoff_sales_status\",\"label\":\"Sales status\","
                    + "\"type\":\"string\",\"fieldType\":\"text\",\"groupName\":\"handoff\"}"), 201);

            body(h.post(UPDATE, "{\"inputs\":[{\"id\":\"1\",\"properties\":{\"handoff_sales_status\":\"Accepted\"}}]}"),
                    200);
            assertThat(h.emulator.contact("1").orElseThrow()).containsEntry("handoff_sales_status", "Accepted");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> leads = (List<Map<String, Object>>) h.emulator.state().get("leads");
            assertThat(leads.get(0)).containsEntry("handoff_sales_status", "Accepted").containsEntry("id", "1");
        }
    }

    @Test
    void readOnlyAndInvalidValuesAreRefusedPerInput() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            addContacts(h, 1);
            JsonNode refused = body(h.post(UPDATE, "{\"inputs\":[{\"id\":\"1\",\"properties\":"
                    + "{\"lastmodifieddate\":\"0\",\"lifecyclestage\":\"hot\"}}]}"), 207);
            assertThat(refused.get("errors")).extracting(e -> e.get("subCategory").asText())
                    .containsExactly("READ_ONLY_VALUE", "INVALID_OPTION");
            body(h.post(UPDATE, "{\"inputs\":[{\"id\":\"1\",\"properties\":{}},{\"id\":\"1\",\"properties\":{}}]}"),
                    400);
        }
    }
}
