package dev.handoff.emulator.marketo;

import static dev.handoff.emulator.marketo.MarketoHarness.START;
import static dev.handoff.emulator.marketo.MarketoHarness.assertSuccess;
import static dev.handoff.emulator.marketo.MarketoHarness.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Static list membership and Request Campaign, as PROTOCOLS.md §2.5 and the campaigns doc describe them. */
class MarketoListsIT {

    private static final int NURTURE = 1042;
    private static final int CAMPAIGN = 7;

    private final MarketoHarness m = new MarketoHarness();
    private final List<Integer> ids = new ArrayList<>();

    @BeforeEach
    void seed() {
        for (int i = 0; i < 301; i++) {
            ids.add(m.emulator.addLead(Map.of("email", "p" + i + "@acme.example", "lastName", "P" + i),
                    START.minus(Duration.ofDays(1))));
        }
        m.emulator.addList(NURTURE, "Nurture - recycled by sales");
        m.emulator.addCampaign(CAMPAIGN, "Recycle to nurture");
    }

    @AfterEach
    void stop() {
        m.close();
    }

    private static String idQuery(List<Integer> leadIds) {
        return leadIds.stream().map(i -> "id=" + i).collect(Collectors.joining("&"));
    }

    private JsonNode delete(String pathAndQuery) {
        return MarketoHarness.parse(m.send(HttpRequest.newBuilder(URI.create(m.base() + pathAndQuery))
                .header("Authorization", "Bearer " + m.token()).DELETE().build()).body());
    }

    @Test
    void addsLeadsByQueryIdsWithAResultPerId() {
        JsonNode r = m.postJson("/rest/v1/lists/" + NURTURE + "/leads.json?" + idQuery(List.of(ids.get(0), 999_999, ids.get(1))), "");

        assertSuccess(r);
        assertThat(r.get("result")).hasSize(3);
        assertThat(r.get("result").get(0).get("status").asText()).isEqualTo("added");
        assertThat(r.get("result").get(1).get("id").asInt()).isEqualTo(999_999);
        assertThat(r.get("result").get(1).get("status").asText()).isEqualTo("skipped");
        assertThat(r.get("result").get(1).get("reasons").get(0).get("code").asText()).isEqualTo("1004");
        assertThat(m.emulator.listMembers(NURTURE)).containsExactly(ids.get(0), ids.get(1));
    }

    @Test
    void acceptsTheOlderSingularPathAndJsonBody() {
        JsonNode r = m.postJson("/rest/v1/list/" + NURTURE + "/leads.json",
                "{\"input\":[{\"id\":" + ids.get(2) + "},{\"id\":" + ids.get(3) + "}]}");

        assertSuccess(r);
        assertThat(m.emulator.listMembers(NURTURE)).containsExactly(ids.get(2), ids.get(3));
    }

    @Test
    void addingAMemberAgainChangesNothing() {
        m.postJson("/rest/v1/lists/" + NURTURE + "/leads.json?id=" + ids.get(0), "");
        JsonNode again = m.postJson("/rest/v1/lists/" + NURTURE + "/leads.json?id=" + ids.get(0), "");

        assertThat(again.get("result").get(0).get("status").asText()).isEqualTo("added");
        assertThat(m.emulator.listMembers(NURTURE)).containsExactly(ids.get(0));
    }

    @Test
    void rejectsAnUnknownListWith1013AndMoreThan300IdsWith1003() {
        assertThat(errorCode(m.postJson("/rest/v1/lists/5/leads.json?id=" + ids.get(0), ""))).isEqualTo("1013");
        assertThat(errorCode(m.postJson("/rest/v1/lists/" + NURTURE + "/leads.json?" + idQuery(ids), ""))).isEqualTo("1003");
        assertThat(m.emulator.listMembers(NURTURE)).isEmpty();
    }

    @Test
    void removesMembersAndSkipsNonMembersWith1015() {
        m.postJson("/rest/v1/lists/" + NURTURE + "/leads.json?id=" + ids.get(0), "");

        JsonNode r = delete("/rest/v1/lists/" + NURTURE + "/leads.json?" + idQuery(List.of(ids.get(0), ids.get(1))));

        assertSuccess(r);
        assertThat(r.get("result").get(0).get("status").asText()).isEqualTo("removed");
        assertThat(r.get("result").get(1).get("reasons").get(0).get("code").asText()).isEqualTo("1015");
        assertThat(m.emulator.listMembers(NURTURE)).isEmpty();
    }

    @Test
    void answersIsMemberListsMembersInPagesAndListsOfALead() {
        List<Integer> five = ids.subList(0, 5);
        m.postJson("/rest/v1/lists/" + NURTURE + "/leads.json?" + idQuery(five), "");

        JsonNode member = m.get("/rest/v1/lists/" + NURTURE + "/leads/ismember.json?" + idQuery(List.of(ids.get(0), ids.get(9))));
        assertThat(member.get("result").get(0).get("status").asText()).isEqualTo("memberof");
        assertThat(member.get("result").get(1).get("status").asText()).isEqualTo("notmemberof");

        JsonNode first = m.get("/rest/v1/lists/" + NURTURE + "/leads.json?batchSize=3&fields=email");
        JsonNode second = m.get("/rest/v1/lists/" + NURTURE + "/leads.json?batchSize=3&fields=email&nextPageToken="
                + first.get("nextPageToken").asText());
        assertThat(first.get("result")).hasSize(3);
        assertThat(first.get("result").get(0).get("email").asText()).isEqualTo("p0@acme.example");
        assertThat(second.get("result")).hasSize(2);
        assertThat(second.has("nextPageToken")).isFalse();

        JsonNode lists = m.get("/rest/v1/leads/" + ids.get(0) + "/listMembership.json");
        assertThat(lists.get("result").get(0).get("listId").asInt()).isEqualTo(NURTURE);
    }

    @Test
    void requestsUpTo100LeadsIntoACampaign() {
        String leads = ids.subList(0, 100).stream().map(i -> "{\"id\":" + i + "}").collect(Collectors.joining(","));

        JsonNode r = m.postJson("/rest/v1/campaigns/" + CAMPAIGN + "/trigger.json", "{\"input\":{\"leads\":[" + leads + "]}}");

        assertSuccess(r);
        assertThat(r.get("result").get(0).get("id").asInt()).isEqualTo(CAMPAIGN);
        assertThat(m.emulator.campaignRequests(CAMPAIGN)).hasSize(100).startsWith(ids.get(0));
    }

    @Test
    void refusesMoreThan100LeadsAndUnknownCampaigns() {
        String leads = IntStream.range(0, 101).mapToObj(i -> "{\"id\":" + ids.get(i) + "}").collect(Collectors.joining(","));

        assertThat(errorCode(m.postJson("/rest/v1/campaigns/" + CAMPAIGN + "/trigger.json",
                "{\"input\":{\"leads\":[" + leads + "]}}"))).isEqualTo("1003");
        assertThat(errorCode(m.postJson("/rest/v1/campaigns/99/trigger.json",
                "{\"input\":{\"leads\":[{\"id\":" + ids.get(0) + "}]}}"))).isEqualTo("1013");
        assertThat(m.emulator.campaignRequests(CAMPAIGN)).isEmpty();
    }

    @Test
    void stateShowsListsAndCountsMembershipCalls() {
        m.postJson("/rest/v1/lists/" + NURTURE + "/leads.json?id=" + ids.get(0), "");

        Map<String, Object> state = m.emulator.state();
        assertThat(state.get("lists").toString()).contains("id=" + NURTURE).contains("members=[" + ids.get(0) + "]");
        assertThat(((Map<?, ?>) state.get("calls_by_endpoint")).get("lists.add")).isEqualTo(1L);
    }
}
