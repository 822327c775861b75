package dev.handoff.emulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.marketo.DemoLeadGenerator.SeedActivity;
import dev.handoff.emulator.marketo.DemoLeadGenerator.SeedLead;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubSpotSeedIT {

    private static final Instant CREATED = Instant.parse("2026-10-01T08:00:00Z");

    @Test
    void marketoShapedLeadBecomesAContactWithEngagementProperties() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("email", "ada@northwind.example");
        fields.put("firstName", "Ada");
        fields.put("lastName", "Lovelace");
        fields.put("company", "Northwind Software");
        fields.put("title", "VP Sales");
        fields.put("industry", "Software");
        fields.put("country", "GB");
        fields.put("annualRevenue", 52_000_000L);
        fields.put("numberOfEmployees", 640L);
        fields.put("leadSource", "Webinar");
        SeedLead lead = new SeedLead(fields, CREATED, List.of(
                new SeedActivity(2, "Whitepaper: SLA Design for Revenue Teams", at(1)),
                new SeedActivity(1, "/blog/mql-vs-sql", at(2)),
                new SeedActivity(100001, "Webinar: Building a Lead Agreement", at(3)),
                new SeedActivity(1, "/pricing", at(4)),
                new SeedActivity(9, "Newsletter", at(5))));
        try (HubSpotHarness h = new HubSpotHarness()) {
            h.emulator.seed(List.of(lead));

            assertThat(h.emulator.contact("1").orElseThrow())
                    .containsEntry("email", "ada@northwind.example")
                    .containsEntry("firstname", "Ada")
                    .containsEntry("lastname", "Lovelace")
                    .containsEntry("company", "Northwind Software")
                    .containsEntry("jobtitle", "VP Sales")
                    .containsEntry("industry", "Software")
                    .containsEntry("country", "GB")
                    .containsEntry("annualrevenue", "52000000")
                    .containsEntry("numemployees", "640")
                    .containsEntry("lifecyclestage", "lead")
                    .containsEntry("first_conversion_event_name", "Whitepaper: SLA Design for Revenue Teams")
                    .containsEntry("first_conversion_date", "2026-10-02T08:00:00.000Z")
                    .containsEntry("recent_conversion_event_name", "Webinar: Building a Lead Agreement")
                    .containsEntry("recent_conversion_date", "2026-10-04T08:00:00.000Z")
                    .containsEntry("num_conversion_events", "2")
                    .containsEntry("hs_analytics_last_url", DemoContacts.SITE + "/pricing")
                    .containsEntry("hs_analytics_last_visit_timestamp", "2026-10-05T08:00:00.000Z")
                    .containsEntry("hs_email_optout", "true")
                    .containsEntry("hs_email_optout_date", "2026-10-06T08:00:00.000Z")
                    .containsEntry("createdate", "2026-10-01T08:00:00.000Z")
                    .containsEntry("lastmodifieddate", "2026-10-06T08:00:00.000Z")
                    .containsEntry("hs_object_id", "1")
                    .doesNotContainKey("leadSource");

            JsonNode found = h.searchOk("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_email_optout\","
                    + "\"operator\":\"EQ\",\"value\":\"true\"}]}],\"properties\":[\"recent_conversion_event_name\"]}");
            assertThat(found.at("/results/0/properties/recent_conversion_event_name").asText())
                    .isEqualTo("Webinar: Building a Lead Agreement");
        }
    }

    @Test
    void generatedLeadsAreSeededInCreationOrder() {
        Instant now = Instant.parse("2026-11-02T09:00:00Z");
        List<SeedLead> leads = DemoLeadGenerator.generate(42, 300, 6, now);
        try (HubSpotHarness h = new HubSpotHarness()) {
            h.emulator.seed(leads);

            assertThat(h.emulator.contactCount()).isEqualTo(306);
            Instant previous = Instant.MIN;
            for (int id = 1; id <= 306; id++) {
                Map<String, String> c = h.emulator.contact(Integer.toString(id)).orElseThrow();
                Instant created = Instant.parse(c.get("createdate"));
                assertThat(created).isAfterOrEqualTo(previous);
                assertThat(Instant.parse(c.get("lastmodifieddate"))).isAfterOrEqualTo(created).isBeforeOrEqualTo(now);
                previous = created;
            }
            assertThat(h.emulator.state().get("leads")).asList().hasSize(306);
        }
    }

    private static Instant at(int days) {
        return CREATED.plusSeconds(days * 86_400L);
    }
}
