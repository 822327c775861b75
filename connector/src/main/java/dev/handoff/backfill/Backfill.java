package dev.handoff.backfill;

import dev.handoff.definition.Definition;
import dev.handoff.engine.Activity;
import dev.handoff.engine.Lead;
import dev.handoff.engine.Qualification;
import dev.handoff.engine.QualificationEngine;
import dev.handoff.flow.SalesforceLeadWriter;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.Records;
import dev.handoff.map.LeadValidator;
import dev.handoff.map.MapValues;
import dev.handoff.marketo.BulkCsvReader;
import dev.handoff.marketo.MarketoBulkExtract;
import dev.handoff.marketo.MarketoClient;
import dev.handoff.marketo.MarketoConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backfill from Marketo's bulk extracts: every lead created in [since, until) is scored with the
 * shared definition, recorded in the ledger, and MQLs are handed to Salesforce in 200-record
 * upserts, exactly as the live flow would.
 *
 * <p>Memory stays bounded however many leads there are. Activities are needed per lead, but an
 * activity export is ordered by date, not by lead, so they are exported first (window by window)
 * and stored in the ledger's {@code activity} table, on disk; scoring then reads each batch's
 * activities back with one indexed query. Leads are streamed from their export file in byte
 * ranges, parsed row by row, and pass through a bounded queue of batches between the download
 * thread and the scoring/ledger/Salesforce thread, so a slow ledger or Salesforce holds the
 * download back instead of letting rows pile up.
 *
 * <p>Resumable: each export window records the instant it is complete to in the ledger
 * ({@code backfill.activities.<start>}, {@code backfill.leads.<start>}); a run that was stopped
 * skips completed windows and redoes the one it was in, where leads already in the ledger keep
 * their state and activities already stored are not stored twice.
 */
public final class Backfill {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
    private static final int EXPLANATION_CHARS = 1000;
    private static final Set<String> NUMERIC = Set.of("annual_revenue", "employees");

    /** What is being read. */
    public enum Phase { ACTIVITIES, LEADS }

    /** Told after every batch: rows done in this phase, and the expected total (-1 while unknown). */
    @FunctionalInterface
    public interface Progress {
        void update(Phase phase, long done, long expected);
    }

    /** What a run did. */
    public record Result(long leads, long activities, long newInLedger, long mqls, long notQualified, long quarantined,
            long handedOff, long rowsWithoutId, long windowsSkipped, Duration elapsed) {
        public double leadsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : leads / s;
        }
    }

    /** One export window [from, to). */
    public record Window(Instant from, Instant to) {
    }

    private final MarketoBulkExtract bulk;
    private final MarketoConfig marketo;
    private final Ledger ledger;
    private final QualificationEngine engine;
    private final SalesforceLeadWriter writer;
    private final int handoffBatch;
    private final BackfillConfig config;
    private final Clock clock;
    private final Progress progress;
    private final LeadValidator validator = new LeadValidator();
    private final Definition definition;
    private final List<Integer> scoredTypeIds;
    /** A lead's campaign as recorded: the acquisition program's name and id, as the sidecar records it. */
    private final java.util.function.UnaryOperator<String> campaignLabel;

    private long leads;
    private long activities;
    private long newInLedger;
    private long mqls;
    private long notQualified;
    private long quarantined;
    private final java.util.concurrent.atomic.AtomicLong handedOff = new java.util.concurrent.atomic.AtomicLong();
    private long skipped;
    private long rowsWithoutId;
    private final Object handoffSignal = new Object();
    private long mqlsSinceHandoff;
    private boolean scoringDone;
    private volatile RuntimeException handoffFailure;

    /**
     * @param handoffBatch  MQLs to gather before a handoff round (the dedupe batch: one lookup, then
     *                      full 200-record upserts)
     * @param campaignLabel what a lead's campaign value is recorded as
     *                      ({@link dev.handoff.marketo.ProgramNames#campaignLabels})
     */
    public Backfill(MarketoBulkExtract bulk, MarketoConfig marketo, Ledger ledger, Definition definition,
            SalesforceLeadWriter writer, int handoffBatch, BackfillConfig config, Clock clock, Progress progress,
            java.util.function.UnaryOperator<String> campaignLabel) {
        this.bulk = bulk;
        this.marketo = marketo;
        this.ledger = ledger;
        this.engine = new QualificationEngine(definition);
        this.definition = definition;
        // Only activity types the definition scores are exported and stored: the others cannot
        // change a decision, and leaving them out keeps the export (and Marketo's daily export
        // allowance) and the ledger smaller.
        this.scoredTypeIds = marketo.activityRules().stream()
                .filter(r -> definition.engagement().rule(r.definitionType()).isPresent())
                .map(MarketoConfig.ActivityRule::typeId).distinct().toList();
        this.writer = writer;
        this.handoffBatch = handoffBatch;
        this.config = config;
        this.clock = clock;
        this.progress = progress;
        this.campaignLabel = campaignLabel;
    }

    /** Consecutive windows of at most {@code max} covering [from, to). */
    public static List<Window> windows(Instant from, Instant to, Duration max) {
        List<Window> out = new ArrayList<>();
        for (Instant start = from; start.isBefore(to); ) {
            Instant end = start.plus(max).isAfter(to) ? to : start.plus(max);
            out.add(new Window(start, end));
            start = end;
        }
        return out;
    }

    public Result run() throws InterruptedException {
        long started = System.nanoTime();
        Instant now = clock.instant();
        // Leads created until 'until' keep acting afterwards: their activities are read up to now.
        List<Task> tasks = new ArrayList<>();
        if (!scoredTypeIds.isEmpty()) {
            tasks.addAll(tasks(Phase.ACTIVITIES, windows(config.since(), now, config.window())));
        }
        tasks.addAll(tasks(Phase.LEADS, windows(config.since(), config.until(), config.window())));
        Estimate activityRows = new Estimate(tasks.stream().filter(t -> t.phase() == Phase.ACTIVITIES).count());
        Estimate leadRows = new Estimate(tasks.stream().filter(t -> t.phase() == Phase.LEADS).count());
        // One job ahead: Marketo (two at a time) prepares the next file while this one is read.
        MarketoBulkExtract.Job next = tasks.isEmpty() ? null : submit(tasks.get(0));
        Thread handoff = new Thread(this::handOffLoop, "backfill-handoff");
        handoff.setDaemon(true);
        handoff.start();
        try {
            readAll(tasks, next, activityRows, leadRows);
        } finally {
            synchronized (handoffSignal) {
                scoringDone = true;
                handoffSignal.notifyAll();
            }
            handoff.join();
        }
        checkHandoff();
        // Whatever the last round left (and MQLs an interrupted earlier run left) goes now.
        handedOff.addAndGet(writer.handOff());
        LOG.info("backfill: {} leads ({} new to the ledger), {} MQL, {} not qualified, {} quarantined, {} handed off",
                leads, newInLedger, mqls, notQualified, quarantined, handedOff.get());
        return new Result(leads, activities, newInLedger, mqls, notQualified, quarantined, handedOff.get(), rowsWithoutId, skipped,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private void readAll(List<Task> tasks, MarketoBulkExtract.Job first, Estimate activityRows, Estimate leadRows)
            throws InterruptedException {
        MarketoBulkExtract.Job next = first;
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            MarketoBulkExtract.Job current = next;
            next = i + 1 < tasks.size() ? submit(tasks.get(i + 1)) : null;
            MarketoBulkExtract.Job job = bulk.await(current);
            LOG.info("backfill: Marketo {} export {} for {} to {} completed: {} records, {} bytes", job.kind(), job.exportId(),
                    task.from(), task.to(), job.numberOfRecords(), job.fileSize());
            if (task.phase() == Phase.ACTIVITIES) {
                activityRows.known(job.numberOfRecords());
                readActivities(job, activityRows);
            } else {
                leadRows.known(job.numberOfRecords());
                // The window counts as done once its leads are in the ledger: MQLs there are handed
                // off by the handoff thread, or by the next run (or the sidecar) if this one stops.
                streamLeads(job, leadRows);
            }
            ledger.putWatermark(task.mark(), task.to().toString());
        }
    }

    /** One export to read: a window of one phase, from where an earlier run left it. */
    private record Task(Phase phase, String mark, Instant from, Instant to) {
    }

    private List<Task> tasks(Phase phase, List<Window> windows) {
        List<Task> out = new ArrayList<>();
        for (Window w : windows) {
            String mark = "backfill." + (phase == Phase.ACTIVITIES ? "activities." : "leads.") + w.from();
            Instant from = covered(mark, w);
            if (from == null) {
                skipped++;
            } else {
                out.add(new Task(phase, mark, from, w.to()));
            }
        }
        return out;
    }

    private MarketoBulkExtract.Job submit(Task task) throws InterruptedException {
        MarketoBulkExtract.Job job = task.phase() == Phase.ACTIVITIES
                ? bulk.createActivityExport(scoredTypeIds, task.from(), task.to())
                : bulk.createLeadExport(leadFields(), task.from(), task.to());
        bulk.enqueue(job);
        return job;
    }

    private List<String> leadFields() {
        List<String> fields = new ArrayList<>();
        fields.add("id");
        marketo.fieldMap().values().stream().filter(f -> !f.equals("id")).forEach(fields::add);
        return fields;
    }

    // ---- activities ------------------------------------------------------------------------

    private void readActivities(MarketoBulkExtract.Job job, Estimate estimate) {
        List<Activity> batch = new ArrayList<>(config.batchSize() * 4);
        try (BulkCsvReader rows = new BulkCsvReader(bulk.open(job))) {
            while (rows.hasNext()) {
                toActivity(rows.next()).ifPresent(batch::add);
                estimate.done++;
                if (batch.size() >= config.batchSize() * 4) {
                    storeActivities(batch, estimate);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        storeActivities(batch, estimate);
    }

    private void storeActivities(List<Activity> batch, Estimate estimate) {
        if (!batch.isEmpty()) {
            ledger.recordBackfillActivities(batch);
            activities += batch.size();
            batch.clear();
        }
        progress.update(Phase.ACTIVITIES, estimate.done, estimate.expected());
    }

    /** Same mapping and ids as the live activity poller, so the two never store one activity twice. */
    private Optional<Activity> toActivity(Map<String, String> row) {
        String leadId = row.getOrDefault("leadId", "");
        String guid = row.getOrDefault("marketoGUID", "");
        int type;
        try {
            type = Integer.parseInt(row.getOrDefault("activityTypeId", ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String primary = row.get("primaryAttributeValue");
        Optional<String> definitionType = marketo.definitionType(type, primary == null || primary.isEmpty() ? null : primary);
        if (definitionType.isEmpty() || leadId.isEmpty() || guid.isEmpty()
                || definition.engagement().rule(definitionType.get()).isEmpty()) {
            return Optional.empty();
        }
        try {
            Instant at = OffsetDateTime.parse(row.getOrDefault("activityDate", "")).toInstant();
            return Optional.of(new Activity("mkto-" + guid, leadId, definitionType.get(), at));
        } catch (DateTimeParseException e) {
            LOG.warn("backfill: skipped Marketo activity {} with unreadable activityDate", guid);
            return Optional.empty();
        }
    }

    // ---- leads -----------------------------------------------------------------------------

    /** A lead as read from the export: its id and normalized fields. */
    private record Row(String id, Map<String, String> fields) {
    }

    private record Batch(List<Row> rows, long done) {
    }

    private static final Batch END = new Batch(List.of(), -1);

    private void streamLeads(MarketoBulkExtract.Job job, Estimate estimate) throws InterruptedException {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(config.queueBatches());
        long base = estimate.done;
        Thread reader = new Thread(() -> read(job, queue, base), "backfill-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            while (true) {
                Object item = queue.take();
                if (item == END) {
                    break;
                }
                if (item instanceof Throwable t) {
                    throw t instanceof RuntimeException re ? re : new UncheckedIOException(new IOException(t.getMessage(), t));
                }
                Batch batch = (Batch) item;
                process(batch.rows());
                estimate.done = batch.done();
                progress.update(Phase.LEADS, estimate.done, estimate.expected());
            }
        } finally {
            reader.interrupt();
            reader.join(10_000);
        }
    }

    /** The download thread: parses rows into batches; blocks while the queue is full (back-pressure). */
    private void read(MarketoBulkExtract.Job job, BlockingQueue<Object> queue, long base) {
        try {
            try (BulkCsvReader rows = new BulkCsvReader(bulk.open(job))) {
                List<Row> batch = new ArrayList<>(config.batchSize());
                while (rows.hasNext()) {
                    Map<String, String> raw = rows.next();
                    batch.add(new Row(raw.getOrDefault("id", "").strip(), normalize(raw)));
                    if (batch.size() == config.batchSize()) {
                        queue.put(new Batch(batch, base + rows.rowsRead()));
                        batch = new ArrayList<>(config.batchSize());
                    }
                }
                if (!batch.isEmpty()) {
                    queue.put(new Batch(batch, base + rows.rowsRead()));
                }
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            try {
                queue.put(e);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Map<String, String> normalize(Map<String, String> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        marketo.fieldMap().forEach((normalized, marketoName) -> {
            String v = raw.get(marketoName);
            if (v == null || v.isBlank()) {
                return;
            }
            String text = v.strip();
            if (NUMERIC.contains(normalized)) {
                try {
                    text = MapValues.plainNumber(new BigDecimal(text));
                } catch (NumberFormatException e) {
                    // Kept as it is: the definition reports a value it cannot read as a number.
                }
            }
            out.put(normalized, text);
        });
        out.computeIfPresent("campaign", (k, v) -> campaignLabel.apply(v));
        return out;
    }

    private void process(List<Row> rows) {
        List<String> ids = new ArrayList<>(rows.size());
        for (Row r : rows) {
            if (!r.id().isEmpty()) {
                ids.add(r.id());
            }
        }
        Map<String, List<Activity>> acts = ledger.activitiesOf(ids);
        Instant now = clock.instant();
        List<Records.Qualified> results = new ArrayList<>(rows.size());
        List<Records.Quarantine> refused = new ArrayList<>();
        for (Row r : rows) {
            leads++;
            if (r.id().isEmpty()) {
                rowsWithoutId++;
                LOG.warn("backfill: skipped an export row without a lead id");
                continue;
            }
            Optional<LeadValidator.Problem> problem = validator.check(r.fields());
            if (problem.isPresent()) {
                refused.add(new Records.Quarantine(r.id(), r.fields().get("email"), MarketoClient.SYSTEM, problem.get().code(),
                        problem.get().message(), "INTAKE"));
                continue;
            }
            Qualification q = engine.evaluate(new Lead(r.id(), r.fields()), acts.getOrDefault(r.id(), List.of()), now);
            results.add(new Records.Qualified(r.id(), r.fields().get("email"), r.fields(), q.fitScore(), q.engagementScore(),
                    q.grade(), q.mql(), q.disqualification().map(d -> d.criterionId() + ":" + d.reason()).orElse(null),
                    q.explanation().shortText(EXPLANATION_CHARS), q.definitionLabel()));
        }
        newInLedger += ledger.recordBackfill(results, refused, now);
        long batchMqls = results.stream().filter(Records.Qualified::mql).count();
        mqls += batchMqls;
        notQualified += results.size() - batchMqls;
        quarantined += refused.size();
        checkHandoff();
        synchronized (handoffSignal) {
            mqlsSinceHandoff += batchMqls;
            if (mqlsSinceHandoff >= handoffBatch) {
                handoffSignal.notifyAll();
            }
        }
    }

    /**
     * The handoff thread: whenever a dedupe batch of MQLs has been scored, hands the ledger's MQLs
     * to Salesforce (one lookup, full 200-record upserts) while scoring goes on. Salesforce's
     * latency thus overlaps the download and the ledger writes instead of adding to them.
     */
    private void handOffLoop() {
        try {
            while (true) {
                synchronized (handoffSignal) {
                    while (mqlsSinceHandoff < handoffBatch && !scoringDone) {
                        handoffSignal.wait();
                    }
                    if (scoringDone) {
                        return;
                    }
                    mqlsSinceHandoff = 0;
                }
                handedOff.addAndGet(writer.handOff());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            handoffFailure = e;
        }
    }

    private void checkHandoff() {
        RuntimeException failure = handoffFailure;
        if (failure != null) {
            throw failure;
        }
    }

    // ---- windows and jobs ------------------------------------------------------------------

    /** Where this window still has to be read from, or null when an earlier run completed it. */
    private Instant covered(String mark, Window w) {
        Optional<String> stored = ledger.watermark(mark);
        if (stored.isEmpty()) {
            return w.from();
        }
        Instant done = Instant.parse(stored.get());
        return done.isBefore(w.to()) ? (done.isAfter(w.from()) ? done : w.from()) : null;
    }

    /** Rows done and the expected total, extrapolated from the windows whose size is known. */
    private static final class Estimate {
        private final long windows;
        private long knownWindows;
        private long knownRows;
        long done;

        Estimate(long windows) {
            this.windows = windows;
        }

        void known(long rows) {
            knownWindows++;
            knownRows += rows;
        }

        long expected() {
            if (knownWindows == 0) {
                return -1;
            }
            return knownRows + knownRows * (windows - knownWindows) / knownWindows;
        }
    }
}
