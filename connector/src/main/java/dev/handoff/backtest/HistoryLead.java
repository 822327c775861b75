package dev.handoff.backtest;

import dev.handoff.ledger.LeadState;
import java.time.Instant;
import java.util.Map;

/**
 * One scored lead of the ledger's history, as a backtest replays it: the snapshot the live
 * qualifier scored, when, what it decided, and what sales and the pipeline made of the lead since.
 *
 * @param snapshot     the fields as scored; null when the stored snapshot could not be read
 * @param state        where the lead stands; for a quarantined lead, where it stood when it was parked
 * @param recordedMql  the live decision recorded at {@code qualifiedAt}
 * @param shadowAt     when a shadow definition scored it ({@code handoff.definition.shadow}); null if never
 */
public record HistoryLead(String mapId, String email, LeadState state, Map<String, String> snapshot, Instant qualifiedAt,
        boolean recordedMql, Score recorded, String recordedVersion, Instant handedOffAt, Instant disposedAt,
        String rejectReason, Instant convertedAt, String outcome, Instant outcomeAt, Score shadow, String shadowVersion,
        Instant shadowAt) {

    public HistoryLead {
        if (snapshot != null) {
            Map<String, String> copy = new java.util.LinkedHashMap<>();
            snapshot.forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.put(k, v);
                }
            });
            snapshot = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /** Scores and decision of one definition for one lead. */
    public record Score(int fit, int engagement, String grade, boolean mql, String disqualifiedBy) {
    }

    public boolean accepted() {
        return state == LeadState.ACCEPTED;
    }

    public boolean rejected() {
        return state == LeadState.REJECTED;
    }

    /** Sales saw it: a Lead was created or updated in the CRM. */
    public boolean handedOff() {
        return handedOffAt != null;
    }

    /** Sales converted it to a contact (and usually an opportunity). */
    public boolean converted() {
        return convertedAt != null || outcome != null;
    }

    public boolean won() {
        return "WON".equals(outcome);
    }

    /** Whether the shadow result belongs to the live decision recorded with it. */
    public boolean shadowScored() {
        return shadow != null && shadowAt != null && shadowAt.equals(qualifiedAt);
    }

    /** What happened to the lead live, in words: {@code accepted, converted}, {@code rejected NO_BUDGET}, … */
    public String liveOutcome() {
        if (accepted()) {
            return won() ? "accepted, won" : "LOST".equals(outcome) ? "accepted, lost" : converted() ? "accepted, converted"
                    : "accepted";
        }
        if (rejected()) {
            return "rejected " + (rejectReason == null ? "(no reason)" : rejectReason);
        }
        if (handedOff()) {
            return "handed off, no verdict yet";
        }
        if (state == LeadState.EXISTING_CONTACT) {
            return "already a contact, no verdict";
        }
        return recordedMql ? "MQL, not handed off" : "not handed off";
    }
}
