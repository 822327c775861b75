package dev.handoff.emulator.marketo;

import static dev.handoff.emulator.marketo.MarketoHarness.START;
import static dev.handoff.emulator.marketo.MarketoHarness.assertSuccess;
import static dev.handoff.emulator.marketo.MarketoHarness.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MarketoActivitiesIT {

    private static final String ALL_TYPES = "activityTypeIds=1,2,9,12,13,100001";

    private final MarketoHarness m = new MarketoHarness();
    private final List<Integer> leadIds = new ArrayList<>();

    /** 200 leads, each with its New Lead activity and four more: 1,000 activities over two days. */
    @BeforeEach
    void seed() {
        for (int i = 0; i < 200; i++) {
            Instant created = START.minus(Duration.ofDays(2)).plusSeconds(i * 60L);
            int id = m.emulator.addLead(Map.of("email", "lead" + i + "@acme.example", "lastName", "L" + i), created);
            leadIds.add(id);
            m.emulator.addActivity(id, 1, "/pricing", created.plusSeconds(3600));
            m.emulator.addActivity(id, 2, "Contact Us", created.plusSeconds(7200));
            m.emulator.addActivity(id, 100001, "Webinar: Aligning Sales and Marketing", created.plusSeconds(9000));
            m.emulator.addActivity(id, 1, "/blog/mql-vs-sql", created.plusSeconds(10000));
        }
    }

    @AfterEach
    void stop() {
        m.close();
    }

    @Test
    void pagesThroughEveryActivityExactlyOnceInDateOrder() {
        String token = pagingToken(START.minus(Duration.ofDays(30)));
        List<Long> ids = new ArrayList<>();
        List<String> dates = new ArrayList<>();
        JsonNode page;
        int calls = 0;
        do {
            page = m.get("/rest/v1/activities.json?" + ALL_TYPES + "&batchSize=300&nextPageToken=" + enc(token));
            assertSuccess(page);
            calls++;
            for (JsonNode a : page.path("result")) {
                ids.add(a.get("id").asLong());
                dates.add(a.get("activityDate").asText());
                assertThat(a.get("marketoGUID").asText()).isEqualTo(a.get("id").asText());
                assertThat(a.has("leadId") && a.has("activityTypeId") && a.has("primaryAttributeValue")
                        && a.get("attributes").isArray()).as(a.toString()).isTrue();
            }
            assertThat(page.get("nextPageToken").asText()).matches("[A-Z2-7]+");
            token = page.get("nextPageToken").asText();
        } while (page.get("moreResult").asBoolean());

        assertThat(ids).hasSize(1000).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).hasSize(1000);
        assertThat(dates).isSorted();
        assertThat(calls).isEqualTo(4);
        assertThat(page.get("moreResult").asBoolean()).isFalse();
    }

    @Test
    void storedTokenLaterReturnsOnlyNewerActivities() {
        String token = pagingToken(START.minus(Duration.ofDays(30)));
        JsonNode page;
        do {
            page = m.get("/rest/v1/activities.json?" + ALL_TYPES + "&nextPageToken=" + enc(token));
            token = page.get("nextPageToken").asText();
        } while (page.get("moreResult").asBoolean());

        JsonNode idle = m.get("/rest/v1/activities.json?" + ALL_TYPES + "&nextPageToken=" + enc(token));
        assertSuccess(idle);
        assertThat(idle.has("result")).as("an empty page has no result member").isFalse();
        assertThat(idle.get("moreResult").asBoolean()).isFalse();
        assertThat(idle.get("nextPageToken").asText()).isEqualTo(token);

        m.world.advance(Duration.ofMinutes(30));
        m.emulator.addActivity(leadIds.get(7), 2, "Newsletter Signup", m.world.instant());
        m.emulator.addActivity(leadIds.get(9), 1, "/pricing", m.world.instant().plusSeconds(5));

        JsonNode fresh = m.get("/rest/v1/activities.json?" + ALL_TYPES + "&nextPageToken=" + enc(token));
        assertThat(fresh.get("result")).hasSize(2);
        assertThat(fresh.get("result").get(0).get("primaryAttributeValue").asText()).isEqualTo("Newsletter Signup");
        assertThat(fresh.get("result").get(1).get("leadId").asInt()).isEqualTo(leadIds.get(9));
        assertThat(fresh.get("moreResult").asBoolean()).isFalse();
    }

    @Test
    void pagingTokenStartsAtTheFirstActivityOnOrAfterSince() {
        Instant since = START.minus(Duration.ofDays(2)).plusSeconds(100 * 60L);

        JsonNode page = m.get("/rest/v1/activities.json?activityTypeIds=12&nextPageToken=" + enc(pagingToken(since)));

        assertThat(page.get("result")).hasSize(100);
        assertThat(page.get("result").get(0).get("leadId").asInt()).isEqualTo(leadIds.get(100));
    }

    @Test
    void returnsOnlyTheRequestedActivityTypes() {
        String token = enc(pagingToken(START.minus(Duration.ofDays(30))));

        JsonNode webinars = m.get("/rest/v1/activities.json?activityTypeIds=100001&nextPageToken=" + token);
        JsonNode repeated = m.get("/rest/v1/activities.json?activityTypeIds=2&activityTypeIds=12&nextPageToken="
                + token);

        assertThat(webinars.get("result")).hasSize(200)
                .allSatisfy(a -> assertThat(a.get("activityTypeId").asInt()).isEqualTo(100001));
        assertThat(webinars.get("moreResult").asBoolean()).isFalse();
        Set<Integer> types = new HashSet<>();
        repeated.get("result").forEach(a -> types.add(a.get("activityTypeId").asInt()));
        assertThat(types).containsExactlyInAnyOrder(2, 12);
        assertThat(repeated.get("result")).hasSize(300);
        assertThat(repeated.get("moreResult").asBoolean()).isTrue();
    }

    @Test
    void filtersByLeadIdsUpToThirty() {
        String token = enc(pagingToken(START.minus(Duration.ofDays(30))));
        String three = leadIds.get(0) + "," + leadIds.get(1) + "," + leadIds.get(2);
        StringBuilder thirtyOne = new StringBuilder();
        leadIds.subList(0, 31).forEach(id -> thirtyOne.append(id).append(','));

        JsonNode some = m.get("/rest/v1/activities.json?" + ALL_TYPES + "&leadIds=" + three + "&nextPageToken=" + token);
        JsonNode tooMany = m.get("/rest/v1/activities.json?" + ALL_TYPES + "&leadIds=" + thirtyOne
                + "&nextPageToken=" + token);

        assertThat(some.get("result")).hasSize(15);
        assertThat(errorCode(tooMany)).isEqualTo("1003");
    }

    @Test
    void rejectsMissingOrTooManyTypeIdsOversizedBatchesAndBadTokens() {
        String token = enc(pagingToken(START));

        assertThat(errorCode(m.get("/rest/v1/activities.json?nextPageToken=" + token))).isEqualTo("1002");
        assertThat(errorCode(m.get("/rest/v1/activities.json?activityTypeIds=1,2,3,4,5,6,7,8,9,10,11&nextPageToken="
                + token))).isEqualTo("1003");
        assertThat(errorCode(m.get("/rest/v1/activities.json?activityTypeIds=1&batchSize=301&nextPageToken="
                + token))).isEqualTo("1003");
        assertThat(errorCode(m.get("/rest/v1/activities.json?activityTypeIds=1&nextPageToken=NOT-A-TOKEN")))
                .isEqualTo("1001");
        assertThat(errorCode(m.get("/rest/v1/activities/pagingtoken.json?sinceDatetime=yesterday")))
                .isEqualTo("1001");
        assertThat(errorCode(m.get("/rest/v1/activities/pagingtoken.json"))).isEqualTo("1002");
    }

    @Test
    void describesActivityTypesWithPrimaryAttributes() {
        JsonNode types = m.get("/rest/v1/activities/types.json");

        Set<Integer> ids = new HashSet<>();
        types.get("result").forEach(t -> {
            ids.add(t.get("id").asInt());
            assertThat(t.get("name").asText()).isNotBlank();
            assertThat(t.get("primaryAttribute").get("name").asText()).isNotBlank();
            assertThat(t.get("attributes").isArray()).isTrue();
        });
        assertThat(ids).containsExactlyInAnyOrder(1, 2, 9, 12, 13, 100001);
    }

    private String pagingToken(Instant since) {
        JsonNode r = m.get("/rest/v1/activities/pagingtoken.json?sinceDatetime=" + enc(since.toString()));
        assertSuccess(r);
        return r.get("nextPageToken").asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
