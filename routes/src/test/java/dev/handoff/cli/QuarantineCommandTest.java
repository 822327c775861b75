package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.config.Secret;
import dev.handoff.engine.Activity;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.Records;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuarantineCommandTest {

    @TempDir
    Path dir;
    Path config;
    String url;

    @BeforeEach
    void ledgerWithTwoRefusedLeads() throws Exception {
        url = "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath();
        config = dir.resolve("application.properties");
        Files.writeString(config, "handoff.ledger.url=" + url + "\n");
        try (Ledger ledger = Ledger.open(url, "sa", Secret.of(""), Clock.systemUTC())) {
            Instant t = Instant.parse("2026-11-02T09:00:00Z");
            ledger.recordActivityPage(List.of(new Activity("a1", "41", "new_lead", t), new Activity("a2", "42", "new_lead", t)),
                    List.of("41", "42"), "w", "t");
            ledger.quarantine(List.of(
                    new Records.Quarantine("41", "jane.doe@example.com", "marketo", "FIELD_TOO_LONG", "title is 2000 characters", "INTAKE"),
                    new Records.Quarantine("42", null, "marketo", "MISSING_EMAIL", "email is missing", "INTAKE")));
        }
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        CommandLine cli = HandoffCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void listShowsWhoRefusedEachLeadAndWhyWithoutTheEmail() throws Exception {
        Run human = run("quarantine", "list", "--config", config.toString());
        assertThat(human.code()).isZero();
        assertThat(human.out()).contains("41", "FIELD_TOO_LONG", "title is 2000 characters", "42", "MISSING_EMAIL",
                "2 quarantined").doesNotContain("jane.doe");

        Run json = run("quarantine", "list", "--json", "--config", config.toString());
        List<String> lines = json.out().lines().toList();
        JsonNode doc = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(doc.get("quarantined").asInt()).isEqualTo(2);
        assertThat(doc.get("leads").get(0).get("email").asText()).isEqualTo("j***@example.com");
    }

    @Test
    void replaySendsTheLeadBackAndDiscardDropsIt() {
        assertThat(run("quarantine", "replay", "41", "--config", config.toString()).code()).isZero();
        assertThat(run("quarantine", "discard", "42", "--config", config.toString()).code()).isZero();
        try (Ledger ledger = Ledger.open(url, "sa", Secret.of(""), Clock.systemUTC())) {
            assertThat(ledger.lead("41").orElseThrow().state()).isEqualTo(LeadState.NEW);
            assertThat(ledger.lead("42").orElseThrow().state()).isEqualTo(LeadState.DISCARDED);
        }
        assertThat(run("quarantine", "list", "--config", config.toString()).out()).contains("no quarantined leads");
    }

    @Test
    void unknownIdOrActionExitsWithTwo() {
        Run unknown = run("quarantine", "replay", "999", "--config", config.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no quarantined lead 999");
        assertThat(run("quarantine", "explode", "--config", config.toString()).code()).isEqualTo(2);
        assertThat(run("quarantine", "discard", "--config", config.toString()).code()).isEqualTo(2);
    }
}
