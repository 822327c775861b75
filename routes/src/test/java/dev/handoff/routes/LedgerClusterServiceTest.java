package dev.handoff.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.config.Secret;
import dev.handoff.ha.HaConfig;
import dev.handoff.ha.LeaderLease;
import dev.handoff.ledger.Ledger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Camel contexts (two replicas) sharing one ledger: the lease decides which one runs the
 * leader-only route, the other route runs on both, and a leader that loses its lease stops.
 */
class LedgerClusterServiceTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private Ledger ledger;
    private final List<Replica> replicas = new ArrayList<>();

    /** One replica: a leader-only timer route {@code flow} and an everywhere route {@code intake}. */
    private final class Replica {
        final String node;
        final Ledger ledger;
        final CamelContext camel = new DefaultCamelContext();
        final AtomicInteger flowRuns = new AtomicInteger();
        final AtomicInteger intakeRuns = new AtomicInteger();
        final LedgerClusterService cluster;

        Replica(String node, Ledger ledger) throws Exception {
            this.node = node;
            this.ledger = ledger;
            cluster = new LedgerClusterService(ledger.dataSource(), new HaConfig(true, node, LEASE));
            camel.getShutdownStrategy().setTimeout(5);
            camel.addService(cluster);
            camel.addRoutePolicyFactory(new LeaderOnlyRoutePolicyFactory(cluster, LeaderLease.FLOWS, Set.of("flow")));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:flow-" + node + "?period=20").routeId("flow").process(e -> flowRuns.incrementAndGet());
                    from("timer:intake-" + node + "?period=20").routeId("intake").process(e -> intakeRuns.incrementAndGet());
                }
            });
            camel.start();
            replicas.add(this);
        }

        boolean runsFlow() {
            return camel.getRouteController().getRouteStatus("flow") == ServiceStatus.Started;
        }

        boolean isLeader() {
            return cluster.isLeader(LeaderLease.FLOWS);
        }
    }

    @BeforeEach
    void openLedger() {
        ledger = Ledger.open("jdbc:h2:file:" + dir.resolve("ledger"), "sa", Secret.of(""), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        replicas.forEach(r -> r.camel.stop());
        ledger.close();
    }

    @Test
    void exactlyOneReplicaRunsTheLeaderOnlyRouteAndEveryReplicaRunsTheOthers() throws Exception {
        Replica a = new Replica("node-a", ledger);
        Replica b = new Replica("node-b", ledger);

        await().atMost(PATIENCE).until(() -> a.isLeader() || b.isLeader());
        Replica leader = a.isLeader() ? a : b;
        Replica standby = leader == a ? b : a;
        await().atMost(PATIENCE).until(() -> leader.flowRuns.get() > 10 && standby.intakeRuns.get() > 10);

        assertThat(leader.runsFlow()).isTrue();
        assertThat(standby.runsFlow()).isFalse();
        assertThat(standby.flowRuns).hasValue(0);
        assertThat(standby.isLeader()).isFalse();
        assertThat(leader.intakeRuns.get()).isPositive();
        // the standby knows who leads, from the lease row
        await().atMost(PATIENCE).until(() -> standby.cluster.getView(LeaderLease.FLOWS).getLeader()
                .map(m -> m.getId().equals(leader.node)).orElse(false));
        assertThat(new LeaderLease(ledger.dataSource(), LeaderLease.FLOWS, "reader", LEASE).holder()).contains(leader.node);
    }

    @Test
    void whenTheLeaderStopsTheStandbyTakesOver() throws Exception {
        Replica a = new Replica("node-a", ledger);
        await().atMost(PATIENCE).until(a::runsFlow);
        Replica b = new Replica("node-b", ledger);
        await().atMost(PATIENCE).until(() -> b.intakeRuns.get() > 5);
        assertThat(b.runsFlow()).isFalse();

        a.camel.stop();

        await().atMost(PATIENCE).until(b::runsFlow);
        assertThat(b.isLeader()).isTrue();
        int before = b.flowRuns.get();
        await().atMost(PATIENCE).until(() -> b.flowRuns.get() > before + 5);
    }

    @Test
    void aLeaderWhoseLeaseWasTakenStopsItsFlowsAndStandsBy() throws Exception {
        Replica a = new Replica("node-a", ledger);
        await().atMost(PATIENCE).until(a::runsFlow);

        // someone else holds the row now (as after this node was frozen past its lease)
        try (Connection c = ledger.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE leader_lock SET locked_by = 'intruder', lock_until = TIMESTAMP '2999-01-01 00:00:00'");
        }

        await().atMost(PATIENCE).until(() -> !a.runsFlow());
        assertThat(a.isLeader()).isFalse();
        await().atMost(PATIENCE).until(() -> a.cluster.getView(LeaderLease.FLOWS).getLeader()
                .map(m -> m.getId().equals("intruder") && !m.isLocal()).orElse(false));
        int stopped = a.flowRuns.get();
        int intake = a.intakeRuns.get();
        await().atMost(PATIENCE).until(() -> a.intakeRuns.get() > intake + 10);
        assertThat(a.flowRuns).as("no flow runs on a standby").hasValue(stopped);
    }

    @Test
    void aLeaderThatCannotReachTheLedgerStopsItsFlowsBeforeItsLeaseRunsOut() throws Exception {
        Ledger own = Ledger.open("jdbc:h2:file:" + dir.resolve("ledger"), "sa", Secret.of(""), Clock.systemUTC());
        Replica a = new Replica("node-a", own);
        await().atMost(PATIENCE).until(a::runsFlow);

        own.close(); // every renewal fails from now on

        await().atMost(PATIENCE).until(() -> !a.runsFlow());
        assertThat(a.isLeader()).isFalse();
        // the lease it could not renew runs out, and another replica takes over
        Replica b = new Replica("node-b", ledger);
        await().atMost(PATIENCE).until(b::runsFlow);
        assertThat(a.runsFlow()).isFalse();
    }
}
