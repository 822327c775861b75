package dev.handoff.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionLoaderTest {

    static final Path DEFAULT = Path.of("../config/qualification.yaml");

    @TempDir
    Path dir;

    @Test
    void defaultAgreementLoads() {
        Definition d = DefinitionLoader.load(DEFAULT);

        assertThat(d.label()).isEqualTo("acme-mql@v3");
        assertThat(d.agreedBy()).containsEntry("marketing", "VP Marketing").containsEntry("sales", "VP Sales");
        assertThat(d.effective()).isEqualTo(LocalDate.of(2026, 11, 1));
        assertThat(d.fit().criteria()).extracting(Criterion::id)
                .containsExactly("revenue", "employees", "industry", "region", "seniority", "function");
        Condition.Bands revenue = (Condition.Bands) d.fit().criteria().get(0).condition();
        assertThat(revenue.bands()).containsExactly(new Condition.Band(50_000_000, 20), new Condition.Band(10_000_000, 10));
        assertThat(d.fit().disqualifiers()).extracting(Disqualifier::id, Disqualifier::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("personal-email", "WRONG_CONTACT"),
                        org.assertj.core.groups.Tuple.tuple("competitor", "NOT_RIGHT_FIT"));
        Condition.InList personal = (Condition.InList) d.fit().disqualifiers().get(0).condition();
        assertThat(personal.normalized()).contains("gmail.com", "yahoo.com", "gmx.de").doesNotContain("");
        assertThat(d.engagement().halfLifeDays()).isEqualTo(30);
        assertThat(d.engagement().rule("content_download")).get()
                .satisfies(r -> {
                    assertThat(r.maxCount()).hasValue(3);
                    assertThat(r.windowDays()).hasValue(90);
                });
        assertThat(d.engagement().rule("unsubscribed").orElseThrow().points()).isEqualTo(-50);
        assertThat(d.mql().fit()).isEqualTo(new Threshold(Threshold.Op.AT_LEAST, 40));
        assertThat(d.mql().requiredFields()).containsExactly("email", "company", "last_name");
        assertThat(d.grades().grade(55, 42)).isEqualTo("B2");
        assertThat(d.sla().acceptWithin()).isEqualTo(Duration.ofHours(24));
        assertThat(d.sla().quantity()).isEqualTo(new Sla.Quantity(Sla.Period.MONTH, 400, 700));
        assertThat(d.sla().quality()).isEqualTo(new Sla.Quality(Sla.Metric.CONVERTED, 0.25, 90));
        assertThat(d.sla().feedbackRequired()).containsExactly("status", "reject_reason");
        assertThat(d.rejectReasons().keySet()).containsExactly("NOT_RIGHT_FIT", "NOT_RIGHT_SIZE", "WRONG_CONTACT",
                "NOT_INTERESTED", "NO_BUDGET", "DUPLICATE", "OTHER");
        assertThat(d.rejectReason("WRONG_CONTACT")).contains(new RejectReason("WRONG_CONTACT", RejectReason.Action.RECYCLE, 0, false));
        assertThat(d.rejectReason("NO_BUDGET").orElseThrow().afterDays()).isEqualTo(180);
        assertThat(d.rejectReason("DUPLICATE").orElseThrow().action()).isEqualTo(RejectReason.Action.MERGE);
        assertThat(d.rejectReason("OTHER").orElseThrow().commentRequired()).isTrue();
        assertThat(d.rejectReason("NOPE")).isEmpty();
    }

    @Test
    void unknownKeyIsReportedAtTheKey() throws IOException {
        Path file = variant("in: [US, CA, GB, DE, FR], points: 5}", "in: [US, CA, GB, DE, FR], points: 5, colour: red}");

        DefinitionException e = load(file);

        assertThat(e.key()).isEqualTo("fit.criteria[3].colour");
        assertThat(e.line()).isEqualTo(lineOf(file, "colour"));
        assertThat(e.column()).isEqualTo(columnOf(file, "colour"));
        assertThat(e.problem()).contains("unknown key 'colour'").contains("points");
        assertThat(e.getMessage()).startsWith(file + ":" + e.line() + ":" + e.column() + ": fit.criteria[3].colour: unknown key");
    }

    @Test
    void badRegexNamesTheRegexError() throws IOException {
        Path file = variant("\"(?i)(finance|marketing|sales)\"", "\"(?i)(finance|marketing\"");

        DefinitionException e = load(file);

        assertThat(e.key()).isEqualTo("fit.criteria[5].matches");
        assertThat(e.line()).isEqualTo(lineOf(file, "(?i)(finance|marketing\""));
        assertThat(e.problem()).contains("bad regex").contains("Unclosed group");
    }

    @Test
    void nonNumericPointsAreReportedAtTheKey() throws IOException {
        Path file = variant("{min: 500, points: 15}", "{min: 500, points: lots}");

        DefinitionException e = load(file);

        assertThat(e.key()).isEqualTo("fit.criteria[1].bands[0].points");
        assertThat(e.line()).isEqualTo(lineOf(file, "points: lots"));
        assertThat(e.column()).isEqualTo(columnOf(file, "points: lots"));
        assertThat(e.problem()).contains("'lots' is not a whole number");
    }

    @Test
    void disqualifierReasonMustBeADefinedRejectReason() throws IOException {
        Path file = variant("reason: NOT_RIGHT_FIT}", "reason: NOT_A_REASON}");

        DefinitionException e = load(file);

        assertThat(e.key()).isEqualTo("fit.disqualify[1].reason");
        assertThat(e.line()).isEqualTo(lineOf(file, "NOT_A_REASON"));
        assertThat(e.column()).isEqualTo(columnOf(file, "reason: NOT_A_REASON"));
        assertThat(e.problem()).contains("'NOT_A_REASON' is not defined in reject_reasons");
    }

    @Test
    void bandMinsMustBeDescending() throws IOException {
        Path file = variant("{min: 500, points: 15}, {min: 100, points: 8}", "{min: 500, points: 15}, {min: 1000, points: 8}");

        DefinitionException e = load(file);

        assertThat(e.key()).isEqualTo("fit.criteria[1].bands[1].min");
        assertThat(e.line()).isEqualTo(lineOf(file, "{min: 1000"));
        assertThat(e.column()).isEqualTo(columnOf(file, "min: 1000"));
        assertThat(e.problem()).contains("strictly descending").contains("1000 is not below 500");
    }

    @Test
    void missingListFileIsReportedAtInList() throws IOException {
        Path file = dir.resolve("qualification.yaml");
        Files.copy(DEFAULT, file);

        DefinitionException e = load(file);

        assertThat(e.key()).isEqualTo("fit.disqualify[0].in_list");
        assertThat(e.line()).isEqualTo(lineOf(file, "in_list: personal_domains"));
        assertThat(e.problem()).contains("list file not found").contains("personal_domains.txt");
    }

    @Test
    void badYamlSyntaxIsReportedAtItsLine() throws IOException {
        Path file = variant("version: 3\n", "version: 3: 4\n");

        DefinitionException e = load(file);

        assertThat(e.line()).isEqualTo(lineOf(file, "version: 3: 4"));
        assertThat(e.problem()).startsWith("invalid YAML");
    }

    @Test
    void criterionNeedsExactlyOneTest() throws IOException {
        Path twoTests = variant("in: [Software, Financial Services, Manufacturing], points: 10}",
                "in: [Software, Financial Services, Manufacturing], equals: Software, points: 10}");
        DefinitionException e = load(twoTests);
        assertThat(e.key()).isEqualTo("fit.criteria[2].equals");
        assertThat(e.problem()).contains("exactly one test, found in and equals");

        Path noTest = variant("{id: region,    field: country,  in: [US, CA, GB, DE, FR], points: 5}",
                "{id: region,    field: country, points: 5}");
        e = load(noTest);
        assertThat(e.key()).isEqualTo("fit.criteria[3]");
        assertThat(e.line()).isEqualTo(lineOf(noTest, "id: region"));
    }

    @Test
    void criterionWithoutBandsNeedsPoints() throws IOException {
        Path file = variant("in: [US, CA, GB, DE, FR], points: 5}", "in: [US, CA, GB, DE, FR]}");
        DefinitionException e = load(file);
        assertThat(e.key()).isEqualTo("fit.criteria[3].points");
        assertThat(e.problem()).isEqualTo("is required");
        assertThat(e.line()).isEqualTo(lineOf(file, "id: region"));
    }

    @Test
    void duplicateCriterionIdsAreRejected() throws IOException {
        Path file = variant("{id: function,", "{id: seniority,");
        DefinitionException e = load(file);
        assertThat(e.key()).isEqualTo("fit.criteria[5].id");
        assertThat(e.problem()).contains("duplicate id 'seniority'").contains("fit.criteria[4]");
    }

    @Test
    void thresholdSyntaxIsChecked() throws IOException {
        Path file = variant("engagement: \">= 30\"", "engagement: \"at least 30\"");
        DefinitionException e = load(file);
        assertThat(e.key()).isEqualTo("mql.when.engagement");
        assertThat(e.problem()).contains("expected \">= N\" or \"> N\"");

        Definition strict = DefinitionLoader.load(variant("fit: \">= 40\"", "fit: \"> 40\""));
        assertThat(strict.mql().fit().test(40)).isFalse();
        assertThat(strict.mql().fit().test(41)).isTrue();
    }

    @Test
    void acceptWithinSyntaxIsChecked() throws IOException {
        DefinitionException e = load(variant("accept_within: 24h", "accept_within: one day"));
        assertThat(e.key()).isEqualTo("sla.accept_within");
        assertThat(e.problem()).contains("30m, 24h, 2d");

        assertThat(DefinitionLoader.load(variant("accept_within: 24h", "accept_within: 30m")).sla().acceptWithin())
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(DefinitionLoader.load(variant("accept_within: 24h", "accept_within: 1d12h")).sla().acceptWithin())
                .isEqualTo(Duration.ofHours(36));
    }

    @Test
    void recycleNeedsAfterDays() throws IOException {
        Path file = variant("NO_BUDGET:      {action: recycle, after_days: 180}", "NO_BUDGET:      {action: recycle}");
        DefinitionException e = load(file);
        assertThat(e.key()).isEqualTo("reject_reasons.NO_BUDGET");
        assertThat(e.line()).isEqualTo(lineOf(file, "NO_BUDGET:"));
        assertThat(e.problem()).contains("recycle needs after_days");
    }

    @Test
    void missingTopLevelSectionIsNamed() throws IOException {
        Path file = variant("version: 3\n", "");
        DefinitionException e = load(file);
        assertThat(e.key()).isEqualTo("version");
        assertThat(e.problem()).isEqualTo("is required");
    }

    @Test
    void duplicateKeysAreRejected() throws IOException {
        Path file = variant("version: 3\n", "version: 3\nversion: 4\n");
        DefinitionException e = load(file);
        assertThat(e.line()).isEqualTo(lineOf(file, "version: 4"));
        assertThat(e.problem()).contains("version");
    }

    private Path variant(String find, String replace) throws IOException {
        String text = Files.readString(DEFAULT, StandardCharsets.UTF_8);
        assertThat(text).contains(find);
        Path file = dir.resolve("qualification.yaml");
        Files.writeString(file, text.replace(find, replace), StandardCharsets.UTF_8);
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Files.copy(DEFAULT.resolveSibling("lists/personal_domains.txt"), lists.resolve("personal_domains.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static DefinitionException load(Path file) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> DefinitionLoader.load(file));
        assertThat(t).isInstanceOf(DefinitionException.class);
        DefinitionException e = (DefinitionException) t;
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.getMessage()).isEqualTo(file + ":" + e.line() + ":" + e.column() + ": "
                + (e.key().isEmpty() ? "(document)" : e.key()) + ": " + e.problem());
        return e;
    }

    private static int lineOf(Path file, String needle) throws IOException {
        String[] lines = Files.readString(file).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in " + file);
    }

    private static int columnOf(Path file, String needle) throws IOException {
        return Files.readString(file).split("\n", -1)[lineOf(file, needle) - 1].indexOf(needle) + 1;
    }

    @Test
    void assertThatThrownByStillWorksForUnreadableFiles() {
        assertThatThrownBy(() -> DefinitionLoader.load(dir.resolve("absent.yaml")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("cannot read");
    }
}
