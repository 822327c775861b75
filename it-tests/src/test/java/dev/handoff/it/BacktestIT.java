package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.cli.HandoffCli;
import dev.handoff.emulator.marketo.MarketoEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The acceptance of the backtest: a stricter candidate replayed over the demo's ledger makes fewer
 * MQLs with a higher acceptance rate and names the leads that flip; and shadow mode in the running
 * sidecar records the candidate's decisions without acting on them.
 */
class BacktestIT {

    static final String STRICTER = "config/stricter.yaml";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            List<String> lines = out.lines().toList();
            return new ObjectMapper().readTree(lines.get(lines.size() - 1));
        }
    }

    private static Run cli(String... args) {
        CommandLine cli = HandoffCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path config(String ledgerPath) throws Exception {
        Path config = dir.resolve("backtest.properties");
        Files.writeString(config, "handoff.ledger.url=jdbc:h2:file:" + ledgerPath + "\nhandoff.definition=config/qualification.yaml\n");
        return config;
    }

    @Test
    void stricterCandidateOnTheDemoLedgerMakesFewerMqlsThatSalesAcceptsMoreOften() throws Exception {
        Run demo = cli("demo", "--leads", "500", "--seed", "7", "--json");
        assertThat(demo.code()).as(demo.err()).isZero();
        JsonNode d = demo.json();
        Path config = config(d.get("ledger").asText());

        Run run = cli("backtest", "--candidate", STRICTER, "--config", config.toString(), "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode r = run.json();
        JsonNode baseline = r.get("baseline");
        JsonNode candidate = r.get("candidate");

        // the baseline replay is the demo itself: same decisions, same verdicts
        assertThat(r.get("scored").asLong()).isEqualTo(d.get("leads").asLong() - d.get("quarantined").asLong());
        assertThat(r.get("recorded").get("baseline_agrees").asLong()).isEqualTo(r.get("scored").asLong());
        assertThat(baseline.get("definition").asText()).isEqualTo("acme-mql@v3");
        assertThat(baseline.get("mqls").asLong()).isEqualTo(d.get("qualified").asLong());
        assertThat(baseline.get("accepted").asLong()).isEqualTo(d.get("accepted").asLong());
        assertThat(baseline.get("rejected").asLong()).isEqualTo(d.get("rejected").asLong());
        assertThat(baseline.get("no_verdict").get("total").asLong())
                .isEqualTo(d.get("qualified").asLong() - d.get("accepted").asLong() - d.get("rejected").asLong());

        assertThat(candidate.get("definition").asText()).isEqualTo("acme-mql@v4");
        assertThat(candidate.get("mqls").asLong()).isPositive().isLessThan(baseline.get("mqls").asLong());
        assertThat(candidate.get("acceptance_rate").asDouble()).isGreaterThan(baseline.get("acceptance_rate").asDouble());
        long avoided = 0;
        for (JsonNode n : candidate.get("rejected_not_qualified")) {
            avoided += n.asLong();
        }
        assertThat(avoided).isPositive();
        assertThat(candidate.get("rejected").asLong() + avoided).isEqualTo(d.get("rejected").asLong());

        JsonNode flips = r.get("flips");
        assertThat(flips.get("total").asLong()).isEqualTo(baseline.get("mqls").asLong() - candidate.get("mqls").asLong())
                .isEqualTo(flips.get("baseline_only").asLong());
        assertThat(flips.get("listed")).isNotEmpty();
        for (JsonNode f : flips.get("listed")) {
            assertThat(f.get("baseline").get("mql").asBoolean()).isTrue();
            assertThat(f.get("candidate").get("mql").asBoolean()).isFalse();
            assertThat(f.get("email").asText()).contains("***@");
        }

        Run table = cli("backtest", "--candidate", STRICTER, "--config", config.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("Leads that flip: " + flips.get("total").asLong());
    }

    @Test
    void shadowModeRecordsTheCandidatesDecisionsWithoutActingOnThem() throws Exception {
        try (EmulatedWorld world = new EmulatedWorld(dir, 3)) {
            world.extraProperties.put("handoff.definition.shadow", STRICTER);
            Instant now = world.clock.instant();
            MarketoEmulator mk = world.sandbox.marketo();
            // fit 80, engagement 35: MQL under both
            int strong = engaged(mk, now, Leads.lead("ana.rivera@initech.example", "Rivera", "Initech", "VP Marketing", 80_000_000, 900));
            // fit 45 (seniority 20, revenue 10, Software 10, US 5), engagement 35: MQL live, not under the stricter fit ≥ 50
            int borderline = engaged(mk, now, Leads.lead("lee.park@umbrella.example", "Park", "Umbrella", "Director of Operations",
                    15_000_000, 50));
            Leads.notQualified(mk, now, "sam.okafor@tinyshop.example");

            world.startApplication();
            // live acts: both live MQLs reach Salesforce, whatever the shadow says
            assertThat(world.sandbox.salesforce().leads()).extracting(l -> l.get("external_id"))
                    .containsExactlyInAnyOrder(String.valueOf(strong), String.valueOf(borderline));
            world.stopApplication();

            Run run = cli("backtest", "--shadow", "--config", config(world.ledgerFile.toAbsolutePath().toString()).toString(), "--json");
            assertThat(run.code()).as(run.err()).isZero();
            JsonNode s = run.json().get("shadow");
            assertThat(s.get("compared").asLong()).isEqualTo(3);
            assertThat(s.get("versions")).isEqualTo(new ObjectMapper().valueToTree(Map.of("acme-mql@v4", 3)));
            assertThat(s.get("both").asLong()).isEqualTo(1);
            assertThat(s.get("live_only").asLong()).isEqualTo(1);
            assertThat(s.get("shadow_only").asLong()).isZero();
            assertThat(s.get("neither").asLong()).isEqualTo(1);
            JsonNode disagreement = s.get("disagreements").get(0);
            assertThat(disagreement.get("id").asText()).isEqualTo(String.valueOf(borderline));
            assertThat(disagreement.get("live").get("fit").asInt()).isEqualTo(45);
            assertThat(disagreement.get("shadow").get("fit").asInt()).isEqualTo(45);
            assertThat(disagreement.get("shadow").get("mql").asBoolean()).isFalse();
            assertThat(disagreement.get("shadow_version").asText()).isEqualTo("acme-mql@v4");
        }
    }

    /** A pricing-page visit (20) and a webinar (15) a minute ago: engagement 35. */
    private static int engaged(MarketoEmulator mk, Instant now, Map<String, Object> fields) {
        int id = mk.addLead(fields, now.minus(Duration.ofDays(5)));
        mk.addActivity(id, 1, "/pricing", now.minus(Duration.ofMinutes(1)));
        mk.addActivity(id, 100001, "Pipeline Summit 2026", now.minus(Duration.ofMinutes(1)));
        return id;
    }
}
