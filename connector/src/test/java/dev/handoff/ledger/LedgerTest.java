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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ledger's transitions, on the embedded H2 default and on the real PostgreSQL server. */
class LedgerTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    static Path dir;

    static Stream<String> databases() throws Exception {
        return dev.handoff.ledger.TestLedgers.urls(dir, "ledger_test");
    }

    private static Ledger open(String url) {
        return Ledger.open(url, url.startsWith("jdbc:h2") ? "sa" : "postgres", Secret.of(""), CLOCK);
    }

    private static Activity act(String id, String lead) {
        return new Activity(id, lead, "webinar_attended", T0.minusSeconds(3600));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void replayedActivityPageChangesNothing(String url) {
        try (Ledger ledger = open(url)) {
            List<Activity> page = List.of(act("a1", "1"), act("a2", "1"), act("a3", "2"));
            ledger.recordActivityPage(page, List.of("1", "2"), "w", "token-1");
            ledger.recordActivityPage(page, List.of("1", "2"), "w", "token-1");
            assertThat(ledger.activityCount()).isEqualTo(3);
            assertThat(ledger.counts().leads()).isEqualTo(2);
            assertThat(ledger.leadsToFetch("", 10)).containsExactly("1", "2");
            assertThat(ledger.watermark("w")).contains("token-1");
            assertThat(ledger.activitiesOf(List.of("1")).get("1")).extracting(Activity::id).containsExactly("a1", "a2");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void leadTravelsFromNewToFeedbackWrittenAndReplaysAreHarmless(String url) {
        try (Ledger ledger = open(url)) {
            ledger.recordActivityPage(List.of(act("a1", "7"), act("a2", "8")), List.of("7", "8"), "w", "t");
            ledger.recordQualifications(List.of(
                    new Records.Qualified("7", "ana@globex.example", Map.of("email", "ana@globex.example"), 55, 42, "B2",
                            true, null, "MQL because", "acme-mql@v3"),
                    new Records.Qualified("8", "bo@gmail.com", Map.of(), 10, 3, "D4", false, "personal-email:WRONG_CONTACT",
                            "not MQL", "acme-mql@v3")), T0);
            assertThat(ledger.awaitingHandoff("", 10)).extracting(LedgerLead::mapId).containsExactly("7");
            assertThat(ledger.progress()).isEqualTo(new Records.Progress(2, 1)); // the MQL

            Records.HandedOff h = new Records.HandedOff("7", "00Q000000000001AAA", T0, T0.plusSeconds(86400));
            ledger.recordHandoffs(List.of(h));
            ledger.recordHandoffs(List.of(h));
            assertThat(ledger.lead("7").orElseThrow().state()).isEqualTo(LeadState.HANDED_OFF);
            assertThat(ledger.progress()).isEqualTo(new Records.Progress(2, 1)); // sales has not decided

            Records.Disposition d = new Records.Disposition("7", "Closed - Not Converted", Records.Verdict.REJECTED,
                    "NO_BUDGET", "next fiscal year", "005000000000009AAA", T0.plusSeconds(7200), "RECYCLE",
                    T0.plusSeconds(7200 + 180 * 86400L));
            ledger.recordDispositions(List.of(d), "d", T0.plusSeconds(7200).toString());
            List<LedgerLead> pending = ledger.feedbackPending("", 10);
            assertThat(pending).extracting(LedgerLead::mapId).containsExactly("7");
            assertThat(ledger.progress()).isEqualTo(new Records.Progress(2, 1)); // its feedback is pending
            ledger.recordFeedbackWritten(pending, T0.plusSeconds(8000));
            assertThat(ledger.progress()).isEqualTo(new Records.Progress(2, 0));

            ledger.recordDispositions(List.of(d), "d", T0.plusSeconds(7200).toString());
            LedgerLead after = ledger.lead("7").orElseThrow();
            assertThat(after.state()).isEqualTo(LeadState.REJECTED);
            assertThat(after.feedbackStatus()).isEqualTo(FeedbackStatus.WRITTEN);
            assertThat(after.rejectReason()).isEqualTo("NO_BUDGET");

            Records.Counts c = ledger.counts();
            assertThat(c.leads()).isEqualTo(2);
            assertThat(c.qualified()).isEqualTo(1);
            assertThat(c.handedOff()).isEqualTo(1);
            assertThat(c.rejected()).isEqualTo(1);
            assertThat(c.recycled()).isEqualTo(1);
            assertThat(c.feedbackWritten()).isEqualTo(1);
            assertThat(c.notQualified()).isEqualTo(1);
            assertThat(c.inFlight()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void changedVerdictIsSentAgainButHandedOffLeadIsNotRescored(String url) {
        try (Ledger ledger = open(url)) {
            ledger.recordActivityPage(List.of(act("a1", "7")), List.of("7"), "w", "t");
            ledger.recordQualifications(List.of(new Records.Qualified("7", "a@b.example", Map.of(), 55, 42, "B2", true,
                    null, "x", "acme-mql@v3")), T0);
            ledger.recordHandoffs(List.of(new Records.HandedOff("7", "00Q1", T0, T0)));
            ledger.recordDispositions(List.of(new Records.Disposition("7", "Working - Contacted", Records.Verdict.ACCEPTED,
                    null, null, "005", T0, null, null)), "d", T0.toString());
            ledger.recordFeedbackWritten(ledger.feedbackPending("", 10), T0);

            ledger.recordActivityPage(List.of(act("a9", "7")), List.of("7"), "w", "t2");
            assertThat(ledger.lead("7").orElseThrow().state()).isEqualTo(LeadState.ACCEPTED);

            ledger.recordDispositions(List.of(new Records.Disposition("7", "Closed - Not Converted", Records.Verdict.REJECTED,
                    "NOT_INTERESTED", null, "005", T0.plusSeconds(60), "RECYCLE", T0)), "d", T0.plusSeconds(60).toString());
            assertThat(ledger.feedbackPending("", 10)).extracting(LedgerLead::rejectReason).containsExactly("NOT_INTERESTED");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void quarantinedLeadIsListedWithItsReason(String url) {
        try (Ledger ledger = open(url)) {
            ledger.recordActivityPage(List.of(act("a1", "5")), List.of("5"), "w", "t");
            ledger.quarantine(List.of(new Records.Quarantine("5", "jane.doe@", "marketo", "INVALID_EMAIL",
                    "email is not a valid address", "INTAKE")));
            assertThat(ledger.quarantined()).singleElement().satisfies(l -> {
                assertThat(l.quarantineCode()).isEqualTo("INVALID_EMAIL");
                assertThat(l.quarantineSystem()).isEqualTo("marketo");
                assertThat(l.attempts()).isEqualTo(1);
                assertThat(l.toString()).doesNotContain("jane.doe");
            });
            assertThat(ledger.quarantinedAt("INTAKE")).isEqualTo(1);
            assertThat(ledger.counts().inFlight()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void replayPutsAQuarantinedLeadBackWhereItStoppedAndDiscardEndsIt(String url) {
        try (Ledger ledger = open(url)) {
            ledger.recordActivityPage(List.of(act("a1", "1"), act("a2", "2"), act("a3", "3")), List.of("1", "2", "3"), "w", "t");
            ledger.quarantine(List.of(new Records.Quarantine("1", "x@", "marketo", "INVALID_EMAIL", "bad", "INTAKE")));
            ledger.recordQualifications(List.of(new Records.Qualified("2", "b@b.example", Map.of(), 60, 40, "B2", true, null,
                    "x", "acme-mql@v3"), new Records.Qualified("3", "c@c.example", Map.of(), 60, 40, "B2", true, null, "x",
                    "acme-mql@v3")), T0);
            ledger.quarantine(List.of(new Records.Quarantine("2", null, "salesforce", "INVALID_EMAIL_ADDRESS", "bad", "HANDOFF")));
            ledger.recordHandoffs(List.of(new Records.HandedOff("3", "00Q3", T0, T0)));
            ledger.recordDispositions(List.of(new Records.Disposition("3", "Closed - Not Converted", Records.Verdict.REJECTED,
                    "NO_BUDGET", null, "005", T0, "RECYCLE", T0)), "d", T0.toString());
            ledger.quarantine(List.of(new Records.Quarantine("3", null, "marketo", "1004", "Lead not found", "FEEDBACK")));

            assertThat(ledger.quarantineEntries()).extracting(Ledger.QuarantineEntry::mapId).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(ledger.quarantineEntries()).allSatisfy(e -> assertThat(e.attempts()).isEqualTo(1));

            assertThat(ledger.replay("1")).isTrue();
            assertThat(ledger.replay("2")).isTrue();
            assertThat(ledger.replay("3")).isTrue();
            assertThat(ledger.replay("3")).as("only quarantined leads replay").isFalse();
            assertThat(ledger.lead("1").orElseThrow().state()).isEqualTo(LeadState.NEW);
            assertThat(ledger.lead("2").orElseThrow().state()).isEqualTo(LeadState.MQL);
            LedgerLead three = ledger.lead("3").orElseThrow();
            assertThat(three.state()).isEqualTo(LeadState.REJECTED);
            assertThat(three.feedbackStatus()).isEqualTo(FeedbackStatus.PENDING);
            assertThat(three.quarantineCode()).isNull();

            ledger.quarantine(List.of(new Records.Quarantine("1", null, "marketo", "INVALID_EMAIL", "bad", "INTAKE")));
            assertThat(ledger.lead("1").orElseThrow().attempts()).isEqualTo(2);
            assertThat(ledger.discard("1")).isTrue();
            assertThat(ledger.discard("1")).isFalse();
            assertThat(ledger.lead("1").orElseThrow().state()).isEqualTo(LeadState.DISCARDED);
            assertThat(ledger.counts().inFlight()).isEqualTo(2);
            assertThat(ledger.progress()).isEqualTo(new Records.Progress(3, 2));
        }
    }
}
