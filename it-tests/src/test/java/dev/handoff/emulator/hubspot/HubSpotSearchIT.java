package dev.handoff.emulator.hubspot;

import static dev.handoff.emulator.hubspot.HubSpotHarness.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HubSpotSearchIT {

    private static final String SORTS = "\"sorts\":[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"ASCENDING\"},"
            + "{\"propertyName\":\"hs_object_id\",\"direction\":\"ASCENDING\"}]";

    @Test
    void pagingOverTwoHundredFiftyContactsReturnsEachOnceAndNoPagingOnTheLastPage() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            for (int i = 0; i < 250; i++) {
                h.emulator.addContact(Map.of("email", "p" + i + "@acme.example", "firstname", "P" + i),
                        HubSpotHarness.START.plusSeconds(i / 3));
            }
            List<String> ids = new ArrayList<>();
            String after = null;
            List<Integer> pageSizes = new ArrayList<>();
            do {
                JsonNode page = h.searchOk("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\","
                        + "\"operator\":\"GTE\",\"value\":\"" + HubSpotHarness.START.toEpochMilli() + "\"}]}]," + SORTS
                        + ",\"properties\":[\"email\",\"handoff_sales_status\"],\"limit\":100"
                        + (after == null ? "" : ",\"after\":\"" + after + "\"") + "}");
                assertThat(page.get("total").asInt()).isEqualTo(250);
                page.get("results").forEach(r -> ids.add(r.get("id").asText()));
                pageSizes.add(page.get("results").size());
                after = page.has("paging") ? page.at("/paging/next/after").asText() : null;
                if (after != null) {
                    assertThat(page.at("/paging/next/link").asText()).isEqualTo("?after=" + after);
                }
            } while (after != null);

            assertThat(pageSizes).containsExactly(100, 100, 50);
            assertThat(new HashSet<>(ids)).hasSize(250);
            JsonNode first = h.searchOk("{\"limit\":1," + SORTS + ",\"properties\":[\"email\",\"nosuchproperty\"]}");
            JsonNode contact = first.get("results").get(0);
            assertThat(contact.get("id").asText()).isEqualTo("1");
            assertThat(contact.at("/properties/email").asText()).isEqualTo("p0@acme.example");
            assertThat(contact.at("/properties/hs_object_id").asText()).isEqualTo("1");
            assertThat(contact.at("/properties/lastmodifieddate").asText()).isEqualTo("2026-11-02T09:00:00.000Z");
            assertThat(contact.get("properties").has("nosuchproperty")).isFalse();
            assertThat(contact.get("updatedAt").asText()).isEqualTo("2026-11-02T09:00:00.000Z");
            assertThat(contact.get("archived").asBoolean()).isFalse();
        }
    }

    @Test
    void limitAboveOneHundredAndUnknownFilterPropertyAre400() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            JsonNode tooMany = body(h.search("{\"limit\":101}"), 400);
            assertThat(tooMany.get("category").asText()).isEqualTo("VALIDATION_ERROR");
            body(h.search("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"handoff_sales_status\","
                    + "\"operator\":\"EQ\",\"value\":\"Accepted\"}]}]}"), 400);
        }
    }

    @Test
    void filtersCombineAndWithinAGroupAndOrAcrossGroups() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            h.emulator.addContact(Map.of("email", "Ada@Acme.example", "lifecyclestage", "lead", "numemployees", "900"),
                    HubSpotHarness.START);
            h.emulator.addContact(Map.of("email", "bob@acme.example", "lifecyclestage", "customer",
                    "numemployees", "90"), HubSpotHarness.START);
            h.emulator.addContact(Map.of("email", "cy@other.example"), HubSpotHarness.START);

            assertThat(ids(h, "[{\"filters\":[{\"propertyName\":\"email\",\"operator\":\"EQ\","
                    + "\"value\":\"ada@acme.example\"}]}]")).containsExactly("1");
            assertThat(ids(h, "[{\"filters\":[{\"propertyName\":\"numemployees\",\"operator\":\"GT\","
                    + "\"value\":\"100\"}]},{\"filters\":[{\"propertyName\":\"lifecyclestage\",\"operator\":\"IN\","
                    + "\"values\":[\"customer\",\"evangelist\"]}]}]")).containsExactly("1", "2");
            assertThat(ids(h, "[{\"filters\":[{\"propertyName\":\"lifecyclestage\",\"operator\":\"NOT_HAS_PROPERTY\"}]}]"))
                    .containsExactly("3");
            assertThat(ids(h, "[{\"filters\":[{\"propertyName\":\"lifecyclestage\",\"operator\":\"HAS_PROPERTY\"},"
                    + "{\"propertyName\":\"lifecyclestage\",\"operator\":\"NEQ\",\"value\":\"lead\"}]}]"))
                    .containsExactly("2");
            assertThat(ids(h, "[{\"filters\":[{\"propertyName\":\"numemployees\",\"operator\":\"LTE\","
                    + "\"value\":\"90\"}]}]")).containsExactly("2");
        }
    }

    private static List<String> ids(HubSpotHarness h, String filterGroups) {
        List<String> ids = new ArrayList<>();
        h.searchOk("{\"filterGroups\":" + filterGroups + ",\"limit\":100}").get("results")
                .forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    /**
     * 10,050 contacts, seven per lastmodifieddate; then three of the oldest are edited, so they are
     * the newest by date but have the smallest ids.
     */
    @Test
    void pagingStopsAtTenThousandAndASlidingWindowReachesTheRest() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            int n = 10_050;
            for (int i = 0; i < n; i++) {
                h.emulator.addContact(Map.of("email", "c" + i + "@acme.example"),
                        HubSpotHarness.START.plusSeconds(i / 7));
            }
            h.world.advance(Duration.ofDays(1));
            for (String id : List.of("1", "2", "3")) {
                h.emulator.updateContact(id, Map.of("jobtitle", "Director of Sales"));
            }

            Set<String> seen = new LinkedHashSet<>();
            long since = HubSpotHarness.START.toEpochMilli() - 1;
            String sinceId = "0";
            JsonNode last = null;
            int after = 0;
            while (true) {
                JsonNode page = h.searchOk(window(since, sinceId, after));
                assertThat(page.get("total").asInt()).isEqualTo(n);
                page.get("results").forEach(r -> assertThat(seen.add(r.get("id").asText())).isTrue());
                last = page.get("results").get(page.get("results").size() - 1);
                after = page.at("/paging/next/after").asInt();
                if (after >= 10_000) {
                    break;
                }
            }
            assertThat(seen).hasSize(10_000);
            JsonNode refused = body(h.search(window(since, sinceId, after)), 400);
            assertThat(refused.get("category").asText()).isEqualTo("VALIDATION_ERROR");
            assertThat(refused.get("message").asText()).contains("cannot page beyond 10000 results");

            since = Instant.parse(last.at("/properties/lastmodifieddate").asText()).toEpochMilli();
            sinceId = last.get("id").asText();
            // The contract's single group (GTE date AND GT id) misses the edited contacts 1 to 3.
            JsonNode naive = h.searchOk("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\","
                    + "\"operator\":\"GTE\",\"value\":\"" + since + "\"},{\"propertyName\":\"hs_object_id\","
                    + "\"operator\":\"GT\",\"value\":\"" + sinceId + "\"}]}]," + SORTS + ",\"limit\":100}");
            assertThat(naive.get("total").asInt()).isEqualTo(47);

            JsonNode rest = h.searchOk(window(since, sinceId, 0));
            assertThat(rest.has("paging")).isFalse();
            rest.get("results").forEach(r -> assertThat(seen.add(r.get("id").asText())).isTrue());
            assertThat(seen).hasSize(n);
            assertThat(List.copyOf(seen).subList(n - 3, n)).containsExactly("1", "2", "3");
        }
    }

    /** Changed after (since, sinceId) in (lastmodifieddate, hs_object_id) order. */
    private static String window(long since, String sinceId, int after) {
        return "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"GT\",\"value\":\""
                + since + "\"}]},{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"EQ\",\"value\":\""
                + since + "\"},{\"propertyName\":\"hs_object_id\",\"operator\":\"GT\",\"value\":\"" + sinceId + "\"}]}],"
                + SORTS + ",\"properties\":[\"email\"],\"limit\":100,\"after\":\"" + after + "\"}";
    }
}
