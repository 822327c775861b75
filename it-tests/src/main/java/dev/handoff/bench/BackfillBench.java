package dev.handoff.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code handoff bench backfill}: the Salesforce and Marketo emulators run in this JVM, with
 * Marketo's published limits, and Marketo holds a generated history of N leads (created evenly
 * over the last 90 days, generated on the fly by the bulk extract, never held in memory). The
 * backfill itself runs as {@code handoff backfill} in a child JVM with {@code -Xmx256m}, so its
 * heap is measured alone; it reports heap after GC (the highest seen, and forced samples at 25,
 * 50, 75 and 100% of the leads), leads/s and its API calls, which this suite checks against the
 * emulators' own counts.
 */
final class BackfillBench {

    static final String HEAP = "256m";
    static final Duration HISTORY = Duration.ofDays(90);
    /** Marketo sells export allowance beyond the default 500 MB; a million leads with activities need about 1 GB. */
    static final long EXPORT_ALLOWANCE = 4L * 1024 * 1024 * 1024;

    record Outcome(Map<String, Object> figures, boolean passed, String problem) {
    }

    private BackfillBench() {
    }

    static Outcome run(int leads, long seed, Path home, PrintWriter err) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("handoff-bench-backfill-");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant from = now.minus(HISTORY);
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults();
        MarketoEmulator.Settings mk = MarketoEmulator.Settings.defaults();
        try (Sandbox sandbox = new Sandbox(Clock.systemUTC(), sf, mk, 0).start()) {
            sandbox.marketo().generateHistory(seed, leads, from, now);
            sandbox.marketo().setBulkExportDailyQuota(EXPORT_ALLOWANCE);
            Properties props = new Properties();
            props.putAll(sandbox.connectorProperties(sf, mk));
            props.put("handoff.definition", home.resolve("config/qualification.yaml").toAbsolutePath().toString());
            props.put("handoff.ledger.url", "jdbc:h2:file:" + work.resolve("ledger").toAbsolutePath());
            props.put("handoff.backfill.since", from.toString());
            props.put("handoff.backfill.until", now.toString());
            props.put("handoff.backfill.poll-interval", "200ms");
            Path config = work.resolve("application.properties");
            try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                props.store(w, "handoff bench backfill");
            }
            err.printf(Locale.ROOT, "bench backfill: %,d leads in the Marketo emulator, backfill in a child JVM with -Xmx%s%n",
                    leads, HEAP);
            err.flush();
            long started = System.nanoTime();
            Child child = runChild(config, err);
            double wall = (System.nanoTime() - started) / 1e9;
            if (child.exit() != 0 || child.json() == null) {
                return new Outcome(Map.of("leads", 0), false, "handoff backfill exited " + child.exit()
                        + (child.json() == null ? " without a JSON line" : ""));
            }
            JsonNode r = child.json();
            long crmLeads = sandbox.salesforce().leads().size();
            long handedOff = r.path("handed_off").asLong();
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("leads", r.path("leads").asLong());
            f.put("leads_per_second", r.path("leads_per_second").asLong());
            f.put("max_heap_after_gc_mb", r.path("max_heap_after_gc_mb").asDouble());
            f.put("heap_after_gc_mb", new ObjectMapper().convertValue(r.path("heap_after_gc_mb"), Map.class));
            f.put("xmx_mb", r.path("max_heap_mb").asDouble());
            f.put("seconds", r.path("seconds").asDouble());
            f.put("wall_seconds_with_jvm_start", Math.round(wall * 10) / 10.0);
            f.put("activities", r.path("activities").asLong());
            f.put("mqls", r.path("mqls").asLong());
            f.put("handed_off", handedOff);
            f.put("quarantined", r.path("quarantined").asLong());
            f.put("crm_leads", crmLeads);
            Map<String, Object> calls = new LinkedHashMap<>();
            calls.put("marketo", sandbox.marketo().apiCalls() + sandbox.marketo().authCalls());
            calls.put("salesforce", sandbox.salesforce().apiCalls());
            f.put("api_calls", calls);
            f.put("rate_limit_violations", sandbox.marketo().rateLimitViolations() + sandbox.salesforce().limitViolations());
            f.put("max_concurrent_exports", sandbox.marketo().maxConcurrentExportsSeen());
            f.put("load_average", Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0);
            f.put("cpus", Runtime.getRuntime().availableProcessors());
            List<String> problems = new ArrayList<>();
            if (r.path("leads").asLong() != leads) {
                problems.add("read " + r.path("leads").asLong() + " of " + leads + " leads");
            }
            if (crmLeads != handedOff) {
                problems.add("Salesforce holds " + crmLeads + " Leads for " + handedOff + " handed off");
            }
            if ((long) f.get("rate_limit_violations") > 0) {
                problems.add(f.get("rate_limit_violations") + " rate limit violations");
            }
            return new Outcome(f, problems.isEmpty(), String.join("; ", problems));
        } finally {
            deleteTree(work);
        }
    }

    private record Child(int exit, JsonNode json) {
    }

    /** {@code handoff backfill --json} in a JVM of its own; its stderr (the progress line) passes through. */
    private static Child runChild(Path config, PrintWriter err) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + HEAP);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.handoff.cli.HandoffCli");
        command.addAll(List.of("backfill", "--config", config.toString(), "--json"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // If this JVM is stopped, the backfill must not run on alone against emulators that are gone.
        Thread reaper = new Thread(p::destroyForcibly, "bench-backfill-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (!line.isBlank()) {
                    last = line;
                }
            }
        }
        if (!p.waitFor(2, TimeUnit.HOURS)) {
            p.destroyForcibly();
            return new Child(-1, null);
        }
        Runtime.getRuntime().removeShutdownHook(reaper);
        JsonNode json = null;
        if (last != null && last.startsWith("{")) {
            json = new ObjectMapper().readTree(last);
        } else if (last != null) {
            err.println("bench backfill: last line of the child was: " + last);
        }
        return new Child(p.exitValue(), json);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
