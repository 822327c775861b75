package dev.handoff.engine;

import java.time.Instant;
import java.util.Objects;

/** Something a lead did; {@code type} is an activity type name of the definition, e.g. {@code webinar_attended}. */
public record Activity(String id, String leadId, String type, Instant occurredAt) {

    public Activity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
