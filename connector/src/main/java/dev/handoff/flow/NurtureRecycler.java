package dev.handoff.flow;

import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.Records;
import dev.handoff.map.MapGateway;
import dev.handoff.map.MapNurture;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the action of each rejection's reason in the MAP once marketing has the verdict: a
 * recycled lead goes to nurture when its reason's delay has passed, a disqualified lead gets the
 * disqualified flag. Leads the MAP refuses are quarantined with its code; the rest of the batch
 * carries on. Runs are serialized, since the disposition and recycle flows both call it.
 *
 * <p>With a {@code maxWait} (handoff.feedback.max-wait) above zero, a batch smaller than the MAP's
 * batch waits like feedback does: until its oldest lead has waited that long since marketing got
 * the verdict, or until no verdict or feedback is still on its way.
 */
public final class NurtureRecycler {

    public static final String STAGE = "RECYCLE";
    private static final Logger LOG = LoggerFactory.getLogger(NurtureRecycler.class);

    private final MapNurture nurture;
    private final Ledger ledger;
    private final Clock clock;
    private boolean toldNothingConfigured;

    /** What one run did: leads handed to nurture, leads flagged disqualified, leads the MAP refused. */
    public record Result(int recycled, int disqualified, int refused) {
    }

    private final java.time.Duration maxWait;
    private final java.util.concurrent.ExecutorService recycles = Prefetch.executor("handoff-recycle", 1);

    public NurtureRecycler(MapNurture nurture, Ledger ledger, Clock clock) {
        this(nurture, ledger, clock, java.time.Duration.ZERO);
    }

    /** @param maxWait how long a partial batch may wait for more leads; zero applies every due action at once */
    public NurtureRecycler(MapNurture nurture, Ledger ledger, Clock clock, java.time.Duration maxWait) {
        this.nurture = nurture;
        this.ledger = ledger;
        this.clock = clock;
        this.maxWait = maxWait;
    }

    private boolean partialBatchDue() {
        if (maxWait.isZero()) {
            return true;
        }
        java.time.Instant oldest = ledger.oldestActionDue().orElse(null);
        return oldest != null && (!oldest.isAfter(clock.instant().minus(maxWait))
                || (ledger.awaitingVerdict() == 0 && ledger.oldestPendingFeedback().isEmpty()));
    }

    private static BatchDrain.Queue<String> fullBatchesUnless(boolean partial, BatchDrain.Queue<String> queue) {
        return (after, size) -> {
            List<String> batch = queue.next(after, size);
            return batch.size() < size && !partial ? List.of() : batch;
        };
    }

    public synchronized Result recycle() {
        boolean partial = partialBatchDue();
        // The two actions touch different leads and different MAP calls, so the nurture batches go out
        // on their own thread while the disqualified flags are written here.
        int[] recycleRefused = {0};
        java.util.concurrent.Future<Integer> recycling = nurture.recycleTarget().isPresent()
                ? recycles.submit(() -> BatchDrain.drain(nurture.recycleBatchSize(),
                        fullBatchesUnless(partial, ledger::recycleDue), Function.identity(),
                        batch -> apply(batch, nurture::recycle, ids -> ledger.recordRecycled(ids, clock.instant()),
                                recycleRefused)))
                : null;
        int[] disqualifyRefused = {0};
        int disqualified;
        try {
            if (recycling == null && !toldNothingConfigured && !ledger.recycleDue("", 1).isEmpty()) {
                toldNothingConfigured = true;
                LOG.info("recycle: rejected leads are due for nurture, but no static list or campaign is configured "
                        + "(handoff.marketo.recycle.list-id or handoff.marketo.recycle.campaign-id); their due dates stay in the ledger");
            }
            disqualified = BatchDrain.drain(nurture.disqualifyBatchSize(), fullBatchesUnless(partial, ledger::disqualifyDue),
                    Function.identity(),
                    batch -> apply(batch, nurture::markDisqualified, ids -> ledger.recordDisqualified(ids, clock.instant()),
                            disqualifyRefused));
        } catch (RuntimeException | Error e) {
            // the nurture batches still finish (or fail) before this run ends
            if (recycling != null) {
                try {
                    Prefetch.await(recycling);
                } catch (RuntimeException | Error alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
            }
            throw e;
        }
        int recycled = recycling == null ? 0 : Prefetch.await(recycling);
        int refused = recycleRefused[0] + disqualifyRefused[0];
        if (recycled + disqualified + refused > 0) {
            LOG.info("recycle: {} leads to nurture ({}), {} flagged disqualified in {}, {} refused", recycled,
                    nurture.recycleTarget().orElse("not configured"), disqualified, nurture.system(), refused);
        }
        return new Result(recycled, disqualified, refused);
    }

    private int apply(List<String> batch, Function<List<String>, List<MapGateway.FeedbackResult>> call,
            java.util.function.Consumer<List<String>> record, int[] refusedCount) {
        List<MapGateway.FeedbackResult> results = call.apply(batch);
        List<String> ok = new ArrayList<>();
        List<Records.Quarantine> refused = new ArrayList<>();
        for (MapGateway.FeedbackResult r : results) {
            if (r.ok()) {
                ok.add(r.mapId());
            } else {
                refused.add(new Records.Quarantine(r.mapId(), null, nurture.system(), r.code(),
                        "rejection action not applied: " + r.message(), STAGE));
            }
        }
        record.accept(ok);
        if (!refused.isEmpty()) {
            ledger.quarantine(refused);
            refused.forEach(q -> LOG.warn("quarantined lead {} at {}: {} {}", q.mapId(), STAGE, q.code(), q.message()));
        }
        refusedCount[0] += refused.size();
        return ok.size();
    }
}
