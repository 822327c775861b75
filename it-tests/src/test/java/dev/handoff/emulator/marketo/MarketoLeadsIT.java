package dev.handoff.emulator.marketo;

import static dev.handoff.emulator.marketo.MarketoHarness.START;
import static dev.handoff.emulator.marketo.MarketoHarness.assertSuccess;
import static dev.handoff.emulator.marketo.MarketoHarness.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MarketoLeadsIT {

    private final MarketoHarness m = new MarketoHarness();
    private final List<Integer> ids = new ArrayList<>();

    @BeforeEach
    void seed() {
        for (int i = 0; i < 301; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("email", "person" + i + "@acme.example");
            fields.put("firstName", "Person");
            fields.put("lastName", "Number" + i);
            fields.put("company", "Acme");
            fields.put("annualRevenue", 25_000_000);
            ids.add(m.emulator.addLead(fields, START.minus(Duration.ofDays(3))));
        }
    }

    @AfterEach
    void stop() {
        m.close();
    }

    @Test
    void getsUpTo300LeadsByIdWithDefaultFields() {
        String list = ids.subList(0, 300).stream().map(String::valueOf).collect(Collectors.joining(","));

        JsonNode r = m.get("/rest/v1/leads.json?filterType=id&filterValues=" + list);

        assertSuccess(r);
        assertThat(r.get("result")).hasSize(300);
        JsonNode first = r.get("result").get(0);
        assertThat(first.get("id").asInt()).isEqualTo(ids.get(0));
        assertThat(first.get("email").asText()).isEqualTo("person0@acme.example");
        assertThat(first.get("createdAt").asText()).isEqualTo("2026-10-30T09:00:00Z");
        assertThat(first.has("company")).as("company is not a default field").isFalse();
        assertThat(r.has("nextPageToken")).isFalse();
    }

    @Test
    void rejects301FilterValuesWith1003() {
        String list = ids.stream().map(String::valueOf).collect(Collectors.joining(","));

        assertThat(errorCode(m.get("/rest/v1/leads.json?filterType=id&filterValues=" + list))).isEqualTo("1003");
    }

    @Test
    void pagesFilterResultsWithBatchSize() {
        String list = ids.subList(0, 5).stream().map(String::valueOf).collect(Collectors.joining(","));

        JsonNode first = m.get("/rest/v1/leads.json?filterType=id&batchSize=3&filterValues=" + list);
        JsonNode second = m.get("/rest/v1/leads.json?filterType=id&batchSize=3&filterValues=" + list
                + "&nextPageToken=" + first.get("nextPageToken").asText());

        assertThat(first.get("result")).hasSize(3);
        assertThat(second.get("result")).hasSize(2);
        assertThat(second.get("result").get(1).get("id").asInt()).isEqualTo(ids.get(4));
        assertThat(second.has("nextPageToken")).isFalse();
    }

    @Test
    void selectsRequestedFieldsAndRejectsUnknownOnes() {
        JsonNode r = m.get("/rest/v1/leads.json?filterType=email&filterValues=PERSON7@acme.example"
                + "&fields=email,company,annualRevenue,handoffSalesStatus");
        JsonNode unknown = m.get("/rest/v1/leads.json?filterType=email&filterValues=person7@acme.example"
                + "&fields=email,shoeSize");

        assertThat(r.get("result")).hasSize(1);
        JsonNode lead = r.get("result").get(0);
        assertThat(lead.get("company").asText()).isEqualTo("Acme");
        assertThat(lead.get("annualRevenue").asLong()).isEqualTo(25_000_000L);
        assertThat(lead.has("handoffSalesStatus")).as("absent values are omitted").isFalse();
        assertThat(errorCode(unknown)).isEqualTo("1006");
        assertThat(unknown.get("errors").get(0).get("message").asText()).isEqualTo("Field 'shoeSize' not found");
    }

    @Test
    void acceptsTheQueryInAFormBodyWithMethodOverride() {
        JsonNode r = m.postForm("/rest/v1/leads.json?_method=GET",
                "filterType=email&filterValues=" + URLEncoder.encode("person1@acme.example,person2@acme.example",
                        StandardCharsets.UTF_8) + "&fields=email,lastName");

        assertSuccess(r);
        assertThat(r.get("result")).extracting(l -> l.get("lastName").asText()).containsExactly("Number1", "Number2");
    }

    @Test
    void getsOneLeadById() {
        JsonNode r = m.get("/rest/v1/lead/" + ids.get(3) + ".json?fields=email,company");
        JsonNode none = m.get("/rest/v1/lead/99999999.json");

        assertThat(r.get("result").get(0).get("email").asText()).isEqualTo("person3@acme.example");
        assertSuccess(none);
        assertThat(none.get("result")).isEmpty();
    }

    @Test
    void updateOnlyUpdatesFieldsAndLogsAChangeDataValuePerRealChange() {
        String activitiesFrom = m.get("/rest/v1/activities/pagingtoken.json?sinceDatetime=2026-11-01T00:00:00Z")
                .get("nextPageToken").asText();
        m.world.advance(Duration.ofMinutes(5));

        JsonNode r = m.postJson("/rest/v1/leads.json", """
                {"action":"updateOnly","lookupField":"id","input":[
                  {"id":%d,"handoffSalesStatus":"Accepted","handoffAcceptedAt":"2026-11-02T09:05:00Z","company":"Acme"},
                  {"id":424242,"handoffSalesStatus":"Rejected"}]}""".formatted(ids.get(0)));

        assertSuccess(r);
        assertThat(r.get("result").get(0).get("id").asInt()).isEqualTo(ids.get(0));
        assertThat(r.get("result").get(0).get("status").asText()).isEqualTo("updated");
        assertThat(r.get("result").get(1).get("status").asText()).isEqualTo("skipped");
        assertThat(r.get("result").get(1).get("reasons").get(0).get("code").asText()).isEqualTo("1004");
        Map<String, Object> lead = m.emulator.lead(ids.get(0)).orElseThrow();
        assertThat(lead).containsEntry("handoffSalesStatus", "Accepted")
                .containsEntry("handoffAcceptedAt", "2026-11-02T09:05:00Z")
                .containsEntry("updatedAt", "2026-11-02T09:05:00Z");

        JsonNode changes = m.get("/rest/v1/activities.json?activityTypeIds=13&nextPageToken=" + activitiesFrom);
        assertThat(changes.get("result")).hasSize(2).allSatisfy(a -> {
            assertThat(a.get("leadId").asInt()).isEqualTo(ids.get(0));
            assertThat(attribute(a, "Reason")).isEqualTo("Web service API");
            assertThat(attribute(a, "Source")).isEqualTo("Web service API");
        });
        JsonNode status = changes.get("result").get(0);
        assertThat(status.get("primaryAttributeValue").asText()).isEqualTo("Handoff Sales Status");
        assertThat(attribute(status, "New Value")).isEqualTo("Accepted");
        assertThat(attribute(status, "Old Value")).isEmpty();
    }

    @Test
    void resyncingTheSameValuesWritesNoActivity() {
        String body = """
                {"action":"createOrUpdate","input":[{"email":"person5@acme.example","handoffSalesStatus":"Open"}]}""";
        m.postJson("/rest/v1/leads.json", body);
        m.world.advance(Duration.ofMinutes(1));
        String after = m.get("/rest/v1/activities/pagingtoken.json?sinceDatetime=" + m.world.instant())
                .get("nextPageToken").asText();

        JsonNode again = m.postJson("/rest/v1/leads.json", body);

        assertThat(again.get("result").get(0).get("status").asText()).isEqualTo("updated");
        assertThat(m.get("/rest/v1/activities.json?activityTypeIds=13&nextPageToken=" + after).has("result"))
                .isFalse();
    }

    @Test
    void createsNewLeadsAndReportsRecordLevelConflictsInInputOrder() {
        JsonNode r = m.postJson("/rest/v1/leads.json", """
                {"action":"createOnly","input":[
                  {"email":"new@acme.example","lastName":"New"},
                  {"email":"person1@acme.example","lastName":"Dup"},
                  {"id":5,"email":"x@acme.example"}]}""");

        assertThat(r.get("result").get(0).get("status").asText()).isEqualTo("created");
        assertThat(r.get("result").get(1).get("reasons").get(0).get("code").asText()).isEqualTo("1005");
        assertThat(r.get("result").get(2).get("reasons").get(0).get("code").asText()).isEqualTo("1003");
        int created = r.get("result").get(0).get("id").asInt();
        assertThat(m.emulator.lead(created)).hasValueSatisfying(l -> assertThat(l).containsEntry("lastName", "New"));
    }

    @Test
    void rejectsUnknownInputFieldsAndOversizedBatchesForTheWholeRequest() {
        JsonNode unknown = m.postJson("/rest/v1/leads.json", """
                {"input":[{"email":"a@acme.example"},{"email":"b@acme.example","favouriteColour":"blue"}]}""");
        StringBuilder big = new StringBuilder("{\"input\":[");
        for (int i = 0; i < 301; i++) {
            big.append(i == 0 ? "" : ",").append("{\"email\":\"bulk").append(i).append("@acme.example\"}");
        }
        JsonNode tooMany = m.postJson("/rest/v1/leads.json", big.append("]}").toString());

        assertThat(errorCode(unknown)).isEqualTo("1006");
        assertThat(errorCode(tooMany)).isEqualTo("1003");
        assertThat(m.get("/rest/v1/leads.json?filterType=email&filterValues=a@acme.example").get("result")).isEmpty();
    }

    @Test
    void rejectsInvalidJsonWrongMethodAndUnknownResources() {
        JsonNode badJson = m.postJson("/rest/v1/leads.json", "{\"input\":[");
        JsonNode wrongMethod = MarketoHarness.parse(m.send(HttpRequest.newBuilder(
                        URI.create(m.base() + "/rest/v1/leads/describe.json"))
                .header("Authorization", "Bearer " + m.token()).DELETE().build()).body());
        JsonNode missing = m.get("/rest/v1/nothing/here.json");

        assertThat(errorCode(badJson)).isEqualTo("609");
        assertThat(errorCode(wrongMethod)).isEqualTo("605");
        assertThat(errorCode(missing)).isEqualTo("610");
        assertThat(m.emulator.state()).extractingByKey("calls_by_endpoint")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("not_found");
    }

    @Test
    void describesEveryLeadFieldIncludingHandoffCustomFields() {
        JsonNode r = m.get("/rest/v1/leads/describe.json");

        List<String> names = new ArrayList<>();
        r.get("result").forEach(f -> {
            names.add(f.get("rest").get("name").asText());
            assertThat(f.has("id") && f.has("displayName") && f.has("dataType") && f.get("soap").has("name"))
                    .as(f.toString()).isTrue();
        });
        assertThat(names).contains("email", "annualRevenue", "handoffSalesStatus", "handoffRejectReason",
                "handoffRejectComment", "handoffAcceptedAt", "handoffSalesOwner");
    }

    @Test
    void stateListsLeadsWithFeedbackFieldsAndCallCounts() {
        m.postJson("/rest/v1/leads.json", """
                {"action":"updateOnly","input":[{"email":"person2@acme.example","handoffRejectReason":"NO_BUDGET"}]}""");

        Map<String, Object> state = m.emulator.state();

        assertThat(state).containsEntry("calls", 1L).containsEntry("auth_calls", 1L)
                .containsEntry("rate_limit_violations", 0L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> leads = (List<Map<String, Object>>) state.get("leads");
        assertThat(leads).hasSize(301);
        assertThat(leads.get(2)).containsEntry("id", ids.get(2)).containsEntry("email", "person2@acme.example")
                .containsEntry("handoffRejectReason", "NO_BUDGET");
    }

    private static String attribute(JsonNode activity, String name) {
        for (JsonNode a : activity.get("attributes")) {
            if (a.get("name").asText().equals(name)) {
                return a.get("value").asText();
            }
        }
        throw new AssertionError("no attribute " + name + " in " + activity);
    }
}
