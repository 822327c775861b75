package dev.handoff.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.config.Secret;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The leader lease in the ledger (ShedLock on migration V6's table), on H2 and on the real PostgreSQL server. */
class LeaderLeaseTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

    @TempDir
    static Path dir;

    static Stream<String> databases() throws Exception {
        String schema = "lease_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        SCHEMAS.add(schema);
        return Stream.of("jdbc:h2:file:" + dir.resolve("lease-" + UUID.randomUUID()), POSTGRES + "?currentSchema=" + schema);
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement st = c.createStatement()) {
            for (String schema : SCHEMAS) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static Ledger open(String url) {
        return Ledger.open(url, url.startsWith("jdbc:h2") ? "sa" : "postgres", Secret.of(""), Clock.systemUTC());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void onlyOneNodeTakesTheLeaseAndTheRowNamesIt(String url) {
        try (Ledger ledger = open(url)) {
            LeaderLease a = new LeaderLease(ledger.dataSource(), LeaderLease.FLOWS, "node-a", Duration.ofSeconds(20));
            LeaderLease b = new LeaderLease(ledger.dataSource(), LeaderLease.FLOWS, "node-b", Duration.ofSeconds(20));
            assertThat(a.holder()).isEmpty();

            assertThat(a.tryAcquire()).isTrue();
            assertThat(b.tryAcquire()).isFalse();
            assertThat(b.tryAcquire()).as("asking again changes nothing").isFalse();

            assertThat(a.held()).isTrue();
            assertThat(b.held()).isFalse();
            assertThat(a.holder()).contains("node-a");
            assertThat(b.holder()).contains("node-a");
            long left = a.validUntilNanos() - System.nanoTime();
            assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20).toNanos());
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void renewalKeepsTheLeaseAndReleaseHandsItToTheNextNode(String url) {
        try (Ledger ledger = open(url)) {
            LeaderLease a = new LeaderLease(ledger.dataSource(), LeaderLease.FLOWS, "node-a", Duration.ofSeconds(20));
            LeaderLease b = new LeaderLease(ledger.dataSource(), LeaderLease.FLOWS, "node-b", Duration.ofSeconds(20));
            assertThat(a.tryAcquire()).isTrue();
            assertThat(a.renew()).isTrue();
            assertThat(a.renew()).isTrue();
            assertThat(b.tryAcquire()).isFalse();

            a.release();
            assertThat(a.held()).isFalse();
            assertThat(b.tryAcquire()).as("a released lease is free at once").isTrue();
            assertThat(b.holder()).contains("node-b");
            assertThat(a.tryAcquire()).isFalse();
            assertThatThrownBy(a::renew).isInstanceOf(IllegalStateException.class).hasMessageContaining("node-a");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLeaseThatRanOutIsTakenOverAndItsFormerHolderCannotRenewIt(String url) {
        try (Ledger ledger = open(url)) {
            LeaderLease a = new LeaderLease(ledger.dataSource(), LeaderLease.FLOWS, "node-a", Duration.ofSeconds(1));
            LeaderLease b = new LeaderLease(ledger.dataSource(), LeaderLease.FLOWS, "node-b", Duration.ofSeconds(1));
            assertThat(a.tryAcquire()).isTrue();

            // a stops renewing (a long pause, a lost connection): after its lease, b gets it
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(b::tryAcquire);

            assertThat(a.renew()).as("the old leader learns it lost the lease").isFalse();
            assertThat(a.held()).isFalse();
            assertThat(a.holder()).contains("node-b");
            assertThat(b.renew()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anUnreachableLedgerIsAClearErrorAndTheHeldLeaseIsKeptUntilItRunsOut(String url) {
        Ledger ledger = open(url);
        LeaderLease a = new LeaderLease(ledger.dataSource(), LeaderLease.FLOWS, "node-a", Duration.ofSeconds(20));
        LeaderLease b = new LeaderLease(ledger.dataSource(), LeaderLease.FLOWS, "node-b", Duration.ofSeconds(20));
        assertThat(a.tryAcquire()).isTrue();
        ledger.close();

        assertThatThrownBy(a::renew).isInstanceOf(LedgerException.class).hasMessageStartingWith("cannot renew the leader lease");
        assertThat(a.held()).as("the lease may still be valid: the caller decides when to give up").isTrue();
        assertThatThrownBy(b::tryAcquire).isInstanceOf(LedgerException.class).hasMessageStartingWith("cannot take the leader lease");
        assertThatThrownBy(b::holder).isInstanceOf(LedgerException.class);
        assertThatThrownBy(a::release).isInstanceOf(LedgerException.class);
        assertThat(a.held()).as("released or not, this node no longer counts on it").isFalse();
    }
}
