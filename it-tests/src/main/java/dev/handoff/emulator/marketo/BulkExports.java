package dev.handoff.emulator.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Bulk Lead Extract and Bulk Activity Extract of one instance: export jobs go Created → Queued →
 * Processing → Completed (or Cancelled/Failed); a processing job writes its CSV file to disk, so
 * a file of a million leads never sits in memory, and {@code file.json} serves it whole or by
 * byte {@code Range}. The published limits are enforced: two jobs processing at once, ten queued
 * (processing included, shared by leads and activities), a daily export allowance in bytes (500
 * MB by default), createdAt ranges of at most 31 days.
 */
final class BulkExports implements AutoCloseable {

    enum Kind {
        LEADS("leads"), ACTIVITIES("activities");

        final String path;

        Kind(String path) {
            this.path = path;
        }
    }

    static final int MAX_PROCESSING = 2;
    static final int MAX_QUEUED = 10;
    static final long DEFAULT_DAILY_BYTES = 500L * 1024 * 1024;
    static final Duration MAX_RANGE = Duration.ofDays(31);
    static final List<String> ACTIVITY_COLUMNS = List.of("marketoGUID", "leadId", "activityDate", "activityTypeId",
            "campaignId", "primaryAttributeValueId", "primaryAttributeValue", "attributes");
    private static final ZoneId QUOTA_ZONE = ZoneId.of("America/Chicago");

    /** What is exported: the instance's leads and activity log. */
    interface Source {
        /** Writes every lead created in [from, to) as CSV rows of {@code fields}; returns the row count. */
        long writeLeads(Instant from, Instant to, List<String> fields, CsvOut out) throws IOException;

        /** Writes every activity of the given types (all when empty) dated in [from, to). */
        long writeActivities(Instant from, Instant to, Set<Integer> types, CsvOut out) throws IOException;
    }

    /** One export job. Guarded by the monitor of {@link BulkExports}. */
    static final class Job {
        final String id = UUID.randomUUID().toString();
        final Kind kind;
        final List<String> fields;
        final Set<Integer> activityTypes;
        final Instant from;
        final Instant to;
        final Instant createdAt;
        String status = "Created";
        Instant queuedAt;
        Instant startedAt;
        Instant finishedAt;
        long records;
        long fileSize;
        String checksum;
        String errorMsg;
        Path file;

        Job(Kind kind, List<String> fields, Set<Integer> activityTypes, Instant from, Instant to, Instant createdAt) {
            this.kind = kind;
            this.fields = fields;
            this.activityTypes = activityTypes;
            this.from = from;
            this.to = to;
            this.createdAt = createdAt;
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exportId", id);
            m.put("format", "CSV");
            m.put("status", status);
            m.put("createdAt", MarketoJson.formatInstant(createdAt));
            if (queuedAt != null) {
                m.put("queuedAt", MarketoJson.formatInstant(queuedAt));
            }
            if (startedAt != null) {
                m.put("startedAt", MarketoJson.formatInstant(startedAt));
            }
            if (finishedAt != null) {
                m.put("finishedAt", MarketoJson.formatInstant(finishedAt));
            }
            if ("Completed".equals(status)) {
                m.put("numberOfRecords", records);
                m.put("fileSize", fileSize);
                m.put("fileChecksum", checksum);
            }
            if (errorMsg != null) {
                m.put("errorMsg", errorMsg);
            }
            return m;
        }
    }

    private final Source source;
    private final Clock clock;
    private final Path directory;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService processors = Executors.newFixedThreadPool(MAX_PROCESSING, r -> {
        Thread t = new Thread(r, "marketo-bulk-export");
        t.setDaemon(true);
        return t;
    });
    private long dailyBytes = DEFAULT_DAILY_BYTES;
    private boolean held;
    private LocalDate quotaDay;
    private long bytesToday;

    BulkExports(Source source, Clock clock) {
        this.source = source;
        this.clock = clock;
        try {
            this.directory = Files.createTempDirectory("marketo-bulk-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for export files", e);
        }
    }

    /**
     * While held, jobs that reach Processing stop there (as a busy instance's would), so tests can
     * see the two-processing and ten-queued limits; releasing lets them finish.
     */
    synchronized void hold(boolean hold) {
        held = hold;
        notifyAll();
    }

    /** A subscription that bought more than the default 500 MB a day. */
    synchronized void setDailyQuota(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("quota must be positive, got " + bytes);
        }
        dailyBytes = bytes;
    }

    // ---------------------------------------------------------------- endpoints

    synchronized Map<String, Object> create(Kind kind, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new MarketoException("609", "Invalid JSON");
        }
        checkQuota();
        String format = body.path("format").asText("CSV");
        if (!"CSV".equals(format)) {
            throw new MarketoException("1003", "Invalid value specified for attribute 'format': only CSV is supported here");
        }
        JsonNode filter = body.path("filter");
        if (!filter.isObject()) {
            throw new MarketoException("1003", "Invalid value specified for attribute 'filter'");
        }
        List<String> fields = new ArrayList<>();
        Set<Integer> types = new LinkedHashSet<>();
        if (kind == Kind.LEADS) {
            body.path("fields").forEach(f -> fields.add(f.asText()));
            if (fields.isEmpty()) {
                throw MarketoException.missing("fields");
            }
            for (String f : fields) {
                if (LeadField.byName(f).isEmpty()) {
                    throw MarketoException.fieldNotFound(f);
                }
            }
            filter.fieldNames().forEachRemaining(name -> {
                if (!name.equals("createdAt")) {
                    // This subscription has the createdAt filter only, as many real ones do.
                    throw new MarketoException("1035", "Unsupported filter type for target subscription: " + name);
                }
            });
        } else {
            fields.addAll(ACTIVITY_COLUMNS);
            JsonNode ids = filter.path("activityTypeIds");
            if (!ids.isMissingNode()) {
                if (!ids.isArray()) {
                    throw new MarketoException("1003", "Invalid value specified for attribute 'activityTypeIds'");
                }
                ids.forEach(i -> types.add(i.asInt()));
            }
            filter.fieldNames().forEachRemaining(name -> {
                if (!name.equals("createdAt") && !name.equals("activityTypeIds")) {
                    throw new MarketoException("1035", "Unsupported filter type for target subscription: " + name);
                }
            });
        }
        JsonNode range = filter.path("createdAt");
        if (!range.isObject()) {
            throw new MarketoException("1003", "Invalid value specified for attribute 'filter': createdAt is required");
        }
        Instant from = date(range, "startAt");
        Instant to = date(range, "endAt");
        if (!from.isBefore(to)) {
            throw new MarketoException("1003", "Invalid value specified for attribute 'filter': startAt must be before endAt");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new MarketoException("1003", "Invalid value specified for attribute 'filter': the createdAt range must be 31 days"
                    + " or fewer");
        }
        Job job = new Job(kind, List.copyOf(fields), Set.copyOf(types), from, to, clock.instant());
        jobs.put(job.id, job);
        return job.toJson();
    }

    synchronized Map<String, Object> enqueue(Kind kind, String id) {
        Job job = job(kind, id);
        if (!"Created".equals(job.status)) {
            throw new MarketoException("1029", "Export job '" + id + "' already queued");
        }
        checkQuota();
        long waiting = jobs.values().stream().filter(j -> j.status.equals("Queued") || j.status.equals("Processing")).count();
        if (waiting >= MAX_QUEUED) {
            throw new MarketoException("1029", "Too many jobs (" + MAX_QUEUED + ") in queue");
        }
        job.status = "Queued";
        job.queuedAt = clock.instant();
        processors.execute(() -> process(job));
        return job.toJson();
    }

    synchronized Map<String, Object> status(Kind kind, String id) {
        return job(kind, id).toJson();
    }

    synchronized Map<String, Object> cancel(Kind kind, String id) {
        Job job = job(kind, id);
        if (job.status.equals("Created") || job.status.equals("Queued")) {
            job.status = "Cancelled";
        }
        return job.toJson();
    }

    /** Jobs queued or processing now, across leads and activities: those whose status will still change. */
    synchronized long inProgress() {
        return jobs.values().stream().filter(j -> j.status.equals("Queued") || j.status.equals("Processing")).count();
    }

    /** Jobs processing now, across leads and activities. */
    synchronized long processing() {
        return jobs.values().stream().filter(j -> j.status.equals("Processing")).count();
    }

    /** The most jobs that were processing at the same time so far. */
    synchronized int maxProcessingSeen() {
        return maxProcessing;
    }

    private int maxProcessing;

    /** A completed job's file, or the byte range {@code [from, to]} of it. */
    record FilePart(byte[] bytes, long from, long to, long total, boolean partial) {
    }

    FilePart file(Kind kind, String id, String rangeHeader) throws IOException {
        Path path;
        long size;
        synchronized (this) {
            Job job = job(kind, id);
            if (!"Completed".equals(job.status)) {
                throw new MarketoException("1003", "Export job '" + id + "' is not completed (status " + job.status + ")");
            }
            path = job.file;
            size = job.fileSize;
        }
        long from = 0;
        long to = size - 1;
        boolean partial = false;
        if (rangeHeader != null && !rangeHeader.isBlank()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=(\\d*)-(\\d*)").matcher(rangeHeader.trim());
            if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
                return null;
            }
            if (m.group(1).isEmpty()) {
                from = Math.max(0, size - Long.parseLong(m.group(2)));
            } else {
                from = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    to = Math.min(to, Long.parseLong(m.group(2)));
                }
            }
            if (from >= size || from > to) {
                return null;
            }
            partial = true;
        }
        byte[] bytes = new byte[(int) Math.max(0, to - from + 1)];
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            f.seek(from);
            f.readFully(bytes);
        }
        return new FilePart(bytes, from, to, size, partial);
    }

    // ---------------------------------------------------------------- processing

    private void process(Job job) {
        synchronized (this) {
            if (!"Queued".equals(job.status)) {
                return;
            }
            job.status = "Processing";
            job.startedAt = clock.instant();
            maxProcessing = (int) Math.max(maxProcessing, processing());
            while (held) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    job.status = "Failed";
                    job.errorMsg = "export interrupted";
                    return;
                }
            }
        }
        Path file = directory.resolve(job.id + ".csv");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long records;
            try (OutputStream raw = new DigestOutputStream(Files.newOutputStream(file), sha);
                 Writer w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16)) {
                CsvOut out = new CsvOut(w);
                out.row(job.fields);
                records = job.kind == Kind.LEADS ? source.writeLeads(job.from, job.to, job.fields, out)
                        : source.writeActivities(job.from, job.to, job.activityTypes, out);
            }
            long size = Files.size(file);
            synchronized (this) {
                job.file = file;
                job.records = records;
                job.fileSize = size;
                job.checksum = "sha256:" + HexFormat.of().formatHex(sha.digest());
                job.finishedAt = clock.instant();
                job.status = "Completed";
                rollQuotaDay();
                bytesToday += size;
            }
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            synchronized (this) {
                job.status = "Failed";
                job.errorMsg = "export failed: " + e.getMessage();
                job.finishedAt = clock.instant();
            }
        }
    }

    private void checkQuota() {
        rollQuotaDay();
        if (bytesToday >= dailyBytes) {
            throw new MarketoException("1029", "Export daily quota exceeded");
        }
    }

    private void rollQuotaDay() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), QUOTA_ZONE);
        if (!today.equals(quotaDay)) {
            quotaDay = today;
            bytesToday = 0;
        }
    }

    private Job job(Kind kind, String id) {
        Job job = jobs.get(id);
        if (job == null || job.kind != kind) {
            throw new MarketoException("1003", "Export job '" + id + "' not found");
        }
        return job;
    }

    private static Instant date(JsonNode range, String name) {
        String text = range.path(name).asText("");
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MarketoException("1003", "Invalid value specified for attribute '" + name + "': '" + text + "'");
        }
    }

    @Override
    public void close() {
        processors.shutdownNow();
        try (var files = Files.list(directory)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // A file still open on Windows; the temp directory is the OS's to clean then.
        }
    }

    /** RFC 4180 output: fields with a comma, quote, CR or LF are quoted, quotes doubled; CRLF line ends. */
    static final class CsvOut {
        private final Writer w;

        CsvOut(Writer w) {
            this.w = w;
        }

        void row(List<?> values) throws IOException {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    w.write(',');
                }
                Object v = values.get(i);
                if (v != null) {
                    field(v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
                }
            }
            w.write("\r\n");
        }

        private void field(String s) throws IOException {
            boolean quote = false;
            for (int i = 0; i < s.length() && !quote; i++) {
                char c = s.charAt(i);
                quote = c == ',' || c == '"' || c == '\r' || c == '\n';
            }
            if (!quote) {
                w.write(s);
                return;
            }
            w.write('"');
            w.write(s.replace("\"", "\"\""));
            w.write('"');
        }
    }
}
