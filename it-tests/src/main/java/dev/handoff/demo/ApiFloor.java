package dev.handoff.demo;

import dev.handoff.app.HandoffApplication;
import dev.handoff.ledger.Records;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fewest API calls each system needs for what the ledger says happened, at the largest batch
 * each API takes: Marketo/HubSpot reads and writes 300/100 per call, Salesforce upserts and dedupe
 * lookups 200 per call and reads 2,000 changed Leads per page. Reconnects, empty polls, retries
 * and one-time setup are not in it: a connector can only come close to it, never under it.
 */
public final class ApiFloor {

    /** What the floor of one system is made of, for the time floor: the activity pages are a token chain. */
    public record MapParts(long activityPages, long leadReads, long feedbackWrites, long disqualifyWrites, long nurtureWrites) {
        public long total() {
            return activityPages + leadReads + feedbackWrites + disqualifyWrites + nurtureWrites;
        }
    }

    private ApiFloor() {
    }

    /** The MAP's floor. HubSpot has no activity feed: the changed contacts a search page brings stand in for it. */
    public static MapParts map(HandoffApplication app, Records.Counts counts, long activities, boolean hubspot) {
        int batch = hubspot ? 100 : 300;
        return new MapParts(ceil(hubspot ? counts.leads() : activities, batch), ceil(counts.leads(), batch),
                ceil(counts.feedbackWritten() + counts.noticesWritten() + app.ledger().quarantinedAt("FEEDBACK"), batch),
                ceil(counts.disqualifiedMarked() + app.ledger().quarantinedAt("RECYCLE"), batch),
                ceil(counts.recycledToNurture(), batch));
    }

    public static long salesforce(HandoffApplication app, Records.Counts counts) {
        return ceil(counts.handedOff() + app.ledger().quarantinedAt("HANDOFF"), 200)
                + ceil(app.salesforce().dedupeLookups(), 200) + ceil(app.ledger().dispositionsRecorded(), 2000);
    }

    /** {@code marketo|hubspot → n, salesforce → m}, as the demo and the e2e benchmark report it. */
    public static Map<String, Long> of(HandoffApplication app, Records.Counts counts, long activities, boolean hubspot) {
        Map<String, Long> floor = new LinkedHashMap<>();
        floor.put(hubspot ? "hubspot" : "marketo", map(app, counts, activities, hubspot).total());
        floor.put("salesforce", salesforce(app, counts));
        return floor;
    }

    static long ceil(long n, long per) {
        return (n + per - 1) / per;
    }
}
