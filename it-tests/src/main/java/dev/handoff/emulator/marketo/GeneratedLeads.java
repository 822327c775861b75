package dev.handoff.emulator.marketo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A large historical lead population that is never held in memory: lead {@code i} is generated
 * from (seed, i) whenever a bulk extract reaches it. Creation dates rise with the index, evenly
 * over {@code [from, to)}, so a date range maps to an index range by binary search; activities of
 * a lead fall in the {@link #ACTIVITY_SPAN} after its creation. Only the bulk extract endpoints
 * see these leads (they stand for the instance's history; the REST endpoints serve the leads the
 * emulator stores).
 */
final class GeneratedLeads {

    /** The first id; stored leads count up from 1001 and never reach it. */
    static final int FIRST_ID = 50_000_001;
    /** How long after creation a generated lead stays active. */
    static final Duration ACTIVITY_SPAN = Duration.ofDays(30);

    private final long seed;
    private final int count;
    private final Instant from;
    private final long spanSeconds;
    private final Instant now;

    GeneratedLeads(long seed, int count, Instant from, Instant to, Instant now) {
        if (count < 0 || count > 100_000_000) {
            throw new IllegalArgumentException("count must be 0 to 100,000,000, got " + count);
        }
        if (!from.isBefore(to) || to.isAfter(now)) {
            throw new IllegalArgumentException("need from < to <= now, got " + from + ", " + to + ", " + now);
        }
        this.seed = seed;
        this.count = count;
        this.from = Objects.requireNonNull(from, "from");
        this.spanSeconds = Duration.between(from, to).toSeconds();
        this.now = now;
    }

    int count() {
        return count;
    }

    int id(int index) {
        return FIRST_ID + index;
    }

    Instant createdAt(int index) {
        return from.plusSeconds((long) ((double) index * spanSeconds / count));
    }

    /** The first index created at or after {@code t} ({@link #count()} when none is). */
    int firstIndexAtOrAfter(Instant t) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (createdAt(mid).isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    DemoLeadGenerator.SeedLead lead(int index) {
        return DemoLeadGenerator.leadAt(seed, index, createdAt(index), ACTIVITY_SPAN, now);
    }

    /** The lead as Marketo stores it: canonical field values plus id and stamps. */
    Map<String, Object> record(int index, DemoLeadGenerator.SeedLead lead) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("id", (long) id(index));
        lead.fields().forEach((name, value) -> LeadField.byName(name).ifPresent(f -> out.put(name, f.canonical(value))));
        String stamp = MarketoJson.formatInstant(lead.createdAt());
        out.put("createdAt", stamp);
        out.put("updatedAt", stamp);
        return out;
    }

    /** Marketo GUID of the k-th activity of lead {@code index}: unique, stable, numeric like the real ones. */
    long activityId(int index, int k) {
        return 9_000_000_000L + (long) index * 16 + k;
    }
}
