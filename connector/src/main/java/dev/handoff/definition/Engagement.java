package dev.handoff.definition;

import java.util.List;

/** What the lead did: points per activity, halving every {@code halfLifeDays}. */
public record Engagement(int halfLifeDays, List<ActivityRule> activities) {

    public Engagement {
        if (halfLifeDays < 1) {
            throw new IllegalArgumentException("halfLifeDays must be >= 1");
        }
        activities = List.copyOf(activities);
    }

    public java.util.Optional<ActivityRule> rule(String type) {
        for (ActivityRule r : activities) {
            if (r.type().equals(type)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
