package dev.handoff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplanationJsonTest {

    final QualificationEngine engine = new QualificationEngine(QualificationEngineTest.DEFINITION);

    static int sum(List<Map<String, Object>> lines, String kind) {
        return lines.stream().filter(l -> kind.equals(l.get("kind"))).mapToInt(l -> (Integer) l.get("points")).sum();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lines(Map<String, Object> json) {
        return (List<Map<String, Object>>) json.get("lines");
    }

    @Test
    void fitAndEngagementLinePointsAddUpToTheScores() {
        Qualification q = engine.evaluate(QualificationEngineTest.lead(QualificationEngineTest.seniorBuyer()),
                QualificationEngineTest.recentPricingAndWebinar(), QualificationEngineTest.NOW);

        Map<String, Object> json = ExplanationJson.of(q);

        assertThat(json).containsEntry("fit_score", q.fitScore()).containsEntry("engagement_score", q.engagementScore())
                .containsEntry("grade", q.grade()).containsEntry("mql", true).containsEntry("definition", "acme-mql@v3");
        assertThat(sum(lines(json), "fit")).isEqualTo(q.fitScore());
        assertThat(sum(lines(json), "engagement")).isEqualTo(q.engagementScore());
    }

    @Test
    void keysAndLineKindsAreSnakeCaseInAFixedOrder() {
        Qualification q = engine.evaluate(QualificationEngineTest.lead(QualificationEngineTest.seniorBuyer()), List.of(),
                QualificationEngineTest.NOW);

        Map<String, Object> json = ExplanationJson.of(q);

        assertThat(json.keySet()).containsExactly("definition", "mql", "fit_score", "engagement_score", "grade",
                "disqualification", "missing_fields", "short_text", "lines");
        assertThat(lines(json).get(0).keySet()).containsExactly("kind", "id", "hit", "points", "count", "detail");
        assertThat(lines(json)).extracting(l -> l.get("kind")).contains("verdict", "threshold", "required_field",
                "disqualifier", "fit", "engagement");
    }

    @Test
    void disqualificationAndMissingFieldsAreReported() {
        Map<String, String> fields = QualificationEngineTest.seniorBuyer();
        fields.put("email", "jane@gmail.com");
        fields.remove("company");
        Qualification q = engine.evaluate(QualificationEngineTest.lead(fields),
                List.of(QualificationEngineTest.activity("webinar_attended", Duration.ofDays(2))), QualificationEngineTest.NOW);

        Map<String, Object> json = ExplanationJson.of(q);

        assertThat(json).containsEntry("mql", false)
                .containsEntry("disqualification", Map.of("criterion", "personal-email", "reason", "WRONG_CONTACT"))
                .containsEntry("missing_fields", List.of("company"))
                .containsEntry("short_text", q.explanation().shortText(1000));
    }
}
