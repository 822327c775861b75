package dev.handoff.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.config.Secret;
import dev.handoff.engine.Activity;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a backfill writes to the ledger, on H2 and PostgreSQL. */
class LedgerBackfillTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final String SCHEMA = "ledger_bf_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @TempDir
    static Path dir;

    static Stream<String> databases() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
            st.execute("CREATE SCHEMA " + SCHEMA);
        }
        return Stream.of("jdbc:h2:file:" + dir.resolve("ledger-" + UUID.randomUUID()),
                "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    private static Ledger open(String url) {
        return Ledger.open(url, url.startsWith("jdbc:h2") ? "sa" : "postgres", Secret.of(""), CLOCK);
    }

    private static Records.Qualified scored(String id, boolean mql) {
        return new Records.Qualified(id, id + "@x.example", Map.of("email", id + "@x.example"), 50, mql ? 40 : 0,
                mql ? "B2" : "C4", mql, null, "why", "acme-mql@v3");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void newLeadsEnterScoredAndKnownLeadsKeepTheirState(String url) {
        try (Ledger ledger = open(url)) {
            ledger.recordTouchedLeads(List.of("known"));
            int inserted = ledger.recordBackfill(List.of(scored("m", true), scored("n", false), scored("known", true)),
                    List.of(new Records.Quarantine("bad", "not-an-email", "marketo", "INVALID_EMAIL", "no @", "INTAKE")), T0);
            assertThat(inserted).isEqualTo(3);
            assertThat(ledger.lead("m").orElseThrow().state()).isEqualTo(LeadState.MQL);
            assertThat(ledger.lead("n").orElseThrow().state()).isEqualTo(LeadState.NOT_QUALIFIED);
            assertThat(ledger.lead("known").orElseThrow().state()).isEqualTo(LeadState.NEW);
            assertThat(ledger.lead("bad").orElseThrow().state()).isEqualTo(LeadState.QUARANTINED);
            assertThat(ledger.awaitingHandoff("", 10)).extracting(LedgerLead::mapId).containsExactly("m");

            // A second run over the same leads changes nothing.
            assertThat(ledger.recordBackfill(List.of(scored("m", false), scored("n", true)), List.of(), T0)).isZero();
            assertThat(ledger.lead("m").orElseThrow().state()).isEqualTo(LeadState.MQL);
            assertThat(ledger.lead("n").orElseThrow().state()).isEqualTo(LeadState.NOT_QUALIFIED);

            // A quarantined backfill lead is replayed through intake, which reads it from the MAP again.
            assertThat(ledger.replay("bad")).isTrue();
            assertThat(ledger.lead("bad").orElseThrow().state()).isEqualTo(LeadState.NEW);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void activitiesAlreadyStoredByIntakeAreNotStoredTwice(String url) {
        try (Ledger ledger = open(url)) {
            Activity a1 = new Activity("mkto-1", "7", "webinar_attended", T0.minusSeconds(60));
            Activity a2 = new Activity("mkto-2", "7", "pricing_page_visit", T0.minusSeconds(30));
            ledger.recordActivityPage(List.of(a1), List.of("7"), "w", "t");
            ledger.recordBackfillActivities(List.of(a1, a2, a2));
            ledger.recordBackfillActivities(List.of(a2));
            assertThat(ledger.activityCount()).isEqualTo(2);
            assertThat(ledger.activitiesOf(List.of("7")).get("7")).extracting(Activity::id).containsExactly("mkto-1", "mkto-2");
        }
    }
}
