package dev.handoff.emulator.marketo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoLeadGeneratorIT {

    private static final Instant NOW = Instant.parse("2026-11-15T12:00:00Z");
    private static final Set<String> PERSONAL = Set.of("gmail.com", "yahoo.com", "hotmail.com", "outlook.com");

    @Test
    void sameSeedGivesIdenticalLeadsAndOtherSeedsDiffer() {
        assertThat(DemoLeadGenerator.generate(42, 500, 12, NOW)).isEqualTo(DemoLeadGenerator.generate(42, 500, 12, NOW));
        assertThat(DemoLeadGenerator.generate(43, 500, 12, NOW)).isNotEqualTo(DemoLeadGenerator.generate(42, 500, 12,
                NOW));
    }

    @Test
    void addsExactlyBadCountMalformedLeadsOfEveryKind() {
        List<DemoLeadGenerator.SeedLead> leads = DemoLeadGenerator.generate(7, 1000, 12, NOW);

        assertThat(leads).hasSize(1012);
        long malformed = leads.stream().filter(DemoLeadGeneratorIT::malformed).count();
        assertThat(malformed).isEqualTo(12);
        assertThat(leads.subList(0, 1000)).noneMatch(DemoLeadGeneratorIT::malformed);
        List<DemoLeadGenerator.SeedLead> bad = leads.subList(1000, 1012);
        assertThat(bad).anyMatch(l -> !l.fields().containsKey("email"))
                .anyMatch(l -> l.fields().get("email") != null && l.fields().get("email").toString().endsWith("@"))
                .anyMatch(l -> "no-at-sign.example".equals(l.fields().get("email")))
                .anyMatch(l -> l.fields().get("lastName").toString().length() == 300)
                .anyMatch(l -> l.fields().get("title").toString().length() == 2000)
                .anyMatch(l -> l.fields().get("company").toString().chars().anyMatch(c -> c < 0x20))
                .anyMatch(l -> l.fields().get("company").toString().startsWith("=cmd|"))
                .anyMatch(l -> l.fields().get("email") != null && l.fields().get("email").toString().startsWith("x' OR "));
    }

    @Test
    void leadsAreRealisticB2bWithTheIntendedMix() {
        List<DemoLeadGenerator.SeedLead> leads = DemoLeadGenerator.generate(1, 5000, 0, NOW);

        long personal = leads.stream().filter(l -> PERSONAL.contains(domain(l))).count();
        long rival = leads.stream().filter(l -> domain(l).equals("rival.example")).count();
        assertThat(personal).isBetween(300L, 500L);
        assertThat(rival).isBetween(20L, 90L);
        assertThat(leads.stream().map(l -> l.fields().get("email")).distinct().count()).isEqualTo(5000);
        assertThat(leads).allSatisfy(l -> {
            Map<String, Object> f = l.fields();
            assertThat(f).containsKeys("email", "firstName", "lastName", "company", "title", "industry", "country",
                    "annualRevenue", "numberOfEmployees", "leadSource");
            assertThat(((Number) f.get("annualRevenue")).longValue()).isBetween(1_000_000L, 500_000_000L);
            assertThat(((Number) f.get("numberOfEmployees")).longValue()).isBetween(5L, 20_000L);
            assertThat(l.createdAt()).isBetween(NOW.minus(Duration.ofDays(60)), NOW);
            assertThat(l.activities()).hasSizeBetween(1, 8).allSatisfy(a -> {
                assertThat(a.at()).isAfter(l.createdAt()).isBeforeOrEqualTo(NOW);
                assertThat(a.typeId()).isIn(1, 2, 9, 100001);
            });
        });
        assertThat(leads.stream().map(l -> l.fields().get("industry")).distinct())
                .contains("Software", "Financial Services", "Manufacturing", "Retail", "Healthcare", "Education",
                        "Government");
        assertThat(leads.stream().map(l -> l.fields().get("title")))
                .anyMatch(t -> t.toString().startsWith("VP")).anyMatch("Student"::equals).anyMatch("Intern"::equals);
        assertThat(leads.stream().flatMap(l -> l.activities().stream()).map(a -> a.primaryAttributeValue()))
                .contains("/pricing", "Newsletter Signup", "Contact Us")
                .anyMatch(p -> p.startsWith("Whitepaper: ")).anyMatch(p -> p.startsWith("/blog/"));
    }

    @Test
    void seedingLoadsLeadsAndActivitiesInDateOrder() {
        List<DemoLeadGenerator.SeedLead> leads = DemoLeadGenerator.generate(3, 50, 6, NOW);
        int activities = leads.stream().mapToInt(l -> l.activities().size() + 1).sum();
        try (MarketoHarness m = new MarketoHarness()) {
            m.emulator.seed(leads);

            String token = m.get("/rest/v1/activities/pagingtoken.json?sinceDatetime=2026-01-01T00:00:00Z")
                    .get("nextPageToken").asText();
            List<Long> ids = new ArrayList<>();
            JsonNode page;
            do {
                page = m.get("/rest/v1/activities.json?activityTypeIds=1,2,9,12,100001&nextPageToken=" + token);
                page.path("result").forEach(a -> ids.add(a.get("id").asLong()));
                token = page.get("nextPageToken").asText();
            } while (page.get("moreResult").asBoolean());

            // Ids were handed out in date order, so the date-ordered feed is also id-ordered.
            assertThat(ids).hasSize(activities).isSorted();
            assertThat((List<?>) m.emulator.state().get("leads")).hasSize(56);
        }
    }

    private static boolean malformed(DemoLeadGenerator.SeedLead l) {
        Object email = l.fields().get("email");
        return email == null || !email.toString().matches("[^@\\s]+@[^@\\s]+\\.[a-z]+")
                || l.fields().get("lastName").toString().length() > 255
                || l.fields().get("title").toString().length() > 255
                || l.fields().get("company").toString().chars().anyMatch(c -> c < 0x20)
                || l.fields().get("company").toString().startsWith("=");
    }

    private static String domain(DemoLeadGenerator.SeedLead l) {
        return l.fields().get("email").toString().substring(l.fields().get("email").toString().indexOf('@') + 1);
    }
}
