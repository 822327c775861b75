package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.config.Secret;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.it.process.HandoffProcess;
import dev.handoff.ledger.FeedbackStatus;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.Records;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code handoff run} processes on one PostgreSQL ledger against one sandbox: exactly one is
 * leader and works, the other stands by; the leader is SIGKILLed mid-run, the standby takes over
 * within 30 s, and the run converges with no lead handed off twice and every verdict in Marketo.
 */
class LeaderElectionIT {

    private static final int LEADS = 1000;
    private static final Duration TAKEOVER = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void oneReplicaWorksTheOtherTakesOverWhenItIsKilledAndNoLeadIsHandedOffTwice() throws Exception {
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults().withReps(EmulatedWorld.REASONS,
                List.of("NOT_RIGHT_FIT", "NOT_RIGHT_SIZE"), Duration.ofSeconds(2), Duration.ofSeconds(15), 11);
        MarketoEmulator.Settings mk = MarketoEmulator.Settings.defaults();
        try (PostgresSchema schema = new PostgresSchema("leader_it");
             Sandbox sandbox = new Sandbox(Clock.systemUTC(), sf, mk, 0).start()) {
            Instant now = Instant.now();
            sandbox.marketo().seed(DemoLeadGenerator.generate(11, LEADS, 0, now));
            Path config = writeConfig(sandbox.connectorProperties(sf, mk), schema, now);

            try (HandoffProcess a = start("node-a", config);
                 HandoffProcess b = start("node-b", config)) {
                Map<String, HandoffProcess> nodes = Map.of("node-a", a, "node-b", b);

                // exactly one leader, named in the lease row; the other stands by naming it
                await("a leader").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> validHolder(schema).isPresent());
                String leaderId = validHolder(schema).orElseThrow();
                String standbyId = leaderId.equals("node-a") ? "node-b" : "node-a";
                HandoffProcess leader = nodes.get(leaderId);
                HandoffProcess standby = nodes.get(standbyId);
                await("both replicas up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        leader.output().contains("Node " + leaderId + " became leader")
                                && standby.output().contains("Node " + standbyId + " standing by (leader is " + leaderId + ")"));

                // the leader works: some MQLs reach Salesforce
                await("work started").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !sandbox.salesforce().leads().isEmpty());
                String standbyBefore = standby.output();
                assertThat(standbyBefore).doesNotContain("became leader").doesNotContain("lost leadership");
                assertThat(leader.output()).doesNotContain("standing by").doesNotContain("lost leadership");

                leader.kill();
                long killed = System.nanoTime();

                await("takeover").atMost(TAKEOVER).pollInterval(Duration.ofMillis(200))
                        .until(() -> standby.output().contains("Node " + standbyId + " became leader"));
                Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
                assertThat(takeover).isLessThan(TAKEOVER);
                assertThat(validHolder(schema)).contains(standbyId);

                try (Ledger ledger = Ledger.open(schema.url(), PostgresSchema.USER, Secret.of(""), Clock.systemUTC())) {
                    await("the run converges").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                Records.Counts c = ledger.counts();
                                return c.leads() == LEADS && c.inFlight() == 0 && sandbox.salesforce().pendingDecisions() == 0;
                            });
                    assertConverged(ledger, sandbox);
                }
                assertThat(standby.isAlive()).as(standby.output()).isTrue();
                assertThat(standby.output()).doesNotContain("lost leadership");
                assertThat(sandbox.unmatchedRequests()).isEmpty();
            }
        }
    }

    /** Every MQL is one Lead in Salesforce, and every verdict sales gave is on its Marketo lead. */
    private static void assertConverged(Ledger ledger, Sandbox sandbox) {
        List<Map<String, Object>> crm = sandbox.salesforce().leads();
        Map<Object, Long> byExternalId = crm.stream().collect(Collectors.groupingBy(l -> l.get("external_id"),
                Collectors.counting()));
        assertThat(byExternalId).as("no lead handed off twice").allSatisfy((id, n) -> assertThat(n).isEqualTo(1L));
        assertThat(byExternalId).doesNotContainKey(null);

        Records.Counts counts = ledger.counts();
        assertThat(counts.quarantined()).isZero();
        assertThat(crm).hasSizeGreaterThan(LEADS / 10);
        List<String> decided = new ArrayList<>();
        for (Map<String, Object> lead : crm) {
            String mapId = String.valueOf(lead.get("external_id"));
            LedgerLead l = ledger.lead(mapId).orElseThrow();
            assertThat(l.crmId()).as("ledger and CRM agree on lead %s", mapId).isEqualTo(lead.get("id"));
            assertThat(l.state()).isIn(LeadState.ACCEPTED, LeadState.REJECTED);
            assertThat(l.feedbackStatus()).isEqualTo(FeedbackStatus.WRITTEN);
            Map<String, Object> marketo = sandbox.marketo().lead(Integer.parseInt(mapId)).orElseThrow();
            assertThat(marketo.get("handoffSalesStatus")).as("verdict of %s in Marketo", mapId).isEqualTo(l.salesStatus());
            if (l.state() == LeadState.REJECTED) {
                assertThat(marketo.get("handoffRejectReason")).isEqualTo(l.rejectReason());
            }
            decided.add(mapId);
        }
        assertThat(decided).hasSize(crm.size());
        assertThat(counts.accepted() + counts.rejected()).isEqualTo(crm.size());
    }

    private HandoffProcess start(String node, Path config) throws IOException {
        return HandoffProcess.start(dir.resolve(node + ".log"), Map.of("HANDOFF_NODE_ID", node),
                "run", "--config", config.toString());
    }

    private Path writeConfig(Map<String, String> sandboxProperties, PostgresSchema schema, Instant now) throws IOException {
        Map<String, String> p = new LinkedHashMap<>(sandboxProperties);
        p.put("handoff.definition", EmulatedWorld.DEFINITION.toString());
        p.put("handoff.ledger.url", schema.url());
        p.put("handoff.ledger.user", PostgresSchema.USER);
        p.put("handoff.ha.node-id", "${env:HANDOFF_NODE_ID}");
        p.put("handoff.marketo.intake-since", now.minus(Duration.ofDays(365)).toString());
        for (String flow : List.of("intake", "disposition", "outcome", "recycle")) {
            p.put("handoff." + flow + ".interval", "2s");
        }
        p.put("handoff.poll.tick", "100ms");
        p.put("handoff.http.port", "0");
        p.put("handoff.retry.initial-delay", "200ms");
        StringBuilder text = new StringBuilder("# LeaderElectionIT: two replicas, one PostgreSQL ledger\n");
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(dir.resolve("application.properties"), text.toString(), StandardCharsets.UTF_8);
    }

    /** The node whose lease in {@code leader_lock} is valid now (by the database's clock), if any. */
    private static Optional<String> validHolder(PostgresSchema schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(schema.url(), PostgresSchema.USER, "");
             PreparedStatement ps = c.prepareStatement("SELECT locked_by FROM leader_lock "
                     + "WHERE lock_until > timezone('utc', CURRENT_TIMESTAMP)")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return Optional.empty(); // the replicas have not created the table yet
            }
            throw e;
        }
    }
}
