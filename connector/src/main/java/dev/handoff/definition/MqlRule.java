package dev.handoff.definition;

import java.util.List;
import java.util.Objects;

/** A lead is an MQL when not disqualified, all required fields are filled and both thresholds are met. */
public record MqlRule(Threshold fit, Threshold engagement, List<String> requiredFields) {

    public MqlRule {
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(engagement, "engagement");
        requiredFields = List.copyOf(requiredFields);
    }
}
