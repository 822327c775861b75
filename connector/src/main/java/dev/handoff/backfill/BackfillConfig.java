package dev.handoff.backfill;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.time.Duration;
import java.time.Instant;

/**
 * How a backfill runs: which leads (created in [since, until)), in export windows of at most 31
 * days, and the sizes that bound its memory: leads per ledger transaction, batches waiting
 * between the download and the ledger, bytes per download request.
 */
public record BackfillConfig(Instant since, Instant until, int windowDays, int batchSize, int queueBatches,
        int downloadChunkBytes, Duration pollInterval, Duration maxWait) {

    public BackfillConfig {
        if (!since.isBefore(until)) {
            throw new ConfigException("handoff.backfill.since", "must be before handoff.backfill.until (" + since + " is not before "
                    + until + ")");
        }
    }

    /**
     * @param since from the command line, or null to take {@code handoff.backfill.since}
     * @param until from the command line, or null to take {@code handoff.backfill.until} (default now)
     */
    public static BackfillConfig from(Settings s, Instant since, Instant until, Instant now) {
        Instant from = since != null ? since : s.instant("handoff.backfill.since", null);
        if (from == null) {
            throw new ConfigException("handoff.backfill.since",
                    "is required (or --since): the backfill reads leads created from that instant on, e.g. 2026-01-01T00:00:00Z");
        }
        Instant to = until != null ? until : s.instant("handoff.backfill.until", now);
        if (to.isAfter(now)) {
            to = now;
        }
        return new BackfillConfig(from, to,
                s.integer("handoff.backfill.window-days", 31, 1, 31),
                s.integer("handoff.backfill.batch-size", 500, 1, 5000),
                s.integer("handoff.backfill.queue-batches", 4, 1, 64),
                s.integer("handoff.backfill.download-chunk-kb", 8192, 64, 65536) * 1024,
                s.duration("handoff.backfill.poll-interval", Duration.ofSeconds(5)),
                s.duration("handoff.backfill.max-wait", Duration.ofHours(2)));
    }

    public Duration window() {
        return Duration.ofDays(windowDays);
    }
}
