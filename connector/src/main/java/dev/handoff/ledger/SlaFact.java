package dev.handoff.ledger;

import java.time.Instant;

/**
 * What the SLA report needs to know about one MQL, as the ledger holds it: when it qualified and
 * under which definition version, where it came from, when sales had it and what they decided, what
 * became of it, and how long our pipeline and the people took. Times are null until they happen.
 *
 * @param source           the lead's {@code lead_source} in the MAP, null when it has none
 * @param campaign         the lead's {@code campaign} in the MAP (Marketo's acquisition program by
 *                         default), null when it has none
 * @param state            where the lead stands now
 * @param systemDelayMs    MAP change to CRM write, null until handed off
 * @param humanDelayMs     CRM write to sales' first decision, null until decided
 */
public record SlaFact(String mapId, String source, String definitionVersion, LeadState state, Instant qualifiedAt,
        Instant handedOffAt, Instant slaDueAt, Instant disposedAt, String salesStatus, String rejectReason,
        String rejectComment, String salesOwner, Instant convertedAt, String outcome, Instant outcomeAt,
        Long systemDelayMs, Long humanDelayMs, Instant slaBreachedAt, String campaign) {

    /** Without a campaign. */
    public SlaFact(String mapId, String source, String definitionVersion, LeadState state, Instant qualifiedAt,
            Instant handedOffAt, Instant slaDueAt, Instant disposedAt, String salesStatus, String rejectReason,
            String rejectComment, String salesOwner, Instant convertedAt, String outcome, Instant outcomeAt,
            Long systemDelayMs, Long humanDelayMs, Instant slaBreachedAt) {
        this(mapId, source, definitionVersion, state, qualifiedAt, handedOffAt, slaDueAt, disposedAt, salesStatus, rejectReason,
                rejectComment, salesOwner, convertedAt, outcome, outcomeAt, systemDelayMs, humanDelayMs, slaBreachedAt, null);
    }

    /** Sales gave a verdict (accepted or rejected) on a Lead we handed off. */
    public boolean decided() {
        return handedOffAt != null && disposedAt != null;
    }

    /** The verdict came after the due time, or there is none and the due time has passed at {@code now}. */
    public boolean breached(Instant now) {
        if (slaDueAt == null || handedOffAt == null) {
            return false;
        }
        return disposedAt != null ? disposedAt.isAfter(slaDueAt) : !now.isBefore(slaDueAt);
    }
}
