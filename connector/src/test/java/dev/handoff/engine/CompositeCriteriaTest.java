package dev.handoff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.definition.Condition;
import dev.handoff.definition.Criterion;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompositeCriteriaTest {

    static final Definition DEFINITION = DefinitionLoader.load(Path.of("src/test/resources/definitions/composite/qualification.yaml"));
    static final Instant NOW = Instant.parse("2026-11-15T12:00:00Z");

    final QualificationEngine engine = new QualificationEngine(DEFINITION);

    static Map<String, String> fields(String... keyValues) {
        Map<String, String> f = new HashMap<>();
        f.put("email", "pat@corp.example");
        f.put("company", "Corp");
        for (int i = 0; i < keyValues.length; i += 2) {
            f.put(keyValues[i], keyValues[i + 1]);
        }
        return f;
    }

    Qualification evaluate(Map<String, String> fields) {
        return engine.evaluate(new Lead("L-1", fields), List.of(), NOW);
    }

    static Explanation.Line line(Qualification q, String id) {
        return q.explanation().lines().stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void compositeCriteriaLoadWithTheirPartsAndNoFieldOfTheirOwn() {
        Criterion buyer = DEFINITION.fit().criteria().get(1);

        assertThat(buyer.field()).isEmpty();
        assertThat(buyer.maxPoints()).isEqualTo(15);
        Condition.All all = (Condition.All) buyer.condition();
        assertThat(all.parts()).extracting(Condition.Part::field).containsExactly("employees", "title");
        Condition.Any any = (Condition.Any) DEFINITION.fit().criteria().get(2).condition();
        assertThat(any.parts().get(1).field()).isEmpty();
        assertThat(any.parts().get(1).condition()).isInstanceOf(Condition.All.class);
    }

    @Test
    void allScoresOnlyWhenEveryPartHoldsAndTheExplanationMarksEachPart() {
        Qualification hit = evaluate(fields("employees", "1500", "title", "Chief Revenue Officer"));
        Qualification miss = evaluate(fields("employees", "50", "title", "Chief Revenue Officer"));

        assertThat(line(hit, "enterprise-buyer").hit()).isTrue();
        assertThat(line(hit, "enterprise-buyer").points()).isEqualTo(15);
        assertThat(line(hit, "enterprise-buyer").detail())
                .isEqualTo("all of (✓ employees 1,500 ≥ 1,000; ✓ title \"Chief Revenue Officer\")");
        assertThat(line(miss, "enterprise-buyer").hit()).isFalse();
        assertThat(line(miss, "enterprise-buyer").detail())
                .isEqualTo("all of (✗ employees 50 < 1,000; ✓ title \"Chief Revenue Officer\")");
        assertThat(miss.fitScore()).isZero();
    }

    @Test
    void anyScoresWhenOnePartHoldsIncludingANestedAll() {
        Qualification us = evaluate(fields("country", "US"));
        Qualification germanManufacturer = evaluate(fields("country", "DE", "industry", "Manufacturing"));
        Qualification germanBank = evaluate(fields("country", "DE", "industry", "Banking"));

        assertThat(us.fitScore()).isEqualTo(10);
        assertThat(germanManufacturer.fitScore()).isEqualTo(10);
        assertThat(line(germanManufacturer, "target-market").detail()).isEqualTo(
                "any of (✗ country \"DE\" not in the list; ✓ all of (✓ country \"DE\"; ✓ industry \"Manufacturing\"))");
        assertThat(germanBank.fitScore()).isZero();
        assertThat(line(germanBank, "target-market").detail()).contains("✗ industry \"Banking\" not in the list");
    }

    @Test
    void disqualifierMayCombineTestsWithAll() {
        Qualification student = evaluate(fields("title", "Student", "company", ""));
        Qualification employedStudent = evaluate(fields("title", "Working student", "annual_revenue", "60000000"));

        assertThat(student.disqualification()).get().satisfies(d -> assertThat(d.reason()).isEqualTo("WRONG_CONTACT"));
        assertThat(line(student, "student").detail()).isEqualTo("all of (✓ title \"Student\"; ✓ no company) → WRONG_CONTACT");
        assertThat(employedStudent.disqualification()).isEmpty();
        assertThat(employedStudent.mql()).isFalse();
    }

    @Test
    void bandWithMaxScoresOnlyBelowItsMax() {
        assertThat(evaluate(fields("annual_revenue", "20000000")).fitScore()).isEqualTo(10);
        assertThat(evaluate(fields("annual_revenue", "60000000")).fitScore()).isEqualTo(20);
        Qualification between = evaluate(fields("annual_revenue", "45000000"));

        assertThat(between.fitScore()).isZero();
        assertThat(line(between, "revenue").detail()).isEqualTo("annual_revenue 45,000,000 not below max 40,000,000");
    }

    @Test
    void compositeMissingEveryFieldExplainsEachMissingField() {
        Qualification q = evaluate(fields());

        assertThat(line(q, "enterprise-buyer").detail()).isEqualTo("all of (✗ no employees; ✗ no title)");
        assertThat(q.explanation().shortText(1000)).contains("enterprise-buyer (all of (✗ no employees; ✗ no title))");
    }
}
