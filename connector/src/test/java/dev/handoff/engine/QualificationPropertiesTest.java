package dev.handoff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.definition.ActivityRule;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties of the engine over arbitrary leads: any unicode, control characters, huge strings,
 * missing fields and numbers written every which way, with arbitrary activity lists.
 */
class QualificationPropertiesTest {

    static final Instant NOW = Instant.parse("2026-11-15T12:00:00Z");
    static final String[] FIELDS = {"email", "email_domain", "first_name", "last_name", "company", "title", "industry",
        "country", "annual_revenue", "employees"};
    static final String[] KNOWN_TYPES = {"webinar_attended", "content_download", "pricing_page_visit",
        "newsletter_signup", "unsubscribed"};

    static Definition definition;
    static QualificationEngine engine;

    @BeforeContainer
    static void compileDefaultDefinition() {
        definition = DefinitionLoader.load(Path.of("../config/qualification.yaml"));
        engine = new QualificationEngine(definition);
    }

    @Provide
    Arbitrary<Lead> leads() {
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> huge = Arbitraries.strings().all().ofMinLength(2_000).ofMaxLength(10_000);
        Arbitrary<String> control = Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('\u007f', '\u0085',
                '\u2028', '\u202e', '\ufeff').ofMaxLength(10);
        Arbitrary<String> numbers = Arbitraries.oneOf(
                Arbitraries.longs().map(v -> Long.toString(v)),
                Arbitraries.doubles().map(v -> Double.toString(v)),
                Arbitraries.of("$5M", "5m", "€2.5B", "10k", "1.2e7", " 500 ", "12,000,000", "12 000 000", "5-10M",
                        "about 5M", "1,2", "NaN", "Infinity", "-Infinity", "0x1F", "1e400", "-0", "", "   ",
                        "9".repeat(500), "\u0000", "١٢٣"));
        Arbitrary<String> realistic = Arbitraries.of("jane@bigsoft.example", "joe@gmail.com", "x@rival.example", "VP Sales",
                "Head of Finance", "Engineer", "Software", "Retail", "US", "BR", "BigSoft", "Doe", "rival.example");
        Arbitrary<String> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, realistic), net.jqwik.api.Tuple.of(4, numbers), net.jqwik.api.Tuple.of(4, anyText),
                net.jqwik.api.Tuple.of(2, control), net.jqwik.api.Tuple.of(1, huge));
        Arbitrary<Map<String, String>> fields = value.injectNull(0.3).list().ofSize(FIELDS.length).map(values -> {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < FIELDS.length; i++) {
                m.put(FIELDS[i], values.get(i));
            }
            return m;
        });
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.of("L-1"), anyText).injectNull(0.05);
        return Combinators.combine(id, fields).as(Lead::new);
    }

    @Provide
    Arbitrary<List<Activity>> activityLists() {
        return activities().list().ofMaxSize(40);
    }

    Arbitrary<Activity> activities() {
        Arbitrary<String> type = Arbitraries.oneOf(Arbitraries.of(KNOWN_TYPES), Arbitraries.strings().all().ofMaxLength(20));
        Arbitrary<Instant> at = Arbitraries.oneOf(
                Arbitraries.longs().between(-400L * 86_400, 30L * 86_400).map(ago -> NOW.minusSeconds(ago)),
                Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH, NOW));
        Arbitrary<String> leadId = Arbitraries.of("L-1", "L-2").injectNull(0.3);
        return Combinators.combine(leadId, type, at).as((l, t, a) -> new Activity("A", l, t, a));
    }

    @Provide
    Arbitrary<Activity> positiveActivities() {
        List<String> positive = new ArrayList<>();
        for (String t : KNOWN_TYPES) {
            if (definition.engagement().rule(t).map(ActivityRule::points).orElse(0) > 0) {
                positive.add(t);
            }
        }
        Arbitrary<Instant> at = Arbitraries.longs().between(0, 400L * 86_400).map(ago -> NOW.minusSeconds(ago));
        return Combinators.combine(Arbitraries.of(positive), at).as((t, a) -> new Activity("A+", "L-1", t, a));
    }

    @Property
    void evaluatingNeverThrowsAndTheTextsRender(@ForAll("leads") Lead lead, @ForAll("activityLists") List<Activity> activities) {
        Qualification q = engine.evaluate(lead, activities, NOW);

        assertThat(q.explanation().lines()).isNotEmpty();
        assertThat(q.explanation().fullText()).isNotBlank();
        assertThat(q.explanation().shortText(1000)).isNotBlank();
    }

    @Property
    void shortTextNeverExceedsTheCrmFieldLength(@ForAll("leads") Lead lead, @ForAll("activityLists") List<Activity> activities) {
        assertThat(engine.evaluate(lead, activities, NOW).explanation().shortText(1000)).hasSizeLessThanOrEqualTo(1000);
    }

    @Property
    void addingAPositiveActivityNeverLowersEngagement(@ForAll("leads") Lead lead,
            @ForAll("activityLists") List<Activity> activities, @ForAll("positiveActivities") Activity extra) {
        List<Activity> more = new ArrayList<>(activities);
        more.add(extra);

        int before = engine.evaluate(lead, activities, NOW).engagementScore();
        int after = engine.evaluate(lead, more, NOW).engagementScore();

        assertThat(after).isGreaterThanOrEqualTo(before);
    }

    @Property
    void scoresStayWithinWhatTheDefinitionCanGive(@ForAll("leads") Lead lead,
            @ForAll("activityLists") List<Activity> activities) {
        Qualification q = engine.evaluate(lead, activities, NOW);

        int maxFit = 0;
        for (CompiledCheck c : engine.criteria) {
            maxFit += Math.max(0, c.kind == CompiledCheck.BANDS ? 20 : c.points);
        }
        int maxAbsEngagement = 0;
        for (ActivityRule r : engine.rules) {
            maxAbsEngagement += Math.abs(r.points()) * activities.size();
        }
        assertThat(q.fitScore()).isBetween(0, maxFit);
        assertThat(Math.abs(q.engagementScore())).isLessThanOrEqualTo(maxAbsEngagement);
        assertThat(q.grade()).matches("[ABCD][1-4]");
    }

    @Property
    void disqualifiedLeadsAreNeverMql(@ForAll("leads") Lead lead, @ForAll("activityLists") List<Activity> activities) {
        Qualification q = engine.evaluate(lead, activities, NOW);

        if (q.disqualification().isPresent() || !q.missingFields().isEmpty()) {
            assertThat(q.mql()).isFalse();
        }
    }

    @Property
    void explanationPointsAddUpToTheScores(@ForAll("leads") Lead lead, @ForAll("activityLists") List<Activity> activities) {
        Qualification q = engine.evaluate(lead, activities, NOW);

        int fit = 0;
        int engagement = 0;
        for (Explanation.Line l : q.explanation().lines()) {
            if (l.kind() == Explanation.Kind.FIT) {
                fit += l.points();
            } else if (l.kind() == Explanation.Kind.ENGAGEMENT) {
                engagement += l.points();
            }
        }
        assertThat(fit).isEqualTo(q.fitScore());
        assertThat(engagement).isEqualTo(q.engagementScore());
    }

    @Property
    void sameInputsGiveTheSameResultByteForByte(@ForAll("leads") Lead lead, @ForAll("activityLists") List<Activity> activities) {
        // A second engine compiled from the same file: nothing may depend on which instance evaluated.
        QualificationEngine again = new QualificationEngine(definition);

        Qualification a = engine.evaluate(lead, activities, NOW);
        Qualification b = again.evaluate(new Lead(lead.id(), new HashMap<>(lead.fields())), new ArrayList<>(activities), NOW);

        assertThat(b.fitScore()).isEqualTo(a.fitScore());
        assertThat(b.engagementScore()).isEqualTo(a.engagementScore());
        assertThat(b.grade()).isEqualTo(a.grade());
        assertThat(b.mql()).isEqualTo(a.mql());
        assertThat(b.disqualification()).isEqualTo(a.disqualification());
        assertThat(b.missingFields()).isEqualTo(a.missingFields());
        assertThat(b.explanation().lines()).isEqualTo(a.explanation().lines());
        assertThat(b.explanation().shortText(1000)).isEqualTo(a.explanation().shortText(1000));
        assertThat(b.explanation().fullText()).isEqualTo(a.explanation().fullText());
    }
}
