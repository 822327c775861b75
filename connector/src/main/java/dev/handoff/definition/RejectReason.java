package dev.handoff.definition;

import java.util.Objects;

/**
 * A reason sales may give when rejecting a lead, and what happens to the lead afterwards.
 *
 * @param code            the picklist value sales selects, e.g. {@code NOT_INTERESTED}
 * @param action          what the connector does with the rejected lead
 * @param afterDays       for {@link Action#RECYCLE}: days before the lead may be handed off again; 0 otherwise
 * @param commentRequired whether sales must explain the rejection in the comment field
 */
public record RejectReason(String code, Action action, int afterDays, boolean commentRequired) {

    public enum Action {
        /** Never hand this lead over again. */
        DISQUALIFY,
        /** Back to marketing nurture; eligible again after {@code afterDays}. */
        RECYCLE,
        /** The lead duplicates another record and is merged. */
        MERGE
    }

    public RejectReason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(action, "action");
        if (afterDays < 0) {
            throw new IllegalArgumentException("afterDays must be >= 0");
        }
        if (action != Action.RECYCLE && afterDays != 0) {
            throw new IllegalArgumentException("afterDays applies to RECYCLE only");
        }
    }
}
