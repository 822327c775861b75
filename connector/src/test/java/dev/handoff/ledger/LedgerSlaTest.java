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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ledger's SLA side (V7), on the embedded H2 default and on the real PostgreSQL server. */
class LedgerSlaTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final Duration H = Duration.ofHours(1);

    @TempDir
    static Path dir;

    static Stream<String> databases() throws Exception {
        return dev.handoff.ledger.TestLedgers.urls(dir, "ledger_sla");
    }

    private static Ledger open(String url) {
        return Ledger.open(url, url.startsWith("jdbc:h2") ? "sa" : "postgres", Secret.of(""), CLOCK);
    }

    private static Records.Qualified mql(String id, String source) {
        return new Records.Qualified(id, id + "@globex.example",
                source == null ? Map.of() : Map.of("lead_source", source, "campaign", "prog-" + source), 55, 42, "B2", true, null,
                "MQL", "acme-mql@v3");
    }

    private static void dropSchema(String url) throws Exception {
        if (url.contains("currentSchema=")) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + url.substring(url.indexOf('=') + 1) + " CASCADE");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void systemDelayRunsFromTheLatestMapChangeAndHumanDelayToTheFirstVerdict(String url) throws Exception {
        try (Ledger ledger = open(url)) {
            // lead 1 changed by activities 3 h and 1 h before now; lead 2 changed without an activity we keep
            ledger.recordActivityPage(List.of(new Activity("a1", "1", "webinar_attended", T0.minus(H.multipliedBy(3))),
                    new Activity("a2", "1", "pricing_page_visit", T0.minus(H))), List.of("1", "2"), "w", "t1");
            // an older activity arriving later does not move the change time back
            ledger.recordActivityPage(List.of(new Activity("a0", "1", "webinar_attended", T0.minus(H.multipliedBy(9)))),
                    List.of("1"), "w", "t2");
            ledger.recordQualifications(List.of(mql("1", "Webinar"), mql("2", null)), T0);
            Instant handed = T0.plus(Duration.ofMinutes(30));
            ledger.recordHandoffs(List.of(new Records.HandedOff("1", "00Q1", handed, handed.plus(Duration.ofDays(1))),
                    new Records.HandedOff("2", "00Q2", handed, handed.plus(Duration.ofDays(1)))));

            Records.Disposition first = new Records.Disposition("1", "Working", Records.Verdict.ACCEPTED, null, null, "005",
                    handed.plus(H.multipliedBy(3)), null, null);
            ledger.recordDispositions(List.of(first), "d", "m1");
            // sales changes its mind later: the human delay stays the first verdict's
            ledger.recordDispositions(List.of(new Records.Disposition("1", "Closed", Records.Verdict.REJECTED, "NO_BUDGET",
                    null, "005", handed.plus(H.multipliedBy(50)), "RECYCLE", T0)), "d", "m2");

            List<SlaFact> facts = new ArrayList<>();
            ledger.forEachSlaFact(1, facts::add);
            assertThat(facts).extracting(SlaFact::mapId).containsExactly("1", "2");
            SlaFact one = facts.get(0);
            assertThat(one.source()).isEqualTo("Webinar");
            assertThat(one.campaign()).isEqualTo("prog-Webinar");
            assertThat(one.definitionVersion()).isEqualTo("acme-mql@v3");
            assertThat(one.systemDelayMs()).isEqualTo(Duration.ofMinutes(90).toMillis());
            assertThat(one.humanDelayMs()).isEqualTo(H.multipliedBy(3).toMillis());
            assertThat(one.state()).isEqualTo(LeadState.REJECTED);
            assertThat(one.rejectReason()).isEqualTo("NO_BUDGET");
            SlaFact two = facts.get(1);
            assertThat(two.source()).isNull();
            assertThat(two.campaign()).isNull();
            // no activity: the change time is when intake saw the lead (the ledger clock, T0)
            assertThat(two.systemDelayMs()).isEqualTo(Duration.ofMinutes(30).toMillis());
            assertThat(two.humanDelayMs()).isNull();
            assertThat(ledger.slaFacts("1", 10)).extracting(SlaFact::mapId).containsExactly("2");
        } finally {
            dropSchema(url);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void overdueLeadsAreThoseUndecidedPastTheirDueTimeAndEachIsFlaggedOnce(String url) throws Exception {
        try (Ledger ledger = open(url)) {
            ledger.recordActivityPage(List.of(), List.of("3", "4", "5", "6"), "w", "t");
            ledger.recordQualifications(List.of(mql("3", "Web"), mql("4", "Web"), mql("5", "Web"), mql("6", "Web")),
                    T0.minus(Duration.ofDays(2)));
            Instant handed = T0.minus(Duration.ofDays(2));
            ledger.recordHandoffs(List.of(new Records.HandedOff("3", "00Q3", handed, T0.minus(H)),
                    new Records.HandedOff("4", "00Q4", handed, T0.plus(H)),
                    new Records.HandedOff("5", "00Q5", handed, T0.minus(H)),
                    new Records.HandedOff("6", "00Q6", handed, T0.minus(Duration.ofMinutes(10)))));
            ledger.recordDispositions(List.of(new Records.Disposition("5", "Working", Records.Verdict.ACCEPTED, null, null,
                    "005", T0.minus(H.multipliedBy(2)), null, null)), "d", "m");

            assertThat(ledger.slaOverdue(T0, "", 10)).extracting(LedgerLead::mapId).containsExactly("3", "6");
            // a grace period leaves the lead that fell due 10 minutes ago for the next look
            assertThat(ledger.slaOverdue(T0.minus(Duration.ofMinutes(30)), "", 10)).extracting(LedgerLead::mapId)
                    .containsExactly("3");
            assertThat(ledger.slaOverdue(T0, "3", 10)).extracting(LedgerLead::mapId).containsExactly("6");

            ledger.recordSlaBreaches(List.of("3"), T0);
            ledger.recordSlaBreaches(List.of("3", "6"), T0.plus(H));
            assertThat(ledger.slaOverdue(T0.plus(Duration.ofDays(9)), "", 10)).extracting(LedgerLead::mapId)
                    .containsExactly("4");
            assertThat(ledger.slaBreachesFlagged()).isEqualTo(2);
            Map<String, Instant> flaggedAt = new java.util.HashMap<>();
            ledger.forEachSlaFact(10, f -> {
                if (f.slaBreachedAt() != null) {
                    flaggedAt.put(f.mapId(), f.slaBreachedAt());
                }
            });
            assertThat(flaggedAt).containsExactlyInAnyOrderEntriesOf(Map.of("3", T0, "6", T0.plus(H)));
        } finally {
            dropSchema(url);
        }
    }
}
