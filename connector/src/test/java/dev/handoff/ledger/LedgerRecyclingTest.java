package dev.handoff.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.config.Secret;
import dev.handoff.engine.Activity;
import dev.handoff.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which rejected leads are due for nurture or for the disqualified flag, on the embedded H2 ledger. */
class LedgerRecyclingTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    /** A clock the test moves by hand. */
    @TempDir
    Path dir;
    final MovableClock clock = new MovableClock(T0);
    Ledger ledger;

    @BeforeEach
    void open() {
        ledger = Ledger.open("jdbc:h2:file:" + dir.resolve("ledger-" + UUID.randomUUID()), "sa", Secret.of(""), clock);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    /** Takes leads to the CRM; a verdict per lead: reason → action, days to recycle (null for none). */
    private void handOff(String... ids) {
        List<Activity> acts = new ArrayList<>();
        List<Records.Qualified> q = new ArrayList<>();
        List<Records.HandedOff> h = new ArrayList<>();
        for (String id : ids) {
            acts.add(new Activity("a" + id, id, "webinar_attended", T0.minusSeconds(60)));
            q.add(new Records.Qualified(id, id + "@x.example", Map.of(), 60, 40, "B2", true, null, "x", "acme-mql@v3"));
            h.add(new Records.HandedOff(id, "00Q" + id, T0, T0.plusSeconds(86400)));
        }
        ledger.recordActivityPage(acts, List.of(ids), "w", "t");
        ledger.recordQualifications(q, T0);
        ledger.recordHandoffs(h);
    }

    private static Records.Disposition rejected(String id, String reason, String action, Integer days) {
        return new Records.Disposition(id, "Closed - Not Converted", Records.Verdict.REJECTED, reason, null, "005",
                T0, action, days == null ? null : T0.plus(Duration.ofDays(days)));
    }

    private static Records.Disposition accepted(String id) {
        return new Records.Disposition(id, "Working - Contacted", Records.Verdict.ACCEPTED, null, null, "005", T0, null,
                null);
    }

    private void feedbackWritten() {
        ledger.recordFeedbackWritten(ledger.feedbackPending("", 100), clock.instant());
    }

    @Test
    void recycleLeadIsDueOnlyAfterItsDelayAndOnlyOnceFeedbackIsWritten() {
        handOff("1", "2", "3", "4", "5");
        ledger.recordDispositions(List.of(rejected("1", "WRONG_CONTACT", "RECYCLE", 0),
                rejected("2", "NOT_INTERESTED", "RECYCLE", 90), rejected("3", "NOT_RIGHT_FIT", "DISQUALIFY", null),
                rejected("4", "DUPLICATE", "MERGE", null), accepted("5")), "d", T0.toString());

        assertThat(ledger.recycleDue("", 10)).as("marketing has not heard the verdict yet").isEmpty();
        assertThat(ledger.disqualifyDue("", 10)).isEmpty();

        feedbackWritten();
        assertThat(ledger.recycleDue("", 10)).containsExactly("1");
        assertThat(ledger.disqualifyDue("", 10)).containsExactly("3");

        clock.set(T0.plus(Duration.ofDays(89)));
        assertThat(ledger.recycleDue("", 10)).containsExactly("1");
        clock.set(T0.plus(Duration.ofDays(90)));
        assertThat(ledger.recycleDue("", 10)).containsExactly("1", "2");
    }

    @Test
    void recordedLeadsAreNoLongerDueAndAreCounted() {
        handOff("1", "2", "3");
        ledger.recordDispositions(List.of(rejected("1", "WRONG_CONTACT", "RECYCLE", 0),
                rejected("2", "WRONG_CONTACT", "RECYCLE", 0), rejected("3", "NOT_RIGHT_FIT", "DISQUALIFY", null)),
                "d", T0.toString());
        feedbackWritten();

        ledger.recordRecycled(List.of("1"), T0);
        ledger.recordRecycled(List.of("1"), T0.plusSeconds(60));
        ledger.recordDisqualified(List.of("3"), T0);
        ledger.recordRecycled(List.of("3"), T0);

        assertThat(ledger.recycleDue("", 10)).containsExactly("2");
        assertThat(ledger.disqualifyDue("", 10)).isEmpty();
        Records.Counts c = ledger.counts();
        assertThat(c.recycledToNurture()).as("a disqualified lead is never recycled").isEqualTo(1);
        assertThat(c.disqualifiedMarked()).isEqualTo(1);
        assertThat(c.recycled()).isEqualTo(2);
    }

    @Test
    void dueLeadsArePagedInKeyOrder() {
        handOff("10", "11", "12", "13");
        ledger.recordDispositions(List.of(rejected("10", "WRONG_CONTACT", "RECYCLE", 0),
                rejected("11", "WRONG_CONTACT", "RECYCLE", 0), rejected("12", "WRONG_CONTACT", "RECYCLE", 0),
                rejected("13", "NOT_RIGHT_SIZE", "DISQUALIFY", null)), "d", T0.toString());
        feedbackWritten();

        assertThat(ledger.recycleDue("", 2)).containsExactly("10", "11");
        assertThat(ledger.recycleDue("11", 2)).containsExactly("12");
        assertThat(ledger.disqualifyDue("12", 2)).containsExactly("13");
    }

    @Test
    void aChangedVerdictWaitsForItsFeedbackAgain() {
        handOff("1");
        ledger.recordDispositions(List.of(rejected("1", "NOT_RIGHT_FIT", "DISQUALIFY", null)), "d", T0.toString());
        feedbackWritten();
        ledger.recordDispositions(List.of(rejected("1", "WRONG_CONTACT", "RECYCLE", 0)), "d", T0.plusSeconds(5).toString());

        assertThat(ledger.disqualifyDue("", 10)).isEmpty();
        assertThat(ledger.recycleDue("", 10)).isEmpty();
        feedbackWritten();
        assertThat(ledger.recycleDue("", 10)).containsExactly("1");
    }
}
