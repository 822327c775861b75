package dev.handoff.bench;

import dev.handoff.app.HandoffApplication;
import dev.handoff.config.Settings;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.demo.ApiFloor;
import dev.handoff.demo.DemoRun;
import dev.handoff.demo.EmulatedReps;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.ledger.Records;
import dev.handoff.marketo.MarketoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code handoff bench e2e}: the real application against the Salesforce and Marketo emulators in
 * real time, every call delayed by a network latency and every limit enforced, then the naive
 * route ({@link NaiveConnector}) over a sample of the same kind of leads against fresh emulators,
 * one after the other in the same run.
 *
 * <p>Done means: every lead is in the ledger and scored, every MQL is in Salesforce (or matched to
 * a Contact), sales decided on every Lead, every verdict is written back to Marketo, and the
 * actions due at once (disqualified flag, zero-day recycle) are done: nothing is in flight.
 */
public final class E2eBench {

    public record Options(int leads, int naiveLeads, Duration latency, Duration repDelay, Duration dispositionInterval,
            long seed, Path definition, Duration timeout, Path workDir) {
    }

    /** One route's run: wall time from start to done, calls per system, limit refusals. */
    public record Run(int leads, double wallSeconds, Map<String, Long> calls, long violations, boolean complete,
            String problem) {

        double secondsPerLead() {
            return wallSeconds / leads;
        }

        Map<String, Long> callsPer1000() {
            Map<String, Long> out = new LinkedHashMap<>();
            calls.forEach((k, v) -> out.put(k, Math.round(v * 1000.0 / leads)));
            return out;
        }
    }

    public record Report(Options options, Run pipeline, Run naive, Map<String, Long> apiFloor, TimeFloor timeFloor,
            double startupSeconds, Records.Counts counts) {

        public double ratio() {
            return naive.secondsPerLead() / pipeline.secondsPerLead();
        }

        /** Each target of the issue, true when met. */
        public Map<String, Boolean> targets() {
            Map<String, Boolean> t = new LinkedHashMap<>();
            t.put("wall_within_1.25x_time_floor", pipeline.wallSeconds() <= 1.25 * timeFloor.seconds());
            t.put("ratio_at_least_50", ratio() >= 50);
            boolean calls = true;
            for (Map.Entry<String, Long> e : apiFloor.entrySet()) {
                calls &= pipeline.calls().getOrDefault(e.getKey(), 0L) <= 1.2 * e.getValue();
            }
            t.put("calls_within_1.2x_api_floor", calls);
            t.put("zero_rate_limit_violations", pipeline.violations() == 0);
            t.put("complete", pipeline.complete() && naive.complete());
            return t;
        }

        public boolean met() {
            return targets().values().stream().allMatch(Boolean::booleanValue);
        }

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("leads", pipeline.leads());
            m.put("naive_leads", naive.leads());
            m.put("latency_ms", options.latency().toMillis());
            m.put("rep_delay_s", options.repDelay().toMillis() / 1000.0);
            m.put("wall_s", round(pipeline.wallSeconds()));
            m.put("startup_s", round(startupSeconds));
            m.put("class_archive", classArchive());
            m.put("time_floor_s", round(timeFloor.seconds()));
            m.put("time_floor_bound", timeFloor.binding());
            m.put("wall_over_floor", round(pipeline.wallSeconds() / timeFloor.seconds()));
            m.put("naive_wall_s", round(naive.wallSeconds()));
            m.put("seconds_per_lead", pipeline.secondsPerLead());
            m.put("naive_seconds_per_lead", naive.secondsPerLead());
            m.put("ratio", round(ratio()));
            m.put("api_calls", pipeline.calls());
            m.put("api_floor", apiFloor);
            m.put("calls_per_1000_leads", pipeline.callsPer1000());
            m.put("naive_api_calls", naive.calls());
            m.put("naive_calls_per_1000_leads", naive.callsPer1000());
            m.put("rate_limit_violations", pipeline.violations());
            m.put("naive_rate_limit_refusals", naive.violations());
            m.put("handed_off", counts.handedOff());
            m.put("existing_contacts", counts.existingContacts());
            m.put("feedback_written", counts.feedbackWritten() + counts.noticesWritten());
            m.put("complete", pipeline.complete() && naive.complete());
            m.put("targets", targets());
            return m;
        }
    }

    private E2eBench() {
    }

    /**
     * Whether this JVM was started with an application class-data-sharing archive (what
     * {@code ./handoff} does once one exists, see HANDOFF_CDS): start-up depends on it.
     */
    static boolean classArchive() {
        try {
            String file = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("SharedArchiveFile").getValue();
            return file != null && !file.isBlank();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static Report run(Options o) throws Exception {
        Definition definition = DefinitionLoader.load(o.definition());
        Files.createDirectories(o.workDir());
        Clock clock = Clock.systemUTC();
        SalesforceEmulator.Settings sf = EmulatedReps.forDefinition(definition, o.repDelay(), o.repDelay(), o.seed());
        MarketoEmulator.Settings mk = MarketoEmulator.Settings.defaults();

        Run pipeline;
        Map<String, Long> floor;
        TimeFloor timeFloor;
        Records.Counts counts;
        double startup;
        try (Sandbox sandbox = new Sandbox(clock, sf, mk, 0).start().latency(o.latency())) {
            seed(sandbox, o.seed(), o.leads(), clock.instant());
            Map<String, String> props = properties(sandbox, sf, mk, o, clock.instant());
            props.put("handoff.ledger.url", "jdbc:h2:file:" + o.workDir().resolve("ledger-e2e").toAbsolutePath());
            props.put("handoff.intake.interval", "10m");
            props.put("handoff.disposition.interval", o.dispositionInterval().toString());
            // one write per full batch of 300 verdicts, and one flush once sales decided on every Lead
            props.put("handoff.feedback.max-wait", "10m");
            props.put("handoff.outcome.interval", "1h");
            props.put("handoff.recycle.interval", "1h");
            long started = System.nanoTime();
            try (HandoffApplication app = HandoffApplication.start(new Settings(props), clock)) {
                startup = (System.nanoTime() - started) / 1e9;
                String problem = awaitDone(app, sandbox, o.leads(), started + o.timeout().toNanos());
                double wall = (System.nanoTime() - started) / 1e9;
                counts = app.ledger().counts();
                long activities = app.ledger().activityCount();
                ApiFloor.MapParts parts = ApiFloor.map(app, counts, activities, false);
                floor = ApiFloor.of(app, counts, activities, false);
                timeFloor = TimeFloor.of(parts.total(), parts.activityPages(), o.latency(), o.repDelay(), mk.rateLimitCalls(),
                        mk.rateWindow(), mk.maxConcurrent());
                if (problem == null && !sandbox.unmatchedRequests().isEmpty()) {
                    problem = "the connector made requests no emulator knows";
                }
                pipeline = new Run(o.leads(), wall, calls(sandbox), sandbox.marketo().rateLimitViolations()
                        + sandbox.salesforce().limitViolations(), problem == null, problem);
            }
        }

        Run naive;
        try (Sandbox sandbox = new Sandbox(clock, sf, mk, 0).start().latency(o.latency())) {
            seed(sandbox, o.seed(), o.naiveLeads(), clock.instant());
            Map<String, String> props = properties(sandbox, sf, mk, o, clock.instant());
            List<Integer> ids = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> leads = (List<Map<String, Object>>) sandbox.marketo().state().get("leads");
            leads.forEach(l -> ids.add((Integer) l.get("id")));
            NaiveConnector connector = new NaiveConnector(MarketoConfig.from(new Settings(props)), definition,
                    sandbox.baseUrl(), sf.clientId(), sf.clientSecret(), List.of(sf.acceptedStatus()),
                    List.of(sf.rejectedStatus()), clock, mk.rateWindow());
            String problem = null;
            NaiveConnector.Result r = null;
            try {
                r = connector.run(ids, o.timeout());
            } catch (IllegalStateException e) {
                problem = e.getMessage();
            }
            naive = new Run(o.naiveLeads(), r == null ? o.timeout().toNanos() / 1e9 : r.wall().toNanos() / 1e9, calls(sandbox),
                    sandbox.marketo().rateLimitViolations() + sandbox.salesforce().limitViolations(), problem == null, problem);
        }
        return new Report(o, pipeline, naive, floor, timeFloor, startup, counts);
    }

    /** Null when done, otherwise what was still missing at the deadline. */
    private static String awaitDone(HandoffApplication app, Sandbox sandbox, int leads, long deadline) {
        long nextSlowCheck = System.nanoTime();
        while (true) {
            // cheapest first: the bench shares the machine with the pipeline it measures. The ledger
            // is asked every 50 ms only while Salesforce has Leads and no decision pending (the pauses
            // between handoff rounds, and the end), otherwise once a second: polling it throughout the
            // 35 s of intake (when progress() was still a scan of every lead) took more CPU than
            // recording the feed.
            boolean slowCheckDue = System.nanoTime() - nextSlowCheck >= 0;
            if (sandbox.salesforce().pendingDecisions() == 0 && (sandbox.salesforce().leadCount() > 0 || slowCheckDue)) {
                if (slowCheckDue) {
                    nextSlowCheck = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
                Records.Progress p = app.ledger().progress();
                if (p.leads() >= leads && p.inFlight() == 0 && app.ledger().recycleDue("", 1).isEmpty()
                        && app.ledger().disqualifyDue("", 1).isEmpty()) {
                    return null;
                }
            }
            if (System.nanoTime() > deadline) {
                Records.Counts c = app.ledger().counts();
                return "not done within the time limit: " + c.leads() + " leads, in flight " + c.byState();
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static Map<String, Long> calls(Sandbox sandbox) {
        Map<String, Long> calls = new LinkedHashMap<>();
        calls.put("marketo", sandbox.marketo().apiCalls());
        calls.put("salesforce", sandbox.salesforce().apiCalls());
        return calls;
    }

    /** The demo's leads, with the demo's share of emails already known to sales as Contacts. */
    private static void seed(Sandbox sandbox, long seed, int count, Instant now) {
        List<DemoLeadGenerator.SeedLead> seeded = DemoLeadGenerator.generate(seed, count, 0, now);
        sandbox.marketo().seed(seeded);
        sandbox.marketo().addList(DemoRun.NURTURE_LIST, "Handoff nurture");
        for (int i = 17; i < seeded.size(); i += 40) {
            Map<String, Object> f = seeded.get(i).fields();
            if (f.get("email") instanceof String email) {
                sandbox.salesforce().addContact(email, String.valueOf(f.get("firstName")), String.valueOf(f.get("lastName")));
            }
        }
    }

    private static Map<String, String> properties(Sandbox sandbox, SalesforceEmulator.Settings sf, MarketoEmulator.Settings mk,
            Options o, Instant now) {
        Map<String, String> props = new HashMap<>(sandbox.connectorProperties(sf, mk));
        props.put("handoff.definition", o.definition().toString());
        props.put("handoff.marketo.intake-since", now.minus(Duration.ofDays(365)).toString());
        props.put("handoff.marketo.recycle.list-id", String.valueOf(DemoRun.NURTURE_LIST));
        props.put("handoff.poll.tick", "20ms");
        props.put("handoff.retry.initial-delay", "100ms");
        return props;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
