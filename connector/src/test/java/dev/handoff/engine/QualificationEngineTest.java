package dev.handoff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QualificationEngineTest {

    static final Definition DEFINITION = DefinitionLoader.load(Path.of("../config/qualification.yaml"));
    static final Instant NOW = Instant.parse("2026-11-15T12:00:00Z");

    final QualificationEngine engine = new QualificationEngine(DEFINITION);

    static Map<String, String> seniorBuyer() {
        Map<String, String> f = new HashMap<>();
        f.put("email", "jane.doe@bigsoft.example");
        f.put("first_name", "Jane");
        f.put("last_name", "Doe");
        f.put("company", "BigSoft");
        f.put("title", "VP Marketing");
        f.put("industry", "Software");
        f.put("country", "US");
        f.put("annual_revenue", "60000000");
        f.put("employees", "800");
        return f;
    }

    static Lead lead(Map<String, String> fields) {
        return new Lead("L-1", fields);
    }

    static Activity activity(String type, Duration ago) {
        return new Activity("A-" + type + "-" + ago.toMillis(), "L-1", type, NOW.minus(ago));
    }

    static List<Activity> recentPricingAndWebinar() {
        return List.of(activity("pricing_page_visit", Duration.ofDays(1)), activity("webinar_attended", Duration.ofDays(3)));
    }

    @Test
    void seniorBuyerAtBigSoftwareCompanyWithRecentPricingVisitAndWebinarIsMql() {
        Qualification q = engine.evaluate(lead(seniorBuyer()), recentPricingAndWebinar(), NOW);

        assertThat(q.fitScore()).isEqualTo(20 + 15 + 10 + 5 + 20 + 10);
        // 20 × 0.5^(1/30) = 19.5 → 20; 15 × 0.5^(3/30) = 14.0 → 14
        assertThat(q.engagementScore()).isEqualTo(34);
        assertThat(q.mql()).isTrue();
        assertThat(q.grade()).matches("[AB][1-4]").isEqualTo("A3");
        assertThat(q.disqualification()).isEmpty();
        assertThat(q.missingFields()).isEmpty();
        assertThat(q.definitionLabel()).isEqualTo("acme-mql@v3");
    }

    @Test
    void personalEmailIsDisqualifiedAsWrongContact() {
        Map<String, String> f = seniorBuyer();
        f.put("email", "jane.doe@GMail.com");

        Qualification q = engine.evaluate(lead(f), recentPricingAndWebinar(), NOW);

        assertThat(q.mql()).isFalse();
        assertThat(q.disqualification()).contains(new Disqualification("personal-email", "WRONG_CONTACT"));
        assertThat(q.fitScore()).isEqualTo(80);
        assertThat(q.explanation().shortText(1000))
                .startsWith("Not MQL (acme-mql@v3): disqualified by personal-email (email_domain \"GMail.com\" in personal_domains → WRONG_CONTACT)");
    }

    @Test
    void explicitEmailDomainFieldWinsOverDerivedOne() {
        Map<String, String> f = seniorBuyer();
        f.put("email_domain", "rival.example");

        Qualification q = engine.evaluate(lead(f), recentPricingAndWebinar(), NOW);

        assertThat(q.disqualification()).contains(new Disqualification("competitor", "NOT_RIGHT_FIT"));
    }

    @Test
    void missingLastNameIsNotMqlAndListed() {
        Map<String, String> f = seniorBuyer();
        f.remove("last_name");
        f.put("company", "  ");

        Qualification q = engine.evaluate(lead(f), recentPricingAndWebinar(), NOW);

        assertThat(q.mql()).isFalse();
        assertThat(q.missingFields()).containsExactly("company", "last_name");
        assertThat(q.explanation().shortText(1000)).startsWith("Not MQL (acme-mql@v3): missing company, last_name; fit 80 ≥ 40");
    }

    @Test
    void belowThresholdsIsNotMql() {
        Map<String, String> f = seniorBuyer();
        f.put("title", "Engineer");
        f.put("annual_revenue", "5000000");
        f.put("employees", "20");

        Qualification q = engine.evaluate(lead(f), List.of(), NOW);

        assertThat(q.fitScore()).isEqualTo(15);
        assertThat(q.engagementScore()).isZero();
        assertThat(q.grade()).isEqualTo("D4");
        assertThat(q.mql()).isFalse();
        assertThat(q.explanation().lines().get(0).detail()).isEqualTo("Not MQL: fit 15 < 40; engagement 0 < 30");
    }

    @Test
    void decayHalvesPointsAfterOneHalfLife() {
        Lead lead = lead(seniorBuyer());
        assertThat(engine.evaluate(lead, List.of(activity("pricing_page_visit", Duration.ZERO)), NOW).engagementScore()).isEqualTo(20);
        assertThat(engine.evaluate(lead, List.of(activity("pricing_page_visit", Duration.ofDays(30))), NOW).engagementScore()).isEqualTo(10);
        assertThat(engine.evaluate(lead, List.of(activity("pricing_page_visit", Duration.ofDays(60))), NOW).engagementScore()).isEqualTo(5);
        // 15 × 0.5 = 7.5 rounds half up
        assertThat(engine.evaluate(lead, List.of(activity("webinar_attended", Duration.ofDays(30))), NOW).engagementScore()).isEqualTo(8);
    }

    @Test
    void maxCountCapsContentDownloadsToTheMostRecent() {
        List<Activity> downloads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            downloads.add(activity("content_download", Duration.ofDays(30L * i)));
        }
        Collections.reverse(downloads);

        Qualification q = engine.evaluate(lead(seniorBuyer()), downloads, NOW);

        // the three most recent: 0, 30 and 60 days old = 10 + 5 + 2.5
        assertThat(q.engagementScore()).isEqualTo(18);
        Explanation.Line line = line(q, Explanation.Kind.ENGAGEMENT, "content_download");
        assertThat(line.count()).isEqualTo(3);
        assertThat(line.points()).isEqualTo(18);
    }

    @Test
    void windowDaysIgnoresOlderActivities() {
        Qualification q = engine.evaluate(lead(seniorBuyer()), List.of(activity("content_download", Duration.ofDays(91))), NOW);
        assertThat(q.engagementScore()).isZero();
    }

    @Test
    void unknownFutureAndForeignActivitiesAreIgnoredButListed() {
        List<Activity> activities = List.of(
                activity("trade_show_visit", Duration.ofDays(1)),
                new Activity("A-f", "L-1", "pricing_page_visit", NOW.plusSeconds(60)),
                new Activity("A-o", "L-2", "pricing_page_visit", NOW.minusSeconds(60)),
                activity("unsubscribed", Duration.ZERO));

        Qualification q = engine.evaluate(lead(seniorBuyer()), activities, NOW);

        assertThat(q.engagementScore()).isEqualTo(-50);
        assertThat(q.explanation().fullText())
                .contains("trade_show_visit ×1")
                .contains("after the evaluation time")
                .contains("belong to another lead");
    }

    @Test
    void missingAndNonNumericFieldsScoreNothingWithAReason() {
        Map<String, String> f = seniorBuyer();
        f.remove("annual_revenue");
        f.put("employees", "abc");

        Qualification q = engine.evaluate(lead(f), List.of(), NOW);

        assertThat(q.fitScore()).isEqualTo(45);
        assertThat(line(q, Explanation.Kind.FIT, "revenue").detail()).isEqualTo("no annual_revenue");
        assertThat(line(q, Explanation.Kind.FIT, "employees").detail()).isEqualTo("employees 'abc' is not a number, scored as missing");
        assertThat(line(q, Explanation.Kind.FIT, "employees").hit()).isFalse();
    }

    @Test
    void fitAndEngagementLinesAddUpToTheScores() {
        Random random = new Random(42);
        String[] types = {"webinar_attended", "content_download", "pricing_page_visit", "newsletter_signup", "unsubscribed"};
        for (int run = 0; run < 200; run++) {
            Map<String, String> f = seniorBuyer();
            f.put("annual_revenue", Integer.toString(random.nextInt(100_000_000)));
            f.put("employees", Integer.toString(random.nextInt(1_000)));
            if (random.nextBoolean()) {
                f.put("title", "Engineer");
            }
            List<Activity> activities = new ArrayList<>();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                activities.add(new Activity("A" + i, "L-1", types[random.nextInt(types.length)],
                        NOW.minusSeconds(random.nextInt(200 * 86_400))));
            }

            Qualification q = engine.evaluate(lead(f), activities, NOW);

            assertThat(sum(q, Explanation.Kind.FIT)).isEqualTo(q.fitScore());
            assertThat(sum(q, Explanation.Kind.ENGAGEMENT)).isEqualTo(q.engagementScore());
            assertThat(q.grade()).isEqualTo(DEFINITION.grades().grade(q.fitScore(), q.engagementScore()));
        }
    }

    @Test
    void shortTextStartsWithTheVerdictAndFitsTheField() {
        Map<String, String> f = seniorBuyer();
        f.put("title", "VP Marketing " + "x".repeat(5_000));
        Qualification q = engine.evaluate(lead(f), recentPricingAndWebinar(), NOW);

        String text = q.explanation().shortText(1000);

        assertThat(text).hasSizeLessThanOrEqualTo(1000)
                .startsWith("MQL (acme-mql@v3): fit 80 ≥ 40, engagement 34 ≥ 30, grade A3. Fit: ")
                .contains("seniority +20 (title \"VP Marketing xxx")
                .contains("Engagement: pricing_page_visit +20 (1×), webinar_attended +14 (1×).");
        for (int max = 1; max <= 400; max++) {
            String cut = q.explanation().shortText(max);
            assertThat(cut.length()).as("max %d", max).isLessThanOrEqualTo(max);
        }
        assertThat(q.explanation().shortText(120)).endsWith("…").startsWith("MQL (acme-mql@v3)");
    }

    @Test
    void shortTextListsLargestPointsFirst() {
        Map<String, String> f = seniorBuyer();
        f.put("annual_revenue", "12000000");
        Qualification q = engine.evaluate(lead(f), recentPricingAndWebinar(), NOW);

        assertThat(q.explanation().shortText(1000)).contains(
                "Fit: seniority +20 (title \"VP Marketing\"), employees +15 (800 ≥ 500), revenue +10 (12,000,000 ≥ 10,000,000), "
                        + "industry +10 (industry \"Software\"), function +10 (title \"VP Marketing\"), region +5 (country \"US\").");
    }

    @Test
    void sameInputsGiveIdenticalResultsAndText() {
        List<Activity> activities = new ArrayList<>(recentPricingAndWebinar());
        activities.add(activity("content_download", Duration.ofDays(5)));
        activities.add(activity("content_download", Duration.ofDays(7)));
        activities.add(activity("newsletter_signup", Duration.ofDays(40)));
        Qualification a = engine.evaluate(lead(seniorBuyer()), activities, NOW);
        Collections.reverse(activities);
        Qualification b = new QualificationEngine(DefinitionLoader.load(Path.of("../config/qualification.yaml")))
                .evaluate(lead(seniorBuyer()), activities, NOW);

        assertThat(b.fitScore()).isEqualTo(a.fitScore());
        assertThat(b.engagementScore()).isEqualTo(a.engagementScore());
        assertThat(b.grade()).isEqualTo(a.grade());
        assertThat(b.explanation().shortText(1000)).isEqualTo(a.explanation().shortText(1000));
        assertThat(b.explanation().fullText()).isEqualTo(a.explanation().fullText());
        assertThat(b.explanation().lines()).isEqualTo(a.explanation().lines());
    }

    @Test
    void fullTextNamesEveryCriterionDisqualifierAndThreshold() {
        Qualification q = engine.evaluate(lead(seniorBuyer()), recentPricingAndWebinar(), NOW);

        String full = q.explanation().fullText();

        assertThat(full).startsWith("MQL (acme-mql@v3), grade A3\n");
        for (String id : List.of("revenue", "employees", "industry", "region", "seniority", "function", "personal-email",
                "competitor", "webinar_attended", "content_download", "newsletter_signup", "fit 80 ≥ 40", "engagement 34 ≥ 30")) {
            assertThat(full).contains(id);
        }
    }

    private static Explanation.Line line(Qualification q, Explanation.Kind kind, String id) {
        return q.explanation().lines().stream().filter(l -> l.kind() == kind && l.id().equals(id)).findFirst().orElseThrow();
    }

    private static int sum(Qualification q, Explanation.Kind kind) {
        return q.explanation().lines().stream().filter(l -> l.kind() == kind).mapToInt(Explanation.Line::points).sum();
    }
}
