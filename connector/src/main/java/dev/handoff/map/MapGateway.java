package dev.handoff.map;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The marketing automation platform as the flows need it, whichever it is (Marketo, HubSpot): read
 * leads by id as normalized fields, and write sales' verdicts to the fields marketing sees. Intake
 * (how changed leads are found) is each platform's own {@link MapIntake}.
 */
public interface MapGateway {

    /** {@code marketo}, {@code hubspot}: names the system in quarantine records and logs. */
    String system();

    /** Leads per read call (Marketo 300, HubSpot 100). */
    int readBatchSize();

    /** Leads per feedback write call (Marketo 300, HubSpot 100). */
    int writeBatchSize();

    /**
     * Current values of these leads, keyed by MAP id, with normalized field names ({@code email},
     * {@code company}, {@code annual_revenue}, …) and numbers as decimal strings. Leads the MAP no
     * longer has are absent from the result. At most {@link #readBatchSize()} ids.
     */
    Map<String, Map<String, String>> readLeads(List<String> ids);

    /**
     * Makes sure the connector holds valid credentials for the platform, obtaining them if it has
     * none yet (a cached token is reused, so this costs at most one identity call per token
     * lifetime). Throws a {@code ConnectorException} naming the problem when it cannot. Platforms
     * with static credentials (a private app token) have nothing to obtain.
     */
    default void ensureAuthenticated() {
    }

    /** Writes each verdict to its lead; one result per input, in order. At most {@link #writeBatchSize()}. */
    List<FeedbackResult> writeFeedback(List<Feedback> feedback);

    /**
     * Sets only the "SLA breached" field of these leads to true (sales let the accept window pass
     * without a verdict), leaving every other feedback field as it is; one result per input, in
     * order. At most {@link #writeBatchSize()} ids.
     */
    List<FeedbackResult> flagSlaBreached(List<String> mapIds);

    /**
     * What marketing sees about one lead. Null clears a field (an accepted lead has no reject
     * reason); {@code slaBreached} is whether the verdict came after the agreed accept window, null
     * when there is no verdict to judge.
     */
    record Feedback(String mapId, String salesStatus, String rejectReason, String rejectComment, Instant acceptedAt,
            String salesOwner, String outcome, BigDecimal outcomeAmount, Boolean slaBreached) {
        public Feedback(String mapId, String salesStatus, String rejectReason, String rejectComment, Instant acceptedAt,
                String salesOwner, String outcome, BigDecimal outcomeAmount) {
            this(mapId, salesStatus, rejectReason, rejectComment, acceptedAt, salesOwner, outcome, outcomeAmount, null);
        }
    }

    /** The MAP's answer for one lead: written, or refused with its code and message. */
    record FeedbackResult(String mapId, boolean ok, String code, String message) {
    }
}
