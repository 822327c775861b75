package dev.handoff.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.backtest.HistoryLead;
import dev.handoff.backtest.LedgerHistory;
import dev.handoff.backtest.ShadowComparison;
import dev.handoff.config.Secret;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.engine.Activity;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.map.MapGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shadow mode: the live qualifier scores each lead with a candidate too, records it, and acts only on the live decision. */
class LeadQualifierShadowTest {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @TempDir
    Path dir;

    private static final String DEFINITION = """
            definition: shadow-test
            version: %d
            agreed_by: {marketing: "VP Marketing", sales: "VP Sales"}
            effective: 2026-11-01
            fit:
              criteria:
                - {id: seniority, field: title, matches: "(?i)\\\\bvp\\\\b", points: 30}
                - {id: industry, field: industry, in: [Software], points: 20}
            engagement:
              half_life_days: 30
              activities:
                - {type: demo_request, points: 40}
            mql:
              when: {fit: ">= %d", engagement: ">= 20"}
              required_fields: [email]
            grades:
              fit: {A: 50, B: 30, C: 20}
              engagement: {"1": 60, "2": 40, "3": 20}
            sla:
              accept_within: 24h
              quantity: {per: month, min: 1, max: 10}
              quality: {metric: accepted, target: 0.5, window_days: 30}
              feedback_required: [status]
            reject_reasons:
              OTHER: {action: recycle, after_days: 30}
            """;

    private Definition definition(int version, int fitMin) throws Exception {
        Path file = dir.resolve("v" + version + ".yaml");
        Files.writeString(file, DEFINITION.formatted(version, fitMin));
        return DefinitionLoader.load(file);
    }

    /** A MAP that holds three leads and records nothing. */
    private static final class FakeMap implements MapGateway {
        final Map<String, Map<String, String>> leads = new LinkedHashMap<>();

        @Override
        public String system() {
            return "fake";
        }

        @Override
        public int readBatchSize() {
            return 2;
        }

        @Override
        public int writeBatchSize() {
            return 2;
        }

        @Override
        public Map<String, Map<String, String>> readLeads(List<String> ids) {
            Map<String, Map<String, String>> out = new LinkedHashMap<>();
            ids.stream().filter(leads::containsKey).forEach(id -> out.put(id, leads.get(id)));
            return out;
        }

        @Override
        public List<FeedbackResult> writeFeedback(List<Feedback> feedback) {
            throw new AssertionError("the qualifier writes no feedback");
        }

        @Override
        public List<FeedbackResult> flagSlaBreached(List<String> mapIds) {
            throw new AssertionError("the qualifier flags no SLA breach");
        }
    }

    @Test
    void everyLeadIsScoredByTheShadowTooButOnlyTheLiveDecisionIsActedOn() throws Exception {
        Definition live = definition(1, 30);
        Definition candidate = definition(2, 50);
        FakeMap map = new FakeMap();
        map.leads.put("1", Map.of("email", "a@acme.example", "title", "VP Sales", "industry", "Software")); // 50: both
        map.leads.put("2", Map.of("email", "b@globex.example", "title", "VP Sales"));                      // 30: live only
        map.leads.put("3", Map.of("email", "c@initech.example", "title", "Analyst"));                      // 0: neither
        try (Ledger ledger = Ledger.open("jdbc:h2:file:" + dir.resolve("ledger"), "sa", Secret.of(""),
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            List<Activity> demos = new ArrayList<>();
            for (String id : map.leads.keySet()) {
                demos.add(new Activity("d" + id, id, "demo_request", NOW.minusSeconds(60)));
            }
            ledger.recordActivityPage(demos, map.leads.keySet(), "w", "1");

            int scored = new LeadQualifier(map, ledger, live, candidate, Clock.fixed(NOW, ZoneOffset.UTC), 1).qualifyNewLeads();

            assertThat(scored).isEqualTo(3);
            // live decides: leads 1 and 2 wait for handoff although the shadow would not qualify lead 2
            assertThat(ledger.awaitingHandoff("", 10)).extracting(LedgerLead::mapId).containsExactly("1", "2");
            assertThat(ledger.lead("3").orElseThrow().state()).isEqualTo(LeadState.NOT_QUALIFIED);
            assertThat(ledger.lead("2").orElseThrow().definitionVersion()).isEqualTo("shadow-test@v1");

            List<HistoryLead> history = new ArrayList<>();
            new LedgerHistory(ledger).forEachPage(null, 10, false, page -> history.addAll(page.leads()));
            assertThat(history).extracting(HistoryLead::shadowVersion).containsOnly("shadow-test@v2");
            assertThat(history).allMatch(HistoryLead::shadowScored);
            assertThat(history.get(1).shadow()).isEqualTo(new HistoryLead.Score(30, 40, "B2", false, null));
            assertThat(history.get(1).recorded()).isEqualTo(new HistoryLead.Score(30, 40, "B2", true, null));

            ShadowComparison s = ShadowComparison.of(new LedgerHistory(ledger), null, 10, 10);
            assertThat(s.compared()).isEqualTo(3);
            assertThat(s.both()).isEqualTo(1);
            assertThat(s.liveOnly()).isEqualTo(1);
            assertThat(s.shadowOnly()).isZero();
            assertThat(s.neither()).isEqualTo(1);
            assertThat(s.disagreements()).extracting(ShadowComparison.Disagreement::mapId).containsExactly("2");
        }
    }

    @Test
    void withoutAShadowDefinitionNothingIsRecordedBesideTheLiveDecision() throws Exception {
        FakeMap map = new FakeMap();
        map.leads.put("1", Map.of("email", "a@acme.example", "title", "VP Sales"));
        try (Ledger ledger = Ledger.open("jdbc:h2:file:" + dir.resolve("ledger2"), "sa", Secret.of(""),
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            ledger.recordActivityPage(List.of(new Activity("d1", "1", "demo_request", NOW)), List.of("1"), "w", "1");
            new LeadQualifier(map, ledger, definition(1, 30), Clock.fixed(NOW, ZoneOffset.UTC)).qualifyNewLeads();
            List<HistoryLead> history = new ArrayList<>();
            new LedgerHistory(ledger).forEachPage(null, 10, false, page -> history.addAll(page.leads()));
            assertThat(history).singleElement().satisfies(l -> {
                assertThat(l.recordedMql()).isTrue();
                assertThat(l.shadow()).isNull();
                assertThat(l.shadowScored()).isFalse();
            });
        }
    }
}
