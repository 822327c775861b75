package dev.handoff.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.config.Secret;
import dev.handoff.engine.Activity;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LedgerStatusTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    @TempDir
    static Path dir;

    static Stream<String> databases() throws Exception {
        return dev.handoff.ledger.TestLedgers.urls(dir, "status_test");
    }

    private static Records.Qualified mql(String id) {
        return new Records.Qualified(id, id + "@globex.example", Map.of(), 60, 40, "B2", true, null, "x", "acme-mql@v3");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void countsQueuesQuarantineAndTodaysSla(String url) {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        try (Ledger ledger = Ledger.open(url, url.startsWith("jdbc:h2") ? "sa" : "postgres", Secret.of(""), clock)) {
            List<Activity> acts = Stream.of("1", "2", "3", "4", "5", "6")
                    .map(id -> new Activity("a" + id, id, "webinar_attended", T0.minusSeconds(60))).toList();
            ledger.recordActivityPage(acts, List.of("1", "2", "3", "4", "5", "6"), "w", "t");
            ledger.recordQualifications(List.of(mql("1"), mql("2"), mql("3"), mql("4")), T0);
            // 1: handed off yesterday, due this morning, no verdict: overdue and breached today
            ledger.recordHandoffs(List.of(new Records.HandedOff("1", "00Q1", T0.minus(Duration.ofHours(20)),
                    T0.minus(Duration.ofHours(1)))));
            // 2: handed off today, due tomorrow: awaiting sales, not overdue
            ledger.recordHandoffs(List.of(new Records.HandedOff("2", "00Q2", T0, T0.plus(Duration.ofHours(24)))));
            // 3: handed off today and rejected today: feedback pending
            ledger.recordHandoffs(List.of(new Records.HandedOff("3", "00Q3", T0, T0.plus(Duration.ofHours(24)))));
            ledger.recordDispositions(List.of(new Records.Disposition("3", "Closed", Records.Verdict.REJECTED, "NO_BUDGET",
                    null, "005", T0, "RECYCLE", T0.plus(Duration.ofDays(90)))), "d", T0.toString());
            // 5: refused by Marketo at intake
            ledger.quarantine(List.of(new Records.Quarantine("5", "x@", "marketo", "INVALID_EMAIL", "bad", "INTAKE")));

            LedgerStatus.Snapshot s = new LedgerStatus(ledger).snapshot(T0);

            assertThat(s.leads()).isEqualTo(6);
            assertThat(s.byState()).containsEntry("HANDED_OFF", 2L).containsEntry("MQL", 1L).containsEntry("REJECTED", 1L)
                    .containsEntry("QUARANTINED", 1L).containsEntry("NEW", 1L);
            assertThat(s.queues()).containsEntry("to_fetch", 1L).containsEntry("to_hand_off", 1L)
                    .containsEntry("awaiting_sales", 2L).containsEntry("feedback_pending", 1L).containsEntry("recycle_due", 0L);
            assertThat(s.quarantine()).containsExactly(new LedgerStatus.QuarantineBucket("marketo", "INTAKE", "INVALID_EMAIL", 1));
            assertThat(s.quarantined()).isEqualTo(1);
            assertThat(s.handedOffToday()).isEqualTo(2);
            assertThat(s.decidedToday()).isEqualTo(1);
            assertThat(s.slaOverdue()).isEqualTo(1);
            assertThat(s.slaBreachedToday()).isEqualTo(1);
            assertThat(new LedgerStatus(ledger).reachable(2)).isTrue();
        }
    }
}
