package dev.handoff.webhook;

import dev.handoff.map.MapGateway;
import dev.handoff.map.MapNurture;
import java.util.List;
import java.util.Optional;

/**
 * Rejection actions when leads arrive only by webhook: there is no MAP to add them to a list or
 * flag them in. The verdict, reason and its action already travelled in the feedback callback, so
 * recycling keeps its due dates in the ledger and disqualification needs no further write.
 */
public final class WebhookNurture implements MapNurture {

    @Override
    public String system() {
        return "webhook";
    }

    @Override
    public Optional<String> recycleTarget() {
        return Optional.empty();
    }

    @Override
    public int recycleBatchSize() {
        return 1000;
    }

    @Override
    public int disqualifyBatchSize() {
        return 1000;
    }

    @Override
    public List<MapGateway.FeedbackResult> recycle(List<String> mapIds) {
        throw new IllegalStateException("webhook mode has no recycle target; the recycler must not call it");
    }

    @Override
    public List<MapGateway.FeedbackResult> markDisqualified(List<String> mapIds) {
        return mapIds.stream().map(id -> new MapGateway.FeedbackResult(id, true, null, "carried by the feedback callback"))
                .toList();
    }
}
