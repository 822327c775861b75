package dev.handoff.definition;

import static dev.handoff.definition.Definitions.replace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.definition.DefinitionDiff.Change;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionDiffTest {

    static final Definition SHIPPED = Definitions.shipped();

    static List<String> sentences(List<Change> changes) {
        return changes.stream().map(Change::sentence).toList();
    }

    @Test
    void identicalDefinitionsHaveNoDifferences() {
        List<Change> changes = DefinitionDiff.compare(SHIPPED, Definitions.shipped());

        assertThat(changes).isEmpty();
        assertThat(DefinitionDiff.text(changes)).isEqualTo("No differences.\n");
    }

    @Test
    void stricterAgreementListsEveryChangeMostImportantFirst(@TempDir Path dir) {
        Definition stricter = Definitions.edited(dir, "stricter.yaml", yaml -> {
            String y = replace(yaml, "version: 3", "version: 4");
            y = replace(y, "when: {fit: \">= 40\"", "when: {fit: \">= 50\"");
            y = replace(y, "    - {id: function,  field: title, matches: \"(?i)(finance|marketing|sales)\", points: 10}\n", "");
            y = replace(y, "in: [Software, Financial Services, Manufacturing], points: 10}",
                    "in: [Software, Financial Services, Manufacturing], points: 15}");
            return replace(y, "  DUPLICATE:      {action: merge}\n",
                    "  DUPLICATE:      {action: merge}\n  BAD_TIMING:     {action: recycle, after_days: 60}\n");
        });

        List<Change> changes = DefinitionDiff.compare(SHIPPED, stricter);

        assertThat(sentences(changes)).containsExactly(
                "Version 3 → 4.",
                "MQL fit threshold raised from ≥ 40 to ≥ 50.",
                "Fit criterion function removed (was: title mentions finance, marketing or sales → 10 points).",
                "Fit criterion industry points raised from 10 to 15.",
                "Reject reason BAD_TIMING added: the lead is back to marketing nurture, may return to sales after 60 days.");
        assertThat(changes.get(1)).isEqualTo(new Change(DefinitionDiff.Kind.THRESHOLD, "mql.when.fit", "≥ 40", "≥ 50",
                "MQL fit threshold raised from ≥ 40 to ≥ 50."));
        assertThat(changes.get(2).after()).isNull();
        assertThat(changes.get(4).before()).isNull();
    }

    @Test
    void changedRulesWithoutANewVersionAreFlaggedFirst(@TempDir Path dir) {
        Definition sameVersion = Definitions.edited(dir, "same.yaml", yaml -> replace(yaml, "half_life_days: 30", "half_life_days: 45"));

        assertThat(sentences(DefinitionDiff.compare(SHIPPED, sameVersion))).containsExactly(
                "The rules changed but the version is still 3; bump it so each lead records which rules qualified it.",
                "Engagement points now halve every 45 days instead of 30 days (activities count longer).");
    }

    @Test
    void valuesAddedToAndRemovedFromAnInListAreNamed(@TempDir Path dir) {
        Definition changed = Definitions.edited(dir, "in.yaml", yaml -> replace(yaml,
                "in: [Software, Financial Services, Manufacturing]", "in: [software, Financial Services, Healthcare]"));

        assertThat(sentences(DefinitionDiff.compare(SHIPPED, changed)))
                .contains("Fit criterion industry: added Healthcare; removed Manufacturing.")
                .noneMatch(s -> s.contains("Software"));
    }

    @Test
    void bandPointsRegexAndDisqualifierReasonChangesAreDescribed(@TempDir Path dir) {
        Definition changed = Definitions.edited(dir, "rules.yaml", yaml -> {
            String y = replace(yaml, "{min: 50_000_000, points: 20}", "{min: 50_000_000, points: 25}");
            y = replace(y, "{min: 500, points: 15}, {min: 100, points: 8}", "{min: 1000, points: 15}, {min: 100, points: 8}");
            y = replace(y, "matches: \"(?i)(finance|marketing|sales)\"", "matches: \"(?i)(finance|sales)\"");
            return replace(y, "in: [rival.example], reason: NOT_RIGHT_FIT", "in: [rival.example], reason: OTHER");
        });

        assertThat(sentences(DefinitionDiff.compare(SHIPPED, changed))).contains(
                "Fit criterion revenue: at least 50,000,000 now gives 25 points instead of 20.",
                "Fit criterion employees bands changed from ≥ 500 → 15, ≥ 100 → 8 to ≥ 1,000 → 15, ≥ 100 → 8.",
                "Fit criterion function pattern changed from (?i)(finance|marketing|sales) to (?i)(finance|sales) "
                        + "(now mentions finance or sales).",
                "Disqualifier competitor now records OTHER instead of NOT_RIGHT_FIT.");
    }

    @Test
    void engagementGradeSlaAndReasonActionChangesAreDescribed(@TempDir Path dir) {
        Definition changed = Definitions.edited(dir, "sla.yaml", yaml -> {
            String y = replace(yaml, "{type: pricing_page_visit, points: 20}", "{type: pricing_page_visit, points: 25, max_count: 2}");
            y = replace(y, "    - {type: newsletter_signup,  points: 3}\n", "");
            y = replace(y, "fit:        {A: 70, B: 50, C: 30}", "fit:        {A: 75, B: 50, C: 30}");
            y = replace(y, "accept_within: 24h", "accept_within: 2d");
            y = replace(y, "{per: month, min: 400, max: 700}", "{per: month, min: 450, max: 700}");
            y = replace(y, "feedback_required: [status, reject_reason]", "feedback_required: [status, reject_reason, reject_comment]");
            return replace(y, "NO_BUDGET:      {action: recycle, after_days: 180}", "NO_BUDGET:      {action: disqualify}");
        });

        assertThat(sentences(DefinitionDiff.compare(SHIPPED, changed))).containsSubsequence(
                "Activity newsletter_signup no longer scores (was 3 points).",
                "Activity pricing_page_visit points raised from 20 to 25.",
                "Activity pricing_page_visit now counts only the 2 most recent (was every one).",
                "Grade A now needs fit ≥ 75 instead of ≥ 70.",
                "Sales now has 48 hours instead of 24 hours to accept or reject a lead.",
                "Marketing now commits to 450–700 sales-ready leads per month instead of 400–700 per month.",
                "Sales must now fill in reject comment on every lead.",
                "Reject reason NO_BUDGET: the lead is now never handed to sales again "
                        + "(was back to marketing nurture, may return to sales after 180 days).");
    }

    @Test
    void thresholdRewrittenWithTheSameEffectSaysSo(@TempDir Path dir) {
        Definition changed = Definitions.edited(dir, "gt.yaml", yaml -> replace(yaml, "engagement: \">= 30\"", "engagement: \"> 29\""));

        assertThat(sentences(DefinitionDiff.compare(SHIPPED, changed)))
                .contains("MQL engagement threshold rewritten from ≥ 30 to > 29 (same effect).");
    }
}
