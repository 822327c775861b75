package dev.handoff.emulator.hubspot;

import static dev.handoff.emulator.hubspot.HubSpotHarness.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubSpotPropertiesIT {

    private static final String OUTCOME = "{\"name\":\"handoff_outcome\",\"label\":\"Outcome\",\"type\":\"enumeration\","
            + "\"fieldType\":\"select\",\"groupName\":\"handoff\",\"options\":[{\"label\":\"Opportunity\","
            + "\"value\":\"opportunity\"},{\"label\":\"Won\",\"value\":\"won\"},{\"label\":\"Lost\",\"value\":\"lost\"}]}";

    @Test
    void createdPropertyIsListedAndCreatingItAgainIs409() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            body(h.get("/crm/v3/properties/contacts/handoff_outcome"), 404);
            JsonNode noGroup = body(h.post("/crm/v3/properties/contacts", OUTCOME), 400);
            assertThat(noGroup.get("message").asText()).contains("handoff");

            JsonNode group = body(h.post("/crm/v3/properties/contacts/groups",
                    "{\"name\":\"handoff\",\"label\":\"Handoff\"}"), 201);
            assertThat(group.get("name").asText()).isEqualTo("handoff");
            assertThat(body(h.post("/crm/v3/properties/contacts/groups", "{\"name\":\"handoff\",\"label\":\"H\"}"), 409)
                    .get("category").asText()).isEqualTo("OBJECT_ALREADY_EXISTS");

            JsonNode created = body(h.post("/crm/v3/properties/contacts", OUTCOME), 201);
            assertThat(created.get("name").asText()).isEqualTo("handoff_outcome");
            assertThat(created.get("options")).hasSize(3);
            JsonNode again = body(h.post("/crm/v3/properties/contacts", OUTCOME), 409);
            assertThat(again.get("category").asText()).isEqualTo("OBJECT_ALREADY_EXISTS");

            JsonNode one = body(h.get("/crm/v3/properties/contacts/handoff_outcome"), 200);
            assertThat(one.get("type").asText()).isEqualTo("enumeration");
            assertThat(one.get("groupName").asText()).isEqualTo("handoff");
            List<String> names = new ArrayList<>();
            body(h.get("/crm/v3/properties/contacts"), 200).get("results").forEach(p -> names.add(p.get("name").asText()));
            assertThat(names).contains("email", "lastmodifieddate", "hs_object_id", "lifecyclestage", "handoff_outcome")
                    .doesNotContain("handoff_sales_status");
            assertThat(h.emulator.hasProperty("handoff_outcome")).isTrue();
        }
    }

    @Test
    void invalidDefinitionsAre400() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            body(h.post("/crm/v3/properties/contacts", "{\"name\":\"x_no_options\",\"label\":\"X\","
                    + "\"type\":\"enumeration\",\"fieldType\":\"select\",\"groupName\":\"contactinformation\"}"), 400);
            body(h.post("/crm/v3/properties/contacts", "{\"name\":\"x_number\",\"label\":\"X\","
                    + "\"type\":\"number\",\"fieldType\":\"textarea\",\"groupName\":\"contactinformation\"}"), 400);
            body(h.post("/crm/v3/properties/contacts", "{\"name\":\"Bad Name\",\"label\":\"X\","
                    + "\"type\":\"string\",\"fieldType\":\"text\",\"groupName\":\"contactinformation\"}"), 400);
            body(h.post("/crm/v3/properties/contacts", "{not json"), 400);
            JsonNode datetime = body(h.post("/crm/v3/properties/contacts", "{\"name\":\"handoff_accepted_at\","
                    + "\"label\":\"Accepted at\",\"type\":\"datetime\",\"fieldType\":\"date\","
                    + "\"groupName\":\"contactinformation\"}"), 201);
            assertThat(datetime.get("type").asText()).isEqualTo("datetime");
        }
    }
}
