package dev.handoff.demo;

import dev.handoff.app.HandoffApplication;
import dev.handoff.config.Settings;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.emulator.FaultPlan;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.hubspot.HubSpotEmulator;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.hubspot.HubSpotClient;
import dev.handoff.hubspot.HubSpotConfig;
import dev.handoff.hubspot.HubSpotSetup;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.ledger.Records;
import dev.handoff.transport.SystemCircuit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

/**
 * One demo: the real application against both emulators on loopback, on a virtual clock. The
 * clock moves one poll interval at a time, and only once both flows have finished a cycle at the
 * current time, so a day of sales work passes in seconds and the counts depend on the seed alone.
 */
public final class DemoRun {

    /** The fixed start of simulated time: same seed, same leads, same timestamps, same counts. */
    public static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
    public static final int NURTURE_LIST = 1042;

    /**
     * @param faultKinds only these fault kinds are injected (names as in {@link Sandbox#faultKinds()}); empty for all
     * @param faultBurst the first this many calls to each emulator that can suffer one of those kinds all fault
     * @param slowRep how much later than the others one emulated rep in five decides; zero for none
     */
    public record Options(int leads, long seed, int badInput, Path definition, Duration step, int maxSteps,
            Duration cycleTimeout, Path workDir, double faults, String map, List<String> faultKinds, int faultBurst,
            Duration slowRep) {

        public Options {
            faultKinds = List.copyOf(faultKinds);
            Set<String> unknown = new TreeSet<>(faultKinds);
            unknown.removeAll(Sandbox.faultKinds());
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("unknown fault kinds " + unknown + "; known: " + Sandbox.faultKinds());
            }
            if (faultBurst < 0) {
                throw new IllegalArgumentException("fault burst must not be negative: " + faultBurst);
            }
        }

        /** Every fault kind, no burst, the default slow rep (whose leads pass a 24 h SLA). */
        public Options(int leads, long seed, int badInput, Path definition, Duration step, int maxSteps,
                Duration cycleTimeout, Path workDir, double faults, String map) {
            this(leads, seed, badInput, definition, step, maxSteps, cycleTimeout, workDir, faults, map, List.of(), 0,
                    EmulatedReps.SLOW_REP_EXTRA);
        }

        boolean hubspot() {
            return "hubspot".equals(map);
        }

        boolean injectsFaults() {
            return faults > 0 || faultBurst > 0;
        }
    }

    /**
     * The connector's call timeout while faults are injected: an injected {@code TIMEOUT} holds its
     * answer back for {@link #FAULT_TIMEOUT_DELAY}, so the client gives up after this instead of
     * after the production default of a minute or two.
     */
    public static final Duration FAULT_CLIENT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration FAULT_TIMEOUT_DELAY = Duration.ofSeconds(3);

    public record Report(boolean complete, int steps, Records.Counts counts, long crmDuplicates, long rateLimitViolations,
            long faultsInjected, Map<String, Long> apiCalls, Map<String, Long> authCalls, Map<String, Long> apiFloor,
            dev.handoff.salesforce.SalesforceApiBudget.Usage salesforceUsage,
            Map<String, Object> callsByEndpoint, long activities,
            Duration simulated, Duration wall, Path ledger, String problem,
            Map<String, Map<String, Long>> faultsByKind, Map<String, SystemCircuit.Status> circuitBreakers,
            long slaBreaches, Path report) {

        public boolean success() {
            return complete && crmDuplicates == 0 && problem == null;
        }
    }

    private DemoRun() {
    }

    public static Report execute(Options o) throws IOException {
        long started = System.nanoTime();
        Definition definition = DefinitionLoader.load(o.definition());
        VirtualClock world = new VirtualClock(START);
        SalesforceEmulator.Settings defaults = SalesforceEmulator.Settings.defaults();
        SalesforceEmulator.Settings sf = EmulatedReps.forDefinition(definition, defaults.repDelayMin(), defaults.repDelayMax(),
                o.seed());
        MarketoEmulator.Settings mk = MarketoEmulator.Settings.defaults();
        HubSpotEmulator.Settings hs = HubSpotEmulator.Settings.defaults();
        Files.createDirectories(o.workDir());
        Path ledger = o.workDir().resolve("ledger");
        try (Sandbox sandbox = (o.hubspot() ? Sandbox.withHubSpot(world, sf, hs, 0) : new Sandbox(world, sf, mk, 0)).start()) {
            List<DemoLeadGenerator.SeedLead> seeded = DemoLeadGenerator.generate(o.seed(), o.leads(), o.badInput(), world.instant());
            if (o.hubspot()) {
                sandbox.hubspot().seed(seeded);
            } else {
                sandbox.marketo().seed(seeded);
                // Marketing's nurture list, where leads sales rejected for a recycle reason go after its delay.
                sandbox.marketo().addList(NURTURE_LIST, "Handoff nurture");
            }
            // One rep works through leads much later than the rest, so some wait past the SLA.
            if (o.slowRep().compareTo(Duration.ZERO) > 0) {
                EmulatedReps.slowDown(sandbox.salesforce(), o.slowRep());
            }
            // Sales already knows some of these people: their emails belong to Contacts, so dedupe has work.
            for (int i = 17; i < seeded.size(); i += 40) {
                Map<String, Object> f = seeded.get(i).fields();
                if (f.get("email") instanceof String email) {
                    sandbox.salesforce().addContact(email, String.valueOf(f.get("firstName")), String.valueOf(f.get("lastName")));
                }
            }
            Map<String, String> props = new HashMap<>(o.hubspot() ? sandbox.connectorProperties(sf, hs)
                    : sandbox.connectorProperties(sf, mk));
            if (o.injectsFaults()) {
                for (String system : List.of("salesforce", "marketo", "hubspot")) {
                    props.put("handoff." + system + ".timeout", FAULT_CLIENT_TIMEOUT.toMillis() + "ms");
                }
                // Backoff compressed like the redelivery delay below: the clock, not the wall, is simulated.
                props.put("handoff.salesforce.call-retry-delay", "100ms");
            }
            if (o.hubspot()) {
                props.put("handoff.map", "hubspot");
                props.put("handoff.hubspot.intake-since", START.minus(Duration.ofDays(365)).toString());
                // the emulator's search index has no lag to wait out
                props.put("handoff.hubspot.index-lag", "0s");
                setUpHubSpot(props, world);
            }
            // One-time setup (HubSpot's feedback properties) is the admin's, not the running connector's.
            long setupCalls = o.hubspot() ? sandbox.hubspot().apiCalls() : 0;
            if (o.injectsFaults()) {
                // Only once the admin's setup is done: the faults are for the running connector.
                FaultPlan plan = new FaultPlan(o.faults(), o.seed()).withBurst(o.faultBurst())
                        .withTimeoutDelay(FAULT_TIMEOUT_DELAY);
                sandbox.injectFaults(o.faultKinds().isEmpty() ? plan : plan.onlyKinds(o.faultKinds()));
            }
            props.put("handoff.definition", o.definition().toString());
            props.put("handoff.ledger.url", "jdbc:h2:file:" + ledger.toAbsolutePath());
            props.put("handoff.marketo.intake-since", START.minus(Duration.ofDays(365)).toString());
            props.put("handoff.intake.interval", o.step().toString());
            props.put("handoff.disposition.interval", o.step().toString());
            props.put("handoff.outcome.interval", o.step().toString());
            props.put("handoff.recycle.interval", o.step().toString());
            props.put("handoff.sla.interval", o.step().toString());
            if (!o.hubspot()) {
                props.put("handoff.marketo.recycle.list-id", String.valueOf(NURTURE_LIST));
            }
            props.put("handoff.poll.tick", "20ms");
            props.put("handoff.http.port", "0");
            props.put("handoff.retry.initial-delay", "100ms");

            int steps = 0;
            boolean complete = false;
            String problem = null;
            Records.Counts counts;
            dev.handoff.salesforce.SalesforceApiBudget.Usage usage;
            try (HandoffApplication app = HandoffApplication.start(new Settings(props), world)) {
                while (true) {
                    Instant now = world.instant();
                    if (!awaitCycles(app, now, o.cycleTimeout())) {
                        problem = "the flows did not finish a cycle within " + o.cycleTimeout().toSeconds() + " s";
                        break;
                    }
                    counts = app.ledger().counts();
                    if (counts.inFlight() == 0 && sandbox.salesforce().pendingDecisions() == 0
                            && counts.leads() >= seeded.size()) {
                        complete = true;
                        break;
                    }
                    if (++steps > o.maxSteps()) {
                        problem = "leads still in flight after " + o.maxSteps() + " simulated steps: " + counts.byState();
                        break;
                    }
                    world.advance(o.step());
                }
                counts = app.ledger().counts();
                long activities = app.ledger().activityCount();
                long duplicates = duplicates(sandbox.salesforce().leads());
                if (counts.leads() != seeded.size() && problem == null) {
                    problem = "the ledger knows " + counts.leads() + " leads but Marketo had " + seeded.size();
                }
                String mapKey = o.hubspot() ? "hubspot" : "marketo";
                long mapCalls = o.hubspot() ? sandbox.hubspot().apiCalls() - setupCalls : sandbox.marketo().apiCalls();
                long mapViolations = o.hubspot() ? sandbox.hubspot().rateLimitViolations() : sandbox.marketo().rateLimitViolations();
                long mapFaults = o.hubspot() ? sandbox.hubspot().faultsInjected() : sandbox.marketo().faultsInjected();
                Map<String, Long> calls = new LinkedHashMap<>();
                calls.put(mapKey, mapCalls);
                calls.put("salesforce", sandbox.salesforce().apiCalls());
                Map<String, Long> auth = new LinkedHashMap<>();
                auth.put(mapKey, o.hubspot() ? 0L : sandbox.marketo().authCalls());
                auth.put("salesforce", sandbox.salesforce().authCalls());
                Map<String, Long> floor = ApiFloor.of(app, counts, activities, o.hubspot());
                long slaBreaches = app.ledger().slaBreachesFlagged();
                // SLA flags: one Salesforce update and one MAP write per batch of newly overdue leads
                floor.merge(mapKey, ceil(slaBreaches, o.hubspot() ? 100 : 300), Long::sum);
                floor.merge("salesforce", ceil(slaBreaches, 200), Long::sum);
                // A polling design reads once per cycle even when nothing changed: after the first
                // cycle (whose reads the record terms above cover), each later one costs at least the
                // MAP's intake read and the Salesforce disposition query.
                floor.merge(mapKey, (long) steps, Long::sum);
                floor.merge("salesforce", (long) steps, Long::sum);
                Path report = dev.handoff.cli.ReportCommand.writeHtml(app.ledger(), definition,
                        dev.handoff.definition.Sla.Period.DAY, world.instant(), o.workDir().resolve("sla-report.html"));
                usage = app.salesforce().apiUsage();
                List<String> unmatched = sandbox.unmatchedRequests().stream().map(r -> r.getMethod() + " " + r.getUrl()).toList();
                if (!unmatched.isEmpty() && problem == null) {
                    problem = "the connector made requests no emulator knows: " + unmatched;
                }
                Map<String, Object> byEndpoint = new LinkedHashMap<>();
                byEndpoint.put(mapKey, (o.hubspot() ? sandbox.hubspot().state() : sandbox.marketo().state()).get("calls_by_endpoint"));
                byEndpoint.put("salesforce", sandbox.salesforce().state().get("calls_by_operation"));
                Map<String, Map<String, Long>> faultsByKind = new LinkedHashMap<>();
                faultsByKind.put(mapKey, byName(o.hubspot() ? sandbox.hubspot().faultsInjectedByKind()
                        : sandbox.marketo().faultsInjectedByKind()));
                faultsByKind.put("salesforce", byName(sandbox.salesforce().faultsInjectedByKind()));
                return new Report(complete, steps, counts, duplicates,
                        mapViolations + sandbox.salesforce().limitViolations(),
                        mapFaults + sandbox.salesforce().faultsInjected(), calls, auth, floor,
                        usage, byEndpoint, activities, Duration.between(START, world.instant()), Duration.ofNanos(System.nanoTime() - started),
                        ledger, problem, faultsByKind, app.circuitBreakers(), slaBreaches, report);
            }
        }
    }

    /** What an admin runs once per HubSpot account: {@code handoff setup hubspot} creates the feedback properties. */
    private static void setUpHubSpot(Map<String, String> props, java.time.Clock clock) {
        HubSpotConfig config = HubSpotConfig.from(new Settings(props));
        HubSpotSetup.Report report = new HubSpotSetup(new HubSpotClient(config,
                new dev.handoff.transport.JdkHttpTransport(config.timeout()), clock), config).run();
        if (!report.ok()) {
            throw new IllegalStateException("HubSpot setup failed: " + report);
        }
    }

    private static boolean awaitCycles(HandoffApplication app, Instant now, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (app.allFlowsCompletedSince(now)) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return false;
    }

    private static long duplicates(List<Map<String, Object>> crmLeads) {
        Map<Object, Long> byExternalId = new HashMap<>();
        for (Map<String, Object> l : crmLeads) {
            Object ext = l.get("external_id");
            if (ext != null) {
                byExternalId.merge(ext, 1L, Long::sum);
            }
        }
        return byExternalId.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
    }

    private static Map<String, Long> byName(Map<? extends Enum<?>, Long> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    private static long ceil(long n, long per) {
        return (n + per - 1) / per;
    }
}
