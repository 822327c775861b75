package dev.handoff.marketo;

import dev.handoff.map.MapGateway;
import dev.handoff.map.MapNurture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Marketo as a {@link MapNurture}: recycled leads join a static list (300 per call) or are
 * requested into a campaign (100 per call); disqualified leads get a boolean field through an
 * {@code updateOnly} sync (300 per call).
 */
public final class MarketoNurture implements MapNurture {

    private final MarketoClient client;
    private final MarketoConfig config;
    private final MarketoNurtureConfig nurture;

    public MarketoNurture(MarketoClient client, MarketoConfig config, MarketoNurtureConfig nurture) {
        this.client = client;
        this.config = config;
        this.nurture = nurture;
    }

    @Override
    public String system() {
        return MarketoClient.SYSTEM;
    }

    @Override
    public Optional<String> recycleTarget() {
        return nurture.target();
    }

    @Override
    public int recycleBatchSize() {
        return nurture.campaignId().isPresent() ? MarketoClient.CAMPAIGN_BATCH : MarketoClient.LIST_BATCH;
    }

    @Override
    public int disqualifyBatchSize() {
        return config.writeBatchSize();
    }

    @Override
    public List<MapGateway.FeedbackResult> recycle(List<String> mapIds) {
        List<Long> ids = mapIds.stream().map(Long::parseLong).toList();
        List<MapGateway.FeedbackResult> out = new ArrayList<>(ids.size());
        if (nurture.listId().isPresent()) {
            for (MarketoClient.ListResult r : client.addToList(nurture.listId().getAsInt(), ids)) {
                out.add(new MapGateway.FeedbackResult(String.valueOf(r.id()), r.ok(),
                        r.reasonCode() == null ? "SKIPPED" : r.reasonCode(),
                        r.reasonMessage() == null ? r.status() : r.reasonMessage()));
            }
            return out;
        }
        if (nurture.campaignId().isPresent()) {
            client.triggerCampaign(nurture.campaignId().getAsInt(), ids);
            mapIds.forEach(id -> out.add(new MapGateway.FeedbackResult(id, true, null, "requested")));
            return out;
        }
        throw new IllegalStateException("no static list or campaign is configured for recycled leads");
    }

    @Override
    public List<MapGateway.FeedbackResult> markDisqualified(List<String> mapIds) {
        List<Map<String, Object>> inputs = new ArrayList<>(mapIds.size());
        for (String id : mapIds) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("id", Long.parseLong(id));
            in.put(nurture.disqualifiedField(), true);
            inputs.add(in);
        }
        List<MarketoClient.SyncResult> results = client.updateLeadsById(inputs);
        List<MapGateway.FeedbackResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            MarketoClient.SyncResult r = results.get(i);
            out.add(new MapGateway.FeedbackResult(mapIds.get(i), r.ok(), r.reasonCode() == null ? "SKIPPED" : r.reasonCode(),
                    r.reasonMessage() == null ? r.status() : r.reasonMessage()));
        }
        return out;
    }
}
