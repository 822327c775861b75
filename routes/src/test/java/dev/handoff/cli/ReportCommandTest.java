package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.config.Secret;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code handoff report} on a small ledger: HTML and JSON, to a file or standard output, and bad options. */
class ReportCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void ledgerWithTwoHandoffs() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("ledger");
        try (Ledger ledger = Ledger.open(url, "sa", Secret.of(""), Clock.fixed(T0, ZoneOffset.UTC))) {
            ledger.recordActivityPage(List.of(), List.of("1", "2"), "w", "t");
            ledger.recordQualifications(List.of(
                    new Records.Qualified("1", "a@x.example", Map.of("lead_source", "Webinar"), 60, 40, "B2", true, null, "MQL",
                            "acme-mql@v3"),
                    new Records.Qualified("2", "b@x.example", Map.of("lead_source", "Website"), 60, 40, "B2", true, null, "MQL",
                            "acme-mql@v3")), T0);
            ledger.recordHandoffs(List.of(new Records.HandedOff("1", "00Q1", T0, T0.plus(Duration.ofDays(1))),
                    new Records.HandedOff("2", "00Q2", T0, T0.plus(Duration.ofDays(1)))));
            ledger.recordDispositions(List.of(new Records.Disposition("1", "Closed", Records.Verdict.REJECTED, "NO_BUDGET",
                    null, "005", T0.plus(Duration.ofHours(4)), "RECYCLE", T0)), "d", "m");
        }
        config = dir.resolve("application.properties");
        Files.writeString(config, "handoff.ledger.url=" + url + "\nhandoff.definition=" + Cli.DEFINITION + "\n");
    }

    @Test
    void jsonToStandardOutputHasTheNumbers() throws Exception {
        Cli r = Cli.run("report", "--config", config.toString(), "--format", "json", "--period", "week",
                "--at", "2026-11-05T09:00:00Z");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("period").asText()).isEqualTo("week");
        assertThat(json.path("overall").path("handed_off").asLong()).isEqualTo(2);
        assertThat(json.path("overall").path("rejected").asLong()).isEqualTo(1);
        // lead 2 is undecided two days after handoff: breached
        assertThat(json.path("overall").path("sla_breached").asLong()).isEqualTo(1);
        assertThat(json.path("overall").path("speed_to_accept_median_ms").asDouble()).isEqualTo(4 * 3_600_000.0);
        assertThat(json.path("overall").path("reject_reasons").path("NO_BUDGET").asLong()).isEqualTo(1);
        assertThat(json.path("by_source").has("Webinar")).isTrue();
    }

    @Test
    void htmlGoesToTheFileNamed() throws Exception {
        Path out = dir.resolve("reports/sla.html");
        Cli r = Cli.run("report", "--config", config.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote the SLA report (html) to " + out);
        assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>").contains("id=\"chart-quantity\"", "Webinar");
    }

    @Test
    void badOptionsExitWithTwoNamingThem() {
        Cli period = Cli.run("report", "--config", config.toString(), "--period", "fortnight");
        assertThat(period.code()).isEqualTo(2);
        assertThat(period.err()).contains("--period", "fortnight");
        Cli at = Cli.run("report", "--config", config.toString(), "--at", "yesterday");
        assertThat(at.code()).isEqualTo(2);
        assertThat(at.err()).contains("--at");
        Cli format = Cli.run("report", "--config", config.toString(), "--format", "pdf");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("--format");
    }
}
