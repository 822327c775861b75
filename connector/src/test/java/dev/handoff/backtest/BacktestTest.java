package dev.handoff.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.handoff.backtest.BacktestResult.DefinitionResult;
import dev.handoff.backtest.BacktestResult.PeriodCount;
import dev.handoff.config.Secret;
import dev.handoff.ledger.Ledger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every number of a backtest of {@link TestHistory}, computed by hand (see the table there). */
class BacktestTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-20T09:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path dir;

    static Stream<String> databases() throws Exception {
        return dev.handoff.ledger.TestLedgers.urls(dir, "backtest_test");
    }

    private static Ledger open(String url) {
        return Ledger.open(url, url.startsWith("jdbc:h2") ? "sa" : "postgres", Secret.of(""), CLOCK);
    }

    private static BacktestResult backtest(Ledger ledger, Instant since, int flipLimit, int pageSize) throws Exception {
        return new Backtest(TestHistory.baseline(dir), TestHistory.candidate(dir))
                .run(new LedgerHistory(ledger), new Backtest.Options(since, flipLimit, pageSize));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void wholeHistoryMatchesTheHandComputedNumbers(String url) throws Exception {
        try (Ledger ledger = open(url)) {
            TestHistory.record(ledger, false);
            // a page size of 3 makes the eleven leads span four keyset pages
            BacktestResult r = backtest(ledger, null, 100, 3);

            assertThat(r.scored()).isEqualTo(11);
            assertThat(r.unscored()).isEqualTo(1);
            assertThat(r.unreadable()).isZero();
            assertThat(r.first()).isEqualTo(TestHistory.NOV5);
            assertThat(r.last()).isEqualTo(TestHistory.DEC10);
            assertThat(r.recordedVersions()).isEqualTo(Map.of("test@v1", 11L));
            assertThat(r.recordedMqls()).isEqualTo(8);
            assertThat(r.baselineAgrees()).isEqualTo(11);

            DefinitionResult b = r.baseline();
            assertThat(b.definition()).isEqualTo("test@v1");
            assertThat(b.mqls()).isEqualTo(8);
            assertThat(b.quantity()).isEqualTo(new BacktestResult.Quantity("month", 2, 4));
            assertThat(b.periods()).containsExactly(new PeriodCount("2026-11", 5, "above"), new PeriodCount("2026-12", 3, "within"));
            assertThat(b.periodsWithin()).isEqualTo(1);
            assertThat(b.accepted()).isEqualTo(3);           // L01 L02 L05
            assertThat(b.rejected()).isEqualTo(3);           // L03 L04 L09
            assertThat(b.notHandedOff()).isEqualTo(1);       // L11
            assertThat(b.awaitingVerdict()).isEqualTo(1);    // L08
            assertThat(b.noVerdict()).isEqualTo(2);
            assertThat(b.acceptanceRate()).isEqualTo(0.5);
            assertThat(b.handedOff()).isEqualTo(7);
            assertThat(b.converted()).isEqualTo(2);          // L01 L05
            assertThat(b.conversionRate()).isCloseTo(2.0 / 7, within(1e-12));
            assertThat(b.convertedTotal()).isEqualTo(2);
            assertThat(b.convertedMarked()).isEqualTo(2);
            assertThat(b.recall()).isEqualTo(1.0);
            assertThat(b.quality()).isEqualTo(new BacktestResult.Quality("converted", 0.5, 90, 2, 7, 2.0 / 7, false));
            assertThat(b.rejectedNotQualified()).isEmpty();
            assertThat(b.acceptedNotQualified()).isZero();

            DefinitionResult c = r.candidate();
            assertThat(c.definition()).isEqualTo("test@v2");
            assertThat(c.mqls()).isEqualTo(6);               // L01 L02 L04 L06 L08 L11
            assertThat(c.quantity()).isEqualTo(new BacktestResult.Quantity("month", 1, 4));
            assertThat(c.periods()).containsExactly(new PeriodCount("2026-11", 4, "within"), new PeriodCount("2026-12", 2, "within"));
            assertThat(c.periodsWithin()).isEqualTo(2);
            assertThat(c.accepted()).isEqualTo(2);           // L01 L02
            assertThat(c.rejected()).isEqualTo(1);           // L04
            assertThat(c.notHandedOff()).isEqualTo(2);       // L06 (never MQL live) L11 (contact)
            assertThat(c.awaitingVerdict()).isEqualTo(1);    // L08
            assertThat(c.acceptanceRate()).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(c.handedOff()).isEqualTo(4);
            assertThat(c.converted()).isEqualTo(1);
            assertThat(c.conversionRate()).isEqualTo(0.25);
            assertThat(c.convertedTotal()).isEqualTo(2);
            assertThat(c.convertedMarked()).isEqualTo(1);
            assertThat(c.recall()).isEqualTo(0.5);
            assertThat(c.quality()).isEqualTo(new BacktestResult.Quality("accepted", 0.5, 30, 2, 4, 0.5, true));
            assertThat(c.rejectedNotQualified()).containsExactly(Map.entry("NOT_RIGHT_FIT", 1L), Map.entry("NOT_RIGHT_SIZE", 1L));
            assertThat(c.acceptedNotQualified()).isEqualTo(1); // L05, which was won

            assertThat(r.flipsTotal()).isEqualTo(4);
            assertThat(r.baselineOnly()).isEqualTo(3);
            assertThat(r.candidateOnly()).isEqualTo(1);
            assertThat(r.flips()).extracting(BacktestResult.Flip::mapId).containsExactly("L03", "L05", "L06", "L09");
            assertThat(r.flips()).extracting(BacktestResult.Flip::direction)
                    .containsExactly("baseline only", "baseline only", "candidate only", "baseline only");
            assertThat(r.flips()).extracting(BacktestResult.Flip::live)
                    .containsExactly("rejected NOT_RIGHT_SIZE", "accepted, won", "not handed off", "rejected NOT_RIGHT_FIT");
            BacktestResult.Flip l06 = r.flips().get(2);
            assertThat(l06.maskedEmail()).isEqualTo("l***@stark.example");
            // the webinar 30 days before scoring counts half; the demo a day after scoring was not seen yet
            assertThat(l06.baseline()).isEqualTo(new HistoryLead.Score(40, 10, "B4", false, null));
            assertThat(l06.candidate()).isEqualTo(new HistoryLead.Score(40, 10, "B4", true, null));
            assertThat(r.flips().get(3).baseline()).isEqualTo(new HistoryLead.Score(30, 60, "C1", true, null));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void sinceKeepsOnlyLeadsScoredFromThatMomentAndTheFlipListIsCapped(String url) throws Exception {
        try (Ledger ledger = open(url)) {
            TestHistory.record(ledger, false);
            BacktestResult dec = backtest(ledger, Instant.parse("2026-12-01T00:00:00Z"), 100, 500);
            assertThat(dec.scored()).isEqualTo(5);           // L07..L11
            assertThat(dec.baseline().mqls()).isEqualTo(3);  // L08 L09 L11
            assertThat(dec.candidate().mqls()).isEqualTo(2); // L08 L11
            assertThat(dec.baseline().periods()).containsExactly(new PeriodCount("2026-12", 3, "within"));
            assertThat(dec.baseline().acceptanceRate()).isEqualTo(0.0);  // only L09 decided, rejected
            assertThat(dec.candidate().acceptanceRate()).isNull();       // none of its MQLs has a verdict
            assertThat(dec.candidate().noVerdict()).isEqualTo(2);
            assertThat(dec.candidate().recall()).isNull();              // nothing scored in December converted
            assertThat(dec.flips()).extracting(BacktestResult.Flip::mapId).containsExactly("L09");

            BacktestResult capped = backtest(ledger, null, 2, 500);
            assertThat(capped.flipsTotal()).isEqualTo(4);
            assertThat(capped.flips()).extracting(BacktestResult.Flip::mapId).containsExactly("L03", "L05");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void shadowResultsRecordedBesideTheLiveDecisionsAreCompared(String url) throws Exception {
        try (Ledger ledger = open(url)) {
            TestHistory.record(ledger, true);
            ShadowComparison s = ShadowComparison.of(new LedgerHistory(ledger), null, 100, 4);
            assertThat(s.compared()).isEqualTo(11);
            assertThat(s.notShadowScored()).isZero();
            assertThat(s.shadowVersions()).isEqualTo(Map.of("test@v2", 11L));
            assertThat(s.both()).isEqualTo(5);         // L01 L02 L04 L08 L11
            assertThat(s.liveOnly()).isEqualTo(3);     // L03 L05 L09
            assertThat(s.shadowOnly()).isEqualTo(1);   // L06
            assertThat(s.neither()).isEqualTo(2);      // L07 L10
            assertThat(s.agreement()).isCloseTo(7.0 / 11, within(1e-12));
            assertThat(s.liveOnlyAccepted()).isEqualTo(1);
            assertThat(s.liveOnlyRejected()).containsExactly(Map.entry("NOT_RIGHT_FIT", 1L), Map.entry("NOT_RIGHT_SIZE", 1L));
            assertThat(s.disagreementsTotal()).isEqualTo(4);
            assertThat(s.disagreements()).extracting(ShadowComparison.Disagreement::mapId).containsExactly("L03", "L05", "L06", "L09");
            ShadowComparison.Disagreement l05 = s.disagreements().get(1);
            assertThat(l05.live()).isEqualTo(new HistoryLead.Score(30, 40, "C2", true, null));
            assertThat(l05.shadow()).isEqualTo(new HistoryLead.Score(30, 40, "C2", false, null));
            assertThat(l05.liveVersion()).isEqualTo("test@v1");
            assertThat(l05.shadowVersion()).isEqualTo("test@v2");
            assertThat(l05.outcome()).isEqualTo("accepted, won");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void withoutShadowModeNothingIsCompared(String url) throws Exception {
        try (Ledger ledger = open(url)) {
            TestHistory.record(ledger, false);
            ShadowComparison s = ShadowComparison.of(new LedgerHistory(ledger), null, 100, 500);
            assertThat(s.compared()).isZero();
            assertThat(s.notShadowScored()).isEqualTo(11);
            assertThat(s.agreement()).isNull();
            assertThat(s.disagreements()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLeadWhoseSnapshotCannotBeReadIsSkippedAndCountedTheOthersAreReplayed(String url) throws Exception {
        try (Ledger ledger = open(url)) {
            TestHistory.record(ledger, false);
            try (Connection c = ledger.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE lead SET snapshot = 'not json' WHERE map_id = 'L03'");
            }
            BacktestResult r = backtest(ledger, null, 100, 2);
            assertThat(r.unreadable()).isEqualTo(1);
            assertThat(r.scored()).isEqualTo(10);
            assertThat(r.baseline().mqls()).isEqualTo(7);
            assertThat(r.flips()).extracting(BacktestResult.Flip::mapId).containsExactly("L05", "L06", "L09");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anEmptyLedgerReplaysNothing(String url) throws Exception {
        try (Ledger ledger = open(url)) {
            BacktestResult r = backtest(ledger, null, 100, 500);
            assertThat(r.scored()).isZero();
            assertThat(r.first()).isNull();
            assertThat(r.baseline().periods()).isEmpty();
            assertThat(r.baseline().acceptanceRate()).isNull();
            assertThat(r.flips()).isEqualTo(List.of());
        }
    }
}
