package dev.handoff.hubspot;

import dev.handoff.map.MapGateway;
import dev.handoff.map.MapNurture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rejection actions on HubSpot. A disqualified contact gets HubSpot's own lead status
 * {@code UNQUALIFIED}, which its lists and workflows already understand. Recycling into a HubSpot
 * list is not offered: the due dates stay in the ledger, and marketing's workflows can act on the
 * reject reason Handoff writes to the contact.
 */
public final class HubSpotNurture implements MapNurture {

    static final String DISQUALIFIED_STATUS = "UNQUALIFIED";

    private final HubSpotClient client;

    public HubSpotNurture(HubSpotClient client) {
        this.client = client;
    }

    @Override
    public String system() {
        return HubSpotClient.SYSTEM;
    }

    @Override
    public Optional<String> recycleTarget() {
        return Optional.empty();
    }

    @Override
    public int recycleBatchSize() {
        return HubSpotConfig.MAX_BATCH;
    }

    @Override
    public int disqualifyBatchSize() {
        return HubSpotConfig.MAX_BATCH;
    }

    @Override
    public List<MapGateway.FeedbackResult> recycle(List<String> mapIds) {
        throw new IllegalStateException("HubSpot recycling has no target; the recycler must not call it");
    }

    @Override
    public List<MapGateway.FeedbackResult> markDisqualified(List<String> mapIds) {
        List<HubSpotClient.Update> updates = new ArrayList<>(mapIds.size());
        mapIds.forEach(id -> updates.add(new HubSpotClient.Update(id, Map.of("hs_lead_status", DISQUALIFIED_STATUS))));
        List<MapGateway.FeedbackResult> out = new ArrayList<>(mapIds.size());
        for (HubSpotClient.UpdateResult r : client.updateContacts(updates)) {
            out.add(new MapGateway.FeedbackResult(r.id(), r.ok(), r.code(), r.message()));
        }
        return out;
    }
}
