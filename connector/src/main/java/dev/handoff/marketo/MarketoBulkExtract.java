package dev.handoff.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;

/**
 * Marketo Bulk Lead Extract and Bulk Activity Extract: create a job for a createdAt range (at most
 * 31 days), enqueue it (waiting while Marketo's queue of ten is full), poll its status with a
 * growing interval (up to eight times the first, at most a minute) until Completed, then read the file as a stream of byte ranges, so memory
 * stays bounded whatever the file size.
 */
public final class MarketoBulkExtract {

    /** Marketo's longest createdAt range for one job. */
    public static final Duration MAX_RANGE = Duration.ofDays(31);

    /** What is exported. */
    public enum Kind {
        LEADS("leads"), ACTIVITIES("activities");

        private final String path;

        Kind(String path) {
            this.path = path;
        }
    }

    /** A job as its status reports it; counts are known once Completed. */
    public record Job(Kind kind, String exportId, String status, long numberOfRecords, long fileSize) {
    }

    /** How the caller waits between polls; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(60);
    private static final int RANGE_ATTEMPTS = 4;

    private final MarketoClient client;
    private final Duration pollInterval;
    private final Duration maxWait;
    private final int chunkBytes;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param pollInterval first wait between status polls; it doubles up to a minute
     * @param maxWait      the longest to wait for one job to be queued and completed
     * @param chunkBytes   bytes per file range request
     */
    public MarketoBulkExtract(MarketoClient client, Duration pollInterval, Duration maxWait, int chunkBytes, Clock clock,
            Sleeper sleeper) {
        if (chunkBytes < 1024) {
            throw new IllegalArgumentException("chunks of at least 1 KB, got " + chunkBytes);
        }
        this.client = client;
        this.pollInterval = pollInterval;
        this.maxWait = maxWait;
        this.chunkBytes = chunkBytes;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Creates a lead export of these Marketo fields for leads created in [from, to). */
    public Job createLeadExport(Collection<String> fields, Instant from, Instant to) {
        ObjectNode request = json.createObjectNode();
        ArrayNode f = request.putArray("fields");
        fields.forEach(f::add);
        request.put("format", "CSV");
        range(request.putObject("filter"), from, to);
        return job(Kind.LEADS, client.bulkCreate(Kind.LEADS.path, request));
    }

    /** Creates an activity export of these types for activities dated in [from, to). */
    public Job createActivityExport(Collection<Integer> typeIds, Instant from, Instant to) {
        ObjectNode request = json.createObjectNode();
        request.put("format", "CSV");
        ObjectNode filter = request.putObject("filter");
        range(filter, from, to);
        ArrayNode ids = filter.putArray("activityTypeIds");
        typeIds.forEach(ids::add);
        return job(Kind.ACTIVITIES, client.bulkCreate(Kind.ACTIVITIES.path, request));
    }

    /** The job's current status. */
    public Job status(Kind kind, String exportId) {
        return job(kind, client.bulkStatus(kind.path, exportId));
    }

    /**
     * Enqueues a created job. A full queue (1029) is waited out with a growing pause; a daily
     * quota that is used up fails at once, naming the reset.
     */
    public void enqueue(Job created) throws InterruptedException {
        Instant deadline = clock.instant().plus(maxWait);
        Duration wait = pollInterval;
        while (true) {
            try {
                client.bulkEnqueue(created.kind().path, created.exportId());
                return;
            } catch (ConnectorException e) {
                if (!"1029".equals(e.code())) {
                    throw e;
                }
                if (e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("quota")) {
                    throw new ConnectorException(MarketoClient.SYSTEM, "1029", ErrorClass.FATAL, "Marketo's daily bulk export"
                            + " allowance is used up (it resets at midnight US Central time); run the backfill again then, it"
                            + " resumes where it stopped", e);
                }
                wait = pause(deadline, wait, "a place in Marketo's export queue for " + created.exportId());
            }
        }
    }

    /** Polls an enqueued job, with a doubling interval (at most 8 × the first, and a minute), until it is Completed. */
    public Job await(Job enqueued) throws InterruptedException {
        Instant deadline = clock.instant().plus(maxWait);
        Duration wait = pollInterval;
        while (true) {
            Job job = status(enqueued.kind(), enqueued.exportId());
            switch (job.status()) {
                case "Completed":
                    return job;
                case "Failed":
                case "Cancelled":
                    throw new ConnectorException(MarketoClient.SYSTEM, "EXPORT_" + job.status().toUpperCase(java.util.Locale.ROOT),
                            ErrorClass.TRANSIENT, "Marketo export " + job.exportId() + " ended " + job.status(), null);
                default:
                    wait = pause(deadline, wait, "export " + enqueued.exportId() + " (status " + job.status() + ")");
            }
        }
    }

    /** The completed job's file as a stream; each refill asks Marketo for the next range. */
    public InputStream open(Job completed) {
        if (!"Completed".equals(completed.status())) {
            throw new IllegalStateException("export " + completed.exportId() + " is " + completed.status());
        }
        return new RangedInputStream(completed.fileSize(), chunkBytes, (from, to) -> range(completed, from, to));
    }

    /** One range, retried a few times with backoff when the failure is transient (a reset, a 5xx, a 606). */
    private byte[] range(Job job, long from, long to) {
        Duration wait = pollInterval;
        for (int attempt = 1; ; attempt++) {
            try {
                return client.bulkFileRange(job.kind().path, job.exportId(), from, to);
            } catch (ConnectorException e) {
                if (e.errorClass() != ErrorClass.TRANSIENT || attempt >= RANGE_ATTEMPTS) {
                    throw e;
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = wait.multipliedBy(2);
            }
        }
    }

    private Duration pause(Instant deadline, Duration wait, String what) throws InterruptedException {
        if (!clock.instant().plus(wait).isBefore(deadline)) {
            throw new ConnectorException(MarketoClient.SYSTEM, "EXPORT_TIMEOUT", ErrorClass.TRANSIENT,
                    "gave up waiting for " + what + " after " + maxWait, null);
        }
        sleeper.sleep(wait);
        Duration next = wait.multipliedBy(2);
        Duration cap = pollInterval.multipliedBy(8).compareTo(MAX_POLL_INTERVAL) > 0 ? MAX_POLL_INTERVAL : pollInterval.multipliedBy(8);
        return next.compareTo(cap) > 0 ? cap : next;
    }

    private static void range(ObjectNode filter, Instant from, Instant to) {
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new IllegalArgumentException("an export range must be 1 second to 31 days, got " + from + " to " + to);
        }
        ObjectNode created = filter.putObject("createdAt");
        // Marketo wants ISO-8601 without milliseconds.
        created.put("startAt", from.truncatedTo(ChronoUnit.SECONDS).toString());
        created.put("endAt", to.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static Job job(Kind kind, JsonNode node) {
        String id = node.path("exportId").asText("");
        if (id.isEmpty()) {
            throw new ConnectorException(MarketoClient.SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT,
                    "bulk export response has no exportId", null);
        }
        return new Job(kind, id, node.path("status").asText(""), node.path("numberOfRecords").asLong(0),
                node.path("fileSize").asLong(0));
    }

    /** Reads {@code size} bytes as consecutive ranges of at most {@code chunk} bytes, one range in memory at a time. */
    static final class RangedInputStream extends InputStream {

        @FunctionalInterface
        interface Ranges {
            byte[] read(long from, long toInclusive);
        }

        private final long size;
        private final int chunk;
        private final Ranges ranges;
        private long next;
        private byte[] buffer = new byte[0];
        private int position;

        RangedInputStream(long size, int chunk, Ranges ranges) {
            this.size = size;
            this.chunk = chunk;
            this.ranges = ranges;
        }

        private boolean fill() throws IOException {
            if (position < buffer.length) {
                return true;
            }
            if (next >= size) {
                return false;
            }
            long to = Math.min(size, next + chunk) - 1;
            try {
                buffer = ranges.read(next, to);
            } catch (ConnectorException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (buffer.length == 0) {
                throw new IOException("empty range " + next + "-" + to + " of a " + size + "-byte export file");
            }
            position = 0;
            next += buffer.length;
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buffer[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.length - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }
    }
}
