package dev.handoff.ledger;

import java.time.Instant;
import java.util.Map;

/** What the flows hand to the ledger. Plain values; the ledger decides the state transitions. */
public final class Records {

    private Records() {
    }

    public record Qualified(String mapId, String email, Map<String, String> snapshot, int fitScore,
            int engagementScore, String grade, boolean mql, String disqualifiedBy, String explanation,
            String definitionVersion) {
    }

    /** What the shadow definition made of a lead the live one just scored: recorded, never acted on. */
    public record Shadow(String mapId, boolean mql, int fitScore, int engagementScore, String grade, String disqualifiedBy,
            String definitionVersion) {
    }

    public record HandedOff(String mapId, String crmId, Instant handedOffAt, Instant slaDueAt) {
    }

    /** A system refused this lead for a reason retrying will not fix. */
    public record Quarantine(String mapId, String email, String system, String code, String message, String stage) {
    }

    public enum Verdict { ACCEPTED, REJECTED }

    public record Disposition(String mapId, String salesStatus, Verdict verdict, String rejectReason,
            String rejectComment, String salesOwner, Instant disposedAt, String reasonAction, Instant recycleAt,
            Conversion conversion) {
        public Disposition(String mapId, String salesStatus, Verdict verdict, String rejectReason, String rejectComment,
                String salesOwner, Instant disposedAt, String reasonAction, Instant recycleAt) {
            this(mapId, salesStatus, verdict, rejectReason, rejectComment, salesOwner, disposedAt, reasonAction, recycleAt,
                    null);
        }
    }

    /** Sales converted the Lead: the Contact and Opportunity it became. */
    public record Conversion(Instant at, String contactId, String opportunityId) {
    }

    /** The MQL's email belongs to an existing Contact, so no Lead was created. */
    public record ExistingContact(String mapId, String contactId, String ownerId, Instant at) {
    }

    /** An opportunity's state as last read from the CRM. */
    public record Opportunity(String id, String stage, boolean closed, boolean won, java.math.BigDecimal amount) {
        public String outcome() {
            return !closed ? "OPPORTUNITY" : won ? "WON" : "LOST";
        }
    }

    public record Counts(long leads, long qualified, long handedOff, long accepted, long rejected, long recycled,
            long feedbackWritten, long quarantined, long notQualified, long inFlight, Map<String, Long> byState,
            long existingContacts, long converted, long won, long lost, long noticesWritten, long recycledToNurture,
            long disqualifiedMarked) {
    }

    /**
     * How far a run has got: the leads held, and how many of them are still in flight (not yet
     * scored, waiting for handoff or sales, or with feedback to write).
     */
    public record Progress(long leads, long inFlight) {
    }
}
