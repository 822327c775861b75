package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.config.Secret;
import dev.handoff.engine.Activity;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code handoff backtest} on a four-lead ledger scored with the shipped definition: the candidate
 * raises the fit threshold from 40 to 60, so lead 2 (fit 53, rejected) and lead 3 (fit 48, accepted)
 * flip; lead 1 (fit 80) stays an MQL; lead 4 (fit 0) stays out.
 */
class BacktestCommandTest {

    private static final Instant T = Instant.parse("2026-11-10T12:00:00Z");

    @TempDir
    Path dir;
    Path config;
    Path candidate;

    @BeforeEach
    void ledgerWithFourScoredLeads() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath();
        config = dir.resolve("application.properties");
        // a secret the backtest never reads may name an unset variable: only ledger and definition keys are read
        Files.writeString(config, "handoff.ledger.url=" + url + "\nhandoff.definition=" + Cli.DEFINITION
                + "\nhandoff.marketo.client-secret=${env:HANDOFF_TEST_SURELY_UNSET_4711}\n");
        candidate = copyOfShippedWith(dir, "candidate.yaml", "when: {fit: \">= 40\"", "when: {fit: \">= 60\"");
        try (Ledger ledger = Ledger.open(url, "sa", Secret.of(""), Clock.fixed(T.plus(Duration.ofDays(5)), java.time.ZoneOffset.UTC))) {
            ledger.recordActivityPage(List.of(
                    new Activity("a1", "1", "pricing_page_visit", T), new Activity("b1", "1", "webinar_attended", T),
                    new Activity("a2", "2", "pricing_page_visit", T), new Activity("b2", "2", "webinar_attended", T),
                    new Activity("a3", "3", "pricing_page_visit", T), new Activity("b3", "3", "webinar_attended", T),
                    new Activity("a4", "4", "pricing_page_visit", T)), List.of("1", "2", "3", "4", "5"), "w", "1");
            ledger.recordQualifications(List.of(
                    qualified("1", Map.of("title", "VP Finance", "annual_revenue", "60000000", "employees", "600",
                            "industry", "Software", "country", "US"), true),
                    qualified("2", Map.of("title", "Director of Sales", "annual_revenue", "20000000", "employees", "150",
                            "country", "US"), true),
                    qualified("3", Map.of("title", "Head of Marketing", "employees", "150", "industry", "Software"), true),
                    qualified("4", Map.of("title", "Intern"), false)), T);
            ledger.recordHandoffs(List.of(new Records.HandedOff("1", "00Q1", T, T.plus(Duration.ofDays(1))),
                    new Records.HandedOff("2", "00Q2", T, T.plus(Duration.ofDays(1))),
                    new Records.HandedOff("3", "00Q3", T, T.plus(Duration.ofDays(1)))));
            ledger.recordDispositions(List.of(
                    new Records.Disposition("1", "Working - Contacted", Records.Verdict.ACCEPTED, null, null, "005", T.plusSeconds(60), null, null),
                    new Records.Disposition("2", "Closed - Not Converted", Records.Verdict.REJECTED, "NOT_RIGHT_SIZE", null, "005",
                            T.plusSeconds(60), "DISQUALIFY", null),
                    new Records.Disposition("3", "Working - Contacted", Records.Verdict.ACCEPTED, null, null, "005", T.plusSeconds(60), null, null)),
                    "d", "1");
        }
    }

    static Path copyOfShippedWith(Path dir, String name, String from, String to) throws Exception {
        Path shipped = Path.of(Cli.DEFINITION);
        String text = Files.readString(shipped);
        assertThat(text).contains(from);
        Files.createDirectories(dir.resolve("lists"));
        Files.copy(shipped.resolveSibling("lists/personal_domains.txt"), dir.resolve("lists/personal_domains.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path file = dir.resolve(name);
        Files.writeString(file, text.replace(from, to).replace("version: 3", "version: 4"));
        return file;
    }

    private static Records.Qualified qualified(String id, Map<String, String> fields, boolean mql) {
        Map<String, String> all = new java.util.HashMap<>(fields);
        all.put("email", "lead" + id + "@corp" + id + ".example");
        all.put("company", "Corp " + id);
        all.put("last_name", "Lead" + id);
        return new Records.Qualified(id, all.get("email"), all, 0, 0, "D4", mql, null, "live", "acme-mql@v3");
    }

    @Test
    void jsonOnTheLastLineHasBothDefinitionsAndTheFlips() throws Exception {
        Cli r = Cli.run("backtest", "--candidate", candidate.toString(), "--config", config.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertThat(j.get("scored").asLong()).isEqualTo(4);
        assertThat(j.get("not_scored").asLong()).isEqualTo(1);
        assertThat(j.get("recorded").get("baseline_agrees").asLong()).isEqualTo(4);
        assertThat(j.get("baseline").get("definition").asText()).isEqualTo("acme-mql@v3");
        assertThat(j.get("candidate").get("definition").asText()).isEqualTo("acme-mql@v4");
        assertThat(j.get("baseline").get("mqls").asLong()).isEqualTo(3);
        assertThat(j.get("candidate").get("mqls").asLong()).isEqualTo(1);
        assertThat(j.get("baseline").get("acceptance_rate").asDouble()).isEqualTo(2.0 / 3);
        assertThat(j.get("candidate").get("acceptance_rate").asDouble()).isEqualTo(1.0);
        assertThat(j.get("candidate").get("rejected_not_qualified").get("NOT_RIGHT_SIZE").asLong()).isEqualTo(1);
        assertThat(j.get("candidate").get("accepted_not_qualified").asLong()).isEqualTo(1);
        assertThat(j.get("baseline").get("periods").get("list").get(0).get("period").asText()).isEqualTo("2026-11");
        assertThat(j.get("baseline").get("periods").get("list").get(0).get("status").asText()).isEqualTo("below");
        assertThat(j.get("flips").get("total").asLong()).isEqualTo(2);
        JsonNode flip = j.get("flips").get("listed").get(0);
        assertThat(flip.get("id").asText()).isEqualTo("2");
        assertThat(flip.get("email").asText()).isEqualTo("l***@corp2.example");
        assertThat(flip.get("baseline").get("fit").asInt()).isEqualTo(53);
        assertThat(flip.get("candidate").get("mql").asBoolean()).isFalse();
        assertThat(flip.get("live").asText()).isEqualTo("rejected NOT_RIGHT_SIZE");
        assertThat(r.out()).doesNotContain("lead2@corp2.example");
    }

    @Test
    void tablesSayWhatTheCandidateChanges() {
        Cli r = Cli.run("backtest", "--candidate", candidate.toString(), "--config", config.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Backtest of 4 scored leads")
                .containsPattern("MQLs\\s+3\\s+1")
                .containsPattern("acceptance rate \\(of decided\\)\\s+66\\.7%\\s+100\\.0%")
                .contains("Rejections the candidate would have avoided: 1 of 1 rejected leads")
                .containsPattern("NOT_RIGHT_SIZE\\s+1")
                .contains("Leads that flip: 2 (MQL under the baseline only: 2, under the candidate only: 0)")
                .contains("1 leads were never scored");
    }

    @Test
    void sinceAfterTheHistoryLeavesNothingToReplay() {
        Cli r = Cli.run("backtest", "--candidate", candidate.toString(), "--config", config.toString(), "--since", "2026-12-01");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("has no scored leads since 2026-12-01T00:00:00Z");
    }

    @Test
    void badSinceIsNamed() {
        Cli r = Cli.run("backtest", "--candidate", candidate.toString(), "--config", config.toString(), "--since", "last week");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("invalid --since \"last week\"");
    }

    @Test
    void brokenCandidateIsReportedWithFileLineAndColumn() throws Exception {
        Path broken = copyOfShippedWith(dir, "broken.yaml", "half_life_days: 30", "half_life_days: soon");
        Cli r = Cli.run("backtest", "--candidate", broken.toString(), "--config", config.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("the candidate definition has problems").containsPattern("broken\\.yaml:\\d+:\\d+: engagement\\.half_life_days");
    }

    @Test
    void missingLedgerIsNamedAndNotCreated() throws Exception {
        Path other = dir.resolve("other.properties");
        Files.writeString(other, "handoff.ledger.url=jdbc:h2:file:" + dir.resolve("nowhere").toAbsolutePath() + "\n");
        Cli r = Cli.run("backtest", "--candidate", candidate.toString(), "--baseline", Cli.DEFINITION, "--config", other.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no ledger at").contains("nowhere.mv.db");
        assertThat(dir.resolve("nowhere.mv.db")).doesNotExist();
    }

    @Test
    void emptyLedgerSaysThereIsNothingToReplay() throws Exception {
        Path empty = dir.resolve("empty.properties");
        String url = "jdbc:h2:file:" + dir.resolve("empty").toAbsolutePath();
        Ledger.open(url, "sa", Secret.of(""), Clock.systemUTC()).close();
        Files.writeString(empty, "handoff.ledger.url=" + url + "\n");
        Cli r = Cli.run("backtest", "--candidate", candidate.toString(), "--baseline", Cli.DEFINITION, "--config", empty.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("has no scored leads: nothing to replay");
    }

    @Test
    void withoutCandidateOrShadowItAsksForOne() {
        Cli r = Cli.run("backtest", "--config", config.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--candidate FILE is required");
    }

    @Test
    void shadowWithoutShadowResultsSaysSo() throws Exception {
        Cli r = Cli.run("backtest", "--shadow", "--config", config.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(r.lastLine()).get("shadow");
        assertThat(s.get("compared").asLong()).isZero();
        assertThat(s.get("not_shadow_scored").asLong()).isEqualTo(4);
        assertThat(Cli.run("backtest", "--shadow", "--config", config.toString()).out())
                .contains("Nothing to compare: set handoff.definition.shadow=FILE");
    }
}
