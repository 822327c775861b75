package dev.handoff.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.cli.HandoffCli;
import dev.handoff.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code handoff demo}: the whole flow against local emulators, then the counts. */
@Command(name = "demo", description = "Run the whole flow against local emulators with an embedded ledger and print what happened.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--leads", defaultValue = "500", description = "Leads in the emulated Marketo (default ${DEFAULT-VALUE}).")
    int leads;

    @Mixin
    EmulationOptions emulation;

    @Option(names = "--bad-input", defaultValue = "0", description = "Extra malformed leads to mix in (default ${DEFAULT-VALUE}).")
    int badInput;


    @Option(names = "--step", defaultValue = "6h", description = "Simulated time per poll cycle (default ${DEFAULT-VALUE}).")
    String step;

    @Option(names = "--faults", defaultValue = "0", description = "Transient faults the emulators inject per call, 0..0.5 (default ${DEFAULT-VALUE}).")
    double faults;


    @Option(names = "--fault-kinds", split = ",", paramLabel = "KIND",
            description = "Inject only these fault kinds, comma-separated (e.g. TIMEOUT,RECORD_LOCK); default all. "
                    + "Kinds: ${COMPLETION-CANDIDATES}.", completionCandidates = FaultKinds.class)
    java.util.List<String> faultKinds = new java.util.ArrayList<>();

    @Option(names = "--fault-burst", defaultValue = "0", paramLabel = "N",
            description = "The first N calls to each emulator that can suffer a selected kind all fault, as in an outage, "
                    + "before --faults applies (default ${DEFAULT-VALUE}).")
    int faultBurst;

    /** The fault kinds the emulators know, for the help text. */
    static final class FaultKinds implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return dev.handoff.emulator.Sandbox.faultKinds().iterator();
        }
    }

    @Option(names = "--slow-rep", defaultValue = "30h", description = "How much later than the others one emulated "
            + "rep in five decides, so leads pass the SLA; 0s for none (default ${DEFAULT-VALUE}).")
    String slowRep;

    @Option(names = "--json", description = "Print the counts as one JSON object on the last line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (leads < 1 || leads > 1_000_000) {
            throw new dev.handoff.config.ConfigException("--leads", leads + " is outside 1..1000000");
        }
        boolean hubspot = emulation.hubspot();
        if (faults < 0 || faults > 0.5) {
            throw new dev.handoff.config.ConfigException("--faults", faults + " is outside 0..0.5");
        }
        java.util.Set<String> unknown = new java.util.TreeSet<>(faultKinds);
        unknown.removeAll(dev.handoff.emulator.Sandbox.faultKinds());
        if (!unknown.isEmpty()) {
            throw new dev.handoff.config.ConfigException("--fault-kinds", unknown + " not among "
                    + dev.handoff.emulator.Sandbox.faultKinds());
        }
        if (faultBurst < 0 || faultBurst > 10_000) {
            throw new dev.handoff.config.ConfigException("--fault-burst", faultBurst + " is outside 0..10000");
        }
        if (badInput < 0) {
            throw new dev.handoff.config.ConfigException("--bad-input", "must not be negative");
        }
        Duration stepDuration = Settings.parseDuration(step);
        if (stepDuration == null || stepDuration.isZero() || stepDuration.isNegative()) {
            throw new dev.handoff.config.ConfigException("--step", "'" + step + "' is not a positive duration like 6h");
        }
        Duration slowRepDelay = Settings.parseDuration(slowRep);
        if (slowRepDelay == null || slowRepDelay.isNegative()) {
            throw new dev.handoff.config.ConfigException("--slow-rep", "'" + slowRep + "' is not a duration like 30h or 0s");
        }
        Path def = emulation.definitionPath();
        Path work = Files.createTempDirectory("handoff-demo-");
        DemoRun.Report r = DemoRun.execute(new DemoRun.Options(leads, emulation.seed, badInput, def, stepDuration, 40,
                Duration.ofSeconds(120), work, faults, hubspot ? "hubspot" : "marketo", faultKinds, faultBurst,
                slowRepDelay));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toJson(r)));
        } else {
            printTable(out, r);
        }
        out.flush();
        if (!r.success()) {
            spec.commandLine().getErr().println("handoff demo: FAILED: " + (r.problem() != null ? r.problem()
                    : r.crmDuplicates() > 0 ? r.crmDuplicates() + " duplicate Leads in the CRM" : "leads not accounted for"));
            return HandoffCli.RUNTIME_FAILURE;
        }
        return HandoffCli.OK;
    }

    static Map<String, Object> toJson(DemoRun.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leads", r.counts().leads());
        m.put("qualified", r.counts().qualified());
        m.put("not_qualified", r.counts().notQualified());
        m.put("handed_off", r.counts().handedOff());
        m.put("accepted", r.counts().accepted());
        m.put("rejected", r.counts().rejected());
        m.put("recycled", r.counts().recycled());
        m.put("added_to_nurture", r.counts().recycledToNurture());
        m.put("feedback_written", r.counts().feedbackWritten());
        m.put("quarantined", r.counts().quarantined());
        m.put("existing_contacts", r.counts().existingContacts());
        m.put("existing_contacts_told", r.counts().noticesWritten());
        m.put("converted", r.counts().converted());
        m.put("won", r.counts().won());
        m.put("lost", r.counts().lost());
        m.put("in_flight", r.counts().inFlight());
        m.put("crm_duplicates", r.crmDuplicates());
        m.put("rate_limit_violations", r.rateLimitViolations());
        m.put("faults_injected", r.faultsInjected());
        m.put("faults_by_kind", r.faultsByKind());
        Map<String, Object> circuits = new LinkedHashMap<>();
        r.circuitBreakers().forEach((system, c) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("state", c.state());
            one.put("opened", c.opened());
            one.put("half_opened", c.halfOpened());
            one.put("closed", c.closed());
            one.put("rejected", c.rejected());
            circuits.put(system, one);
        });
        m.put("circuit_breakers", circuits);
        m.put("api_calls", r.apiCalls());
        m.put("api_floor", r.apiFloor());
        m.put("auth_calls", r.authCalls());
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("our_calls_24h", r.salesforceUsage().ourCalls24h());
        usage.put("ceiling", r.salesforceUsage().ceiling());
        usage.put("org_used", r.salesforceUsage().orgUsed());
        usage.put("org_limit", r.salesforceUsage().orgLimit());
        m.put("salesforce_api_budget", usage);
        m.put("api_calls_by_endpoint", r.callsByEndpoint());
        m.put("activities", r.activities());
        m.put("simulated_hours", r.simulated().toHours());
        m.put("wall_s", Math.round(r.wall().toMillis() / 100.0) / 10.0);
        m.put("ledger", r.ledger().toString());
        m.put("sla_breaches", r.slaBreaches());
        m.put("report", r.report().toString());
        m.put("map", r.apiCalls().containsKey("hubspot") ? "hubspot" : "marketo");
        m.put("complete", r.success());
        return m;
    }

    private static void printTable(PrintWriter out, DemoRun.Report r) {
        Map<String, Object> m = toJson(r);
        String platform = r.apiCalls().containsKey("hubspot") ? "HubSpot" : "Marketo";
        out.println("Handoff demo: " + m.get("leads") + " " + platform + " leads, " + m.get("simulated_hours")
                + " simulated hours in " + m.get("wall_s") + " s");
        out.println();
        row(out, "leads seen", m.get("leads"));
        row(out, "qualified (MQL)", m.get("qualified"));
        row(out, "not qualified", m.get("not_qualified"));
        row(out, "handed off to Salesforce", m.get("handed_off"));
        row(out, "accepted by sales", m.get("accepted"));
        row(out, "rejected by sales", m.get("rejected"));
        row(out, "  of which to recycle to nurture", m.get("recycled"));
        row(out, "  in the nurture list so far", m.get("added_to_nurture"));
        row(out, "feedback written to " + platform, m.get("feedback_written"));
        row(out, "already Contacts (no Lead made)", m.get("existing_contacts"));
        row(out, "  of which marketing was told", m.get("existing_contacts_told"));
        row(out, "converted to opportunities", m.get("converted"));
        row(out, "  won / lost so far", m.get("won") + " / " + m.get("lost"));
        row(out, "past the SLA without a verdict", m.get("sla_breaches"));
        row(out, "quarantined (see ledger)", m.get("quarantined"));
        row(out, "duplicate Leads in the CRM", m.get("crm_duplicates"));
        row(out, "rate-limit violations", m.get("rate_limit_violations"));
        row(out, "faults injected by the emulators", m.get("faults_injected"));
        r.circuitBreakers().forEach((system, c) -> row(out, "circuit " + system,
                c.state() + (c.opened() > 0 ? " (opened " + c.opened() + "×, closed again " + c.closed() + "×)" : "")));
        out.println();
        out.printf("%-28s %10s %10s %10s%n", "API calls", "made", "floor", "auth");
        for (String system : r.apiCalls().keySet()) {
            out.printf("%-28s %10d %10d %10d%n", "  " + system, r.apiCalls().get(system), r.apiFloor().get(system),
                    r.authCalls().get(system));
        }
        out.printf("Salesforce API budget: %d calls in 24 h of a %d ceiling (%d%% of the org's %d daily)%n",
                r.salesforceUsage().ourCalls24h(), r.salesforceUsage().ceiling(),
                Math.round(r.salesforceUsage().share() * 100), r.salesforceUsage().orgLimit());
        out.println();
        out.println("ledger: " + r.ledger() + " (H2)");
        out.println("report: " + r.report());
        out.println(r.success() ? "result: every lead accounted for, no duplicates" : "result: FAILED: " + r.problem());
    }

    private static void row(PrintWriter out, String label, Object value) {
        out.printf("%-34s %8s%n", label, value);
    }
}
