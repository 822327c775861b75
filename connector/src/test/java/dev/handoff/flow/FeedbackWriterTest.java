package dev.handoff.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.config.Secret;
import dev.handoff.engine.Activity;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.Records;
import dev.handoff.map.MapGateway;
import dev.handoff.map.MapGateway.FeedbackResult;
import dev.handoff.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feedback batching: whole write batches at once, a partial one only when due (on the embedded H2 ledger). */
class FeedbackWriterTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    /**
     * A MAP that takes three verdicts per call and remembers each call's lead ids. The writer sends
     * several batches at once, so calls arrive from several threads in any order.
     */
    private static final class RecordingMap implements MapGateway {
        final List<List<String>> calls = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public String system() {
            return "marketo";
        }

        @Override
        public int readBatchSize() {
            return 3;
        }

        @Override
        public int writeBatchSize() {
            return 3;
        }

        @Override
        public Map<String, Map<String, String>> readLeads(List<String> ids) {
            throw new UnsupportedOperationException("feedback never reads leads");
        }

        @Override
        public List<FeedbackResult> writeFeedback(List<Feedback> feedback) {
            calls.add(feedback.stream().map(Feedback::mapId).toList());
            return feedback.stream().map(f -> new FeedbackResult(f.mapId(), true, null, null)).toList();
        }

        @Override
        public List<FeedbackResult> flagSlaBreached(List<String> mapIds) {
            throw new AssertionError("the feedback writer flags no SLA breach");
        }
    }

    @TempDir
    Path dir;
    final MovableClock clock = new MovableClock(T0);
    final RecordingMap map = new RecordingMap();
    Ledger ledger;

    @BeforeEach
    void open() {
        ledger = Ledger.open("jdbc:h2:file:" + dir.resolve("ledger-" + UUID.randomUUID()), "sa", Secret.of(""), clock);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

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

    private void accept(String... ids) {
        ledger.recordDispositions(Arrays.stream(ids).map(id -> new Records.Disposition(id, "Working - Contacted",
                Records.Verdict.ACCEPTED, null, null, "005", clock.instant(), null, null)).toList(), "d", clock.instant().toString());
    }

    @Test
    void withoutAWaitEveryVerdictIsWrittenAtTheNextCycle() {
        handOff("1", "2", "3", "4", "5");
        accept("1", "2", "3", "4");

        assertThat(new FeedbackWriter(map, ledger, clock).writePending()).isEqualTo(4);
        assertThat(map.calls).as("both batches are written at once, in either order")
                .containsExactlyInAnyOrder(List.of("1", "2", "3"), List.of("4"));
    }

    @Test
    void partialBatchWaitsWhileVerdictsMayStillComeThenGoesWhenItHasWaitedLongEnough() {
        handOff("1", "2", "3", "4", "5");
        accept("1", "2", "3", "4");
        FeedbackWriter writer = new FeedbackWriter(map, ledger, clock, Duration.ofMinutes(10));

        assertThat(writer.writePending()).isEqualTo(3);
        assertThat(map.calls).as("the full batch goes, the partial one waits: lead 5 is still with sales")
                .containsExactly(List.of("1", "2", "3"));

        clock.set(T0.plus(Duration.ofMinutes(9)));
        assertThat(writer.writePending()).isZero();
        clock.set(T0.plus(Duration.ofMinutes(10)));
        assertThat(writer.writePending()).isEqualTo(1);
        assertThat(map.calls).last().isEqualTo(List.of("4"));
    }

    @Test
    void partialBatchGoesAtOnceWhenNoLeadCouldStillBringAVerdict() {
        handOff("1", "2", "3", "4");
        accept("1", "2", "3", "4");

        assertThat(new FeedbackWriter(map, ledger, clock, Duration.ofHours(1)).writePending()).isEqualTo(4);
        assertThat(map.calls).containsExactlyInAnyOrder(List.of("1", "2", "3"), List.of("4"));
    }

    /** Disqualifies three per call and remembers each call. */
    private static final class RecordingNurture implements dev.handoff.map.MapNurture {
        final List<List<String>> disqualified = new ArrayList<>();

        @Override
        public String system() {
            return "marketo";
        }

        @Override
        public java.util.Optional<String> recycleTarget() {
            return java.util.Optional.empty();
        }

        @Override
        public int recycleBatchSize() {
            return 3;
        }

        @Override
        public int disqualifyBatchSize() {
            return 3;
        }

        @Override
        public List<FeedbackResult> recycle(List<String> mapIds) {
            throw new UnsupportedOperationException("no recycle target");
        }

        @Override
        public List<FeedbackResult> markDisqualified(List<String> mapIds) {
            disqualified.add(List.copyOf(mapIds));
            return mapIds.stream().map(id -> new FeedbackResult(id, true, null, null)).toList();
        }
    }

    @Test
    void disqualifiedFlagsBatchLikeFeedback() {
        handOff("1", "2", "3", "4", "5");
        ledger.recordDispositions(Arrays.stream(new String[] {"1", "2", "3", "4"}).map(id -> new Records.Disposition(id,
                "Closed - Not Converted", Records.Verdict.REJECTED, "NOT_RIGHT_FIT", null, "005", clock.instant(), "DISQUALIFY",
                null)).toList(), "d", clock.instant().toString());
        new FeedbackWriter(map, ledger, clock).writePending();
        RecordingNurture nurture = new RecordingNurture();
        NurtureRecycler recycler = new NurtureRecycler(nurture, ledger, clock, Duration.ofMinutes(10));

        assertThat(recycler.recycle().disqualified()).isEqualTo(3);
        assertThat(nurture.disqualified).as("lead 5 is still with sales: the partial batch waits")
                .containsExactly(List.of("1", "2", "3"));
        clock.set(T0.plus(Duration.ofMinutes(10)));
        assertThat(recycler.recycle().disqualified()).isEqualTo(1);
        assertThat(nurture.disqualified).last().isEqualTo(List.of("4"));
    }
}
