package dev.handoff.backtest;

import dev.handoff.ledger.LedgerLead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the live decisions and the shadow definition's ({@code handoff.definition.shadow}) agreed on
 * the leads both scored, and what sales made of the leads they disagree on. Read from the ledger a
 * page at a time; only counters and at most {@code limit} disagreements are kept.
 *
 * @param compared             leads scored by both live and shadow
 * @param notShadowScored      scored leads with no shadow result for their live decision (shadow mode was off)
 * @param shadowVersions       shadow definition versions, with their lead counts
 * @param both                 MQL live and in the shadow
 * @param liveOnly             MQL live only
 * @param shadowOnly           MQL in the shadow only
 * @param neither              MQL in neither
 * @param agreement            (both + neither) / compared; null when nothing was compared
 * @param liveOnlyAccepted     live-only MQLs sales accepted (the shadow would have lost them)
 * @param liveOnlyRejected     live-only MQLs sales rejected (the shadow would have spared sales), by reason
 * @param disagreementsTotal   liveOnly + shadowOnly
 * @param disagreements        the first disagreements in map id order
 */
public record ShadowComparison(long compared, long notShadowScored, Map<String, Long> shadowVersions, long both, long liveOnly,
        long shadowOnly, long neither, Double agreement, long liveOnlyAccepted, Map<String, Long> liveOnlyRejected,
        long disagreementsTotal, List<Disagreement> disagreements) {

    public ShadowComparison {
        shadowVersions = Collections.unmodifiableMap(new TreeMap<>(shadowVersions));
        liveOnlyRejected = Collections.unmodifiableMap(new TreeMap<>(liveOnlyRejected));
        disagreements = List.copyOf(disagreements);
    }

    /** A lead the live and the shadow definition decided differently, with both scores and its live outcome. */
    public record Disagreement(String mapId, String maskedEmail, String liveVersion, HistoryLead.Score live,
            String shadowVersion, HistoryLead.Score shadow, String outcome) {
    }

    /** Compares the leads scored at or after {@code since} (null: all). */
    public static ShadowComparison of(LedgerHistory history, Instant since, int limit, int pageSize) {
        long[] n = new long[7]; // compared, not shadow-scored, both, live only, shadow only, neither, live-only accepted
        Map<String, Long> versions = new TreeMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        List<Disagreement> listed = new ArrayList<>();
        history.forEachPage(since, pageSize, false, page -> {
            for (HistoryLead l : page.leads()) {
                if (!l.shadowScored()) {
                    n[1]++;
                    continue;
                }
                n[0]++;
                versions.merge(String.valueOf(l.shadowVersion()), 1L, Long::sum);
                boolean live = l.recordedMql();
                boolean shadow = l.shadow().mql();
                if (live && shadow) {
                    n[2]++;
                } else if (!live && !shadow) {
                    n[5]++;
                } else {
                    n[live ? 3 : 4]++;
                    if (live && l.accepted()) {
                        n[6]++;
                    } else if (live && l.rejected()) {
                        rejected.merge(l.rejectReason() == null ? "(no reason)" : l.rejectReason(), 1L, Long::sum);
                    }
                    if (listed.size() < limit) {
                        listed.add(new Disagreement(l.mapId(), LedgerLead.maskEmail(l.email()), l.recordedVersion(),
                                l.recorded(), l.shadowVersion(), l.shadow(), l.liveOutcome()));
                    }
                }
            }
        });
        Double agreement = n[0] == 0 ? null : (double) (n[2] + n[5]) / n[0];
        return new ShadowComparison(n[0], n[1], versions, n[2], n[3], n[4], n[5], agreement, n[6], rejected, n[3] + n[4],
                listed);
    }
}
