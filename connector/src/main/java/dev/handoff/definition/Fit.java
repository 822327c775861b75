package dev.handoff.definition;

import java.util.List;

/** Who the lead is: scoring criteria, and disqualifiers checked in order. */
public record Fit(List<Criterion> criteria, List<Disqualifier> disqualifiers) {

    public Fit {
        criteria = List.copyOf(criteria);
        disqualifiers = List.copyOf(disqualifiers);
    }
}
