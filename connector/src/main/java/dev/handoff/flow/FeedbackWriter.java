package dev.handoff.flow;

import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.Records;
import dev.handoff.map.MapGateway;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the loop: writes each sales verdict (and later the opportunity's outcome) to the fields
 * marketing sees on the lead in its MAP, as many leads per call as the MAP allows; the MAP side
 * only ever updates existing leads.
 * A verdict is marked written only after Marketo confirmed that lead. A backlog goes out up to
 * {@value #WRITES_IN_FLIGHT} calls at once (the MAP client's throttle still holds each call to the
 * vendor's limits); the batches are recorded in order.
 *
 * <p>With a {@code maxWait} (handoff.feedback.max-wait) above zero, a batch smaller than the MAP's
 * write batch waits for more verdicts to fill it, until its oldest verdict has waited that long or
 * no lead is left that could still bring one (nothing new, unscored, or with sales undecided): at
 * a steady trickle of verdicts that is one call per full batch instead of one per cycle.
 */
public final class FeedbackWriter {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackWriter.class);

    private final MapGateway map;
    private final Ledger ledger;
    private final Clock clock;
    private final java.time.Duration maxWait;
    /** Feedback batches written at once: a backlog of verdicts goes out in rounds of this many calls. */
    static final int WRITES_IN_FLIGHT = 4;
    private final java.util.concurrent.ExecutorService writes = Prefetch.executor("handoff-feedback", WRITES_IN_FLIGHT);

    public FeedbackWriter(MapGateway map, Ledger ledger, Clock clock) {
        this(map, ledger, clock, java.time.Duration.ZERO);
    }

    /** @param maxWait how long a partial batch may wait for more verdicts; zero writes every verdict at the next cycle */
    public FeedbackWriter(MapGateway map, Ledger ledger, Clock clock, java.time.Duration maxWait) {
        this.map = map;
        this.ledger = ledger;
        this.clock = clock;
        this.maxWait = maxWait;
    }

    /** @return the number of leads whose feedback was written */
    public int writePending() {
        boolean partial = partialBatchDue();
        // up to WRITES_IN_FLIGHT batches are written at once; each is recorded, in order, when its answer is in
        return BatchDrain.drainAhead(map.writeBatchSize(), WRITES_IN_FLIGHT, (after, size) -> {
            List<LedgerLead> batch = ledger.feedbackPending(after, size);
            return batch.size() < size && !partial ? List.of() : batch;
        }, LedgerLead::mapId, writes, this::send, this::record);
    }

    private boolean partialBatchDue() {
        if (maxWait.isZero()) {
            return true;
        }
        java.time.Instant oldest = ledger.oldestPendingFeedback().orElse(null);
        return oldest != null && (!oldest.isAfter(clock.instant().minus(maxWait)) || ledger.awaitingVerdict() == 0);
    }

    private List<MapGateway.FeedbackResult> send(List<LedgerLead> batch) {
        List<MapGateway.Feedback> feedback = new ArrayList<>(batch.size());
        for (LedgerLead l : batch) {
            boolean rejected = l.state() == LeadState.REJECTED;
            boolean accepted = l.state() == LeadState.ACCEPTED;
            Boolean breached = (accepted || rejected) && l.disposedAt() != null && l.slaDueAt() != null
                    ? l.disposedAt().isAfter(l.slaDueAt()) : null;
            feedback.add(new MapGateway.Feedback(l.mapId(), l.salesStatus(), rejected ? l.rejectReason() : null,
                    rejected ? l.rejectComment() : null, accepted ? l.disposedAt() : null, l.salesOwner(), l.outcome(),
                    l.opportunityAmount(), breached));
        }
        return map.writeFeedback(feedback);
    }

    private int record(List<LedgerLead> batch, List<MapGateway.FeedbackResult> results) {
        List<LedgerLead> ok = new ArrayList<>();
        List<Records.Quarantine> refused = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            MapGateway.FeedbackResult r = results.get(i);
            if (r.ok()) {
                ok.add(batch.get(i));
            } else {
                refused.add(new Records.Quarantine(r.mapId(), null, map.system(), r.code(),
                        "feedback not written: " + r.message(), "FEEDBACK"));
            }
        }
        ledger.recordFeedbackWritten(ok, clock.instant());
        if (!refused.isEmpty()) {
            ledger.quarantine(refused);
            refused.forEach(q -> LOG.warn("quarantined feedback for lead {}: {} {}", q.mapId(), q.code(), q.message()));
        }
        LOG.info("feedback: {} sales verdicts written to {}, {} refused", ok.size(), map.system(), refused.size());
        return ok.size();
    }
}
