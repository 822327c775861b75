package dev.handoff.map;

import java.util.List;
import java.util.Optional;

/**
 * What marketing does with a lead sales rejected, as the recycling flow needs it, whichever MAP it
 * is: hand a recycled lead to nurture, and flag a disqualified one on a field marketing sees. Both
 * are safe to repeat.
 */
public interface MapNurture {

    /** {@code marketo}, {@code hubspot}: names the system in quarantine records and logs. */
    String system();

    /** Where recycled leads go, in words ("static list 1042"); empty when nothing is configured. */
    Optional<String> recycleTarget();

    /** Leads per {@link #recycle} call. */
    int recycleBatchSize();

    /** Leads per {@link #markDisqualified} call. */
    int disqualifyBatchSize();

    /** Hands leads to nurture; one result per input, in order. Only called when a target is configured. */
    List<MapGateway.FeedbackResult> recycle(List<String> mapIds);

    /** Sets the disqualified flag on each lead; one result per input, in order. */
    List<MapGateway.FeedbackResult> markDisqualified(List<String> mapIds);
}
