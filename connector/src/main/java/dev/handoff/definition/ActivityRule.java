package dev.handoff.definition;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Points for one activity type. Only activities within {@code windowDays} (if set) count, and of
 * those only the {@code maxCount} most recent (if set).
 */
public record ActivityRule(String type, int points, OptionalInt maxCount, OptionalInt windowDays) {

    public ActivityRule {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(maxCount, "maxCount");
        Objects.requireNonNull(windowDays, "windowDays");
        if (maxCount.isPresent() && maxCount.getAsInt() < 1) {
            throw new IllegalArgumentException("maxCount must be >= 1");
        }
        if (windowDays.isPresent() && windowDays.getAsInt() < 1) {
            throw new IllegalArgumentException("windowDays must be >= 1");
        }
    }
}
