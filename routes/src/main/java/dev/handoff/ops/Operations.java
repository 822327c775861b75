package dev.handoff.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.flow.PollSchedule;
import dev.handoff.ledger.LedgerStatus;
import dev.handoff.map.MapGateway;
import dev.handoff.salesforce.SalesforceApiBudget;
import dev.handoff.salesforce.SalesforceGateway;
import dev.handoff.transport.MeteredTransport;
import dev.handoff.transport.SystemCircuit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Everything the management endpoints say, computed from the running sidecar: liveness,
 * readiness (ledger reachable, both systems authenticated), Prometheus metrics and the status
 * report. Ledger figures are read at most once per {@code cacheFor}, so a scrape storm or a
 * probe every second costs the database one small set of aggregate queries.
 */
public final class Operations {

    /** What the status page shows about the running sidecar besides the ledger. */
    public record Identity(String definition, String map, Map<String, Duration> intervals) {
    }

    /** One readiness check: its name, whether it passed, and why not. */
    public record Check(String name, boolean ok, String detail) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Identity identity;
    private final LedgerStatus ledgerStatus;
    private final PollSchedule schedule;
    private final SalesforceGateway salesforce;
    private final MapGateway map;
    private final List<MeteredTransport> transports;
    private final BooleanSupplier live;
    private final Supplier<Map<String, SystemCircuit.Status>> circuits;
    private final Duration cacheFor;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge quarantineGauge;
    private final Map<String, Timer> batchTimers = new LinkedHashMap<>();

    private volatile Cached<LedgerStatus.Snapshot> snapshot;
    private volatile Cached<List<Check>> readiness;

    private record Cached<T>(T value, long atNanos) {
    }

    public Operations(Clock clock, Identity identity, LedgerStatus ledgerStatus, PollSchedule schedule,
            SalesforceGateway salesforce, MapGateway map, List<MeteredTransport> transports, BooleanSupplier live,
            Supplier<Map<String, SystemCircuit.Status>> circuits, Duration cacheFor) {
        this.clock = Objects.requireNonNull(clock);
        this.identity = identity;
        this.ledgerStatus = ledgerStatus;
        this.schedule = schedule;
        this.salesforce = salesforce;
        this.map = map;
        this.transports = List.copyOf(transports);
        this.live = live;
        this.circuits = circuits;
        this.cacheFor = cacheFor;
        registerMeters();
        this.quarantineGauge = MultiGauge.builder("handoff_quarantine_leads")
                .description("Leads parked in quarantine, by the system that refused them, stage and error code")
                .register(registry);
        schedule.setCycleListener((flow, nanos) -> batchTimer(flow).record(nanos, TimeUnit.NANOSECONDS));
    }

    // ---- health -------------------------------------------------------------------------------

    public ManagementServer.Answer live() {
        boolean up = live.getAsBoolean();
        return ManagementServer.Answer.json(up ? 200 : 503, "{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
    }

    public ManagementServer.Answer ready() {
        List<Check> checks = readinessChecks();
        boolean ok = checks.stream().allMatch(Check::ok);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? "UP" : "DOWN");
        Map<String, Object> byName = new LinkedHashMap<>();
        for (Check c : checks) {
            byName.put(c.name(), c.ok() ? "UP" : "DOWN: " + c.detail());
        }
        body.put("checks", byName);
        return ManagementServer.Answer.json(ok ? 200 : 503, json(body));
    }

    /** The checks behind {@code /health/ready}, cached like the ledger figures. */
    public List<Check> readinessChecks() {
        Cached<List<Check>> c = readiness;
        if (c != null && System.nanoTime() - c.atNanos() < cacheFor.toNanos()) {
            return c.value();
        }
        List<Check> checks = new ArrayList<>();
        checks.add(ledgerStatus.reachable(2) ? new Check("ledger", true, "")
                : new Check("ledger", false, "the ledger database does not answer"));
        checks.add(check("salesforce", salesforce::ensureSession));
        checks.add(check(map == null ? "map" : map.system(), () -> {
            if (map != null) {
                map.ensureAuthenticated();
            }
        }));
        List<Check> result = List.copyOf(checks);
        readiness = new Cached<>(result, System.nanoTime());
        return result;
    }

    private static Check check(String name, Runnable authenticate) {
        try {
            authenticate.run();
            return new Check(name, true, "");
        } catch (RuntimeException e) {
            return new Check(name, false, "not authenticated: " + e.getMessage());
        }
    }

    // ---- metrics ------------------------------------------------------------------------------

    public ManagementServer.Answer metrics() {
        refreshQuarantine();
        return new ManagementServer.Answer(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    /** Counts one redelivery of a failed step of {@code flow}, caused by {@code system}. */
    public void recordRetry(String system, String flow) {
        Counter.builder("handoff_retries").description("Redeliveries of failed flow steps, by the system that failed")
                .tags("system", system, "flow", flow).register(registry).increment();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private Timer batchTimer(String flow) {
        synchronized (batchTimers) {
            return batchTimers.computeIfAbsent(flow, f -> Timer.builder("handoff_batch")
                    .description("Wall time of one polling cycle of a flow (read, decide, write)")
                    .tag("flow", f).publishPercentiles(0.5, 0.99).register(registry));
        }
    }

    private void registerMeters() {
        for (dev.handoff.ledger.LeadState ls : dev.handoff.ledger.LeadState.values()) {
            String state = ls.name();
            Gauge.builder("handoff_leads", () -> ledger().byState().getOrDefault(state, 0L))
                    .description("Leads in the ledger by state").tag("state", state).register(registry);
        }
        for (String queue : List.of("to_fetch", "to_hand_off", "awaiting_sales", "feedback_pending", "recycle_due")) {
            Gauge.builder("handoff_queue", () -> ledger().queues().getOrDefault(queue, 0L))
                    .description("Leads waiting for a step").tag("queue", queue).register(registry);
        }
        Gauge.builder("handoff_quarantine_size", () -> ledger().quarantined())
                .description("Leads parked in quarantine").register(registry);
        Gauge.builder("handoff_sla_overdue", () -> ledger().slaOverdue())
                .description("Handed-off leads past their SLA due time without a sales verdict").register(registry);
        Gauge.builder("handoff_sla_breaches_today", () -> ledger().slaBreachedToday())
                .description("Leads whose SLA fell due today (UTC) without a verdict in time").register(registry);
        FunctionCounter.builder("handoff_api_calls", salesforce, SalesforceGateway::apiCallsMade)
                .description("API calls made, by system").tag("system", "salesforce").register(registry);
        for (MeteredTransport t : transports) {
            FunctionCounter.builder("handoff_api_calls", t, MeteredTransport::requests)
                    .description("API calls made, by system").tag("system", t.system()).register(registry);
            FunctionCounter.builder("handoff_api_failures", t, MeteredTransport::failures)
                    .description("API calls that got no answer or 429/5xx, by system").tag("system", t.system())
                    .register(registry);
        }
        Gauge.builder("handoff_api_budget_remaining", salesforce, s -> {
            SalesforceApiBudget.Usage u = s.apiUsage();
            return u.ceiling() < 0 ? Double.NaN : Math.max(0, u.ceiling() - u.ourCalls24h());
        }).description("Calls left under Handoff's share of the org's daily API limit").tag("system", "salesforce")
                .register(registry);
        Gauge.builder("handoff_api_org_remaining", salesforce, s -> {
            SalesforceApiBudget.Usage u = s.apiUsage();
            return u.orgLimit() <= 0 ? Double.NaN : Math.max(0, u.orgLimit() - u.orgUsed());
        }).description("Calls left in the org's daily API limit, as Salesforce last reported it").tag("system", "salesforce")
                .register(registry);
        for (String system : circuits.get().keySet()) {
            Gauge.builder("handoff_circuit_open", () -> circuitState(system, "OPEN"))
                    .description("1 while the system's circuit breaker is open (calls fail fast), else 0")
                    .tag("system", system).register(registry);
            Gauge.builder("handoff_circuit_half_open", () -> circuitState(system, "HALF_OPEN"))
                    .description("1 while the system's circuit breaker lets trial calls through, else 0")
                    .tag("system", system).register(registry);
            FunctionCounter.builder("handoff_circuit_opened", this, o -> o.circuit(system).opened())
                    .description("How often the system's circuit breaker opened").tag("system", system).register(registry);
            FunctionCounter.builder("handoff_circuit_rejected", this, o -> o.circuit(system).rejected())
                    .description("Calls failed fast while the circuit was open").tag("system", system).register(registry);
        }
        for (String flow : identity.intervals().keySet()) {
            Gauge.builder("handoff_flow_last_finished", () -> schedule.lastFinished(flow)
                    .map(i -> i.toEpochMilli() / 1000.0).orElse(Double.NaN))
                    .description("When the flow last finished a cycle (epoch seconds)").tag("flow", flow).register(registry);
        }
    }

    private SystemCircuit.Status circuit(String system) {
        SystemCircuit.Status s = circuits.get().get(system);
        return s == null ? new SystemCircuit.Status("DISABLED", 0, 0, 0, 0) : s;
    }

    private double circuitState(String system, String state) {
        return state.equals(circuit(system).state()) ? 1 : 0;
    }

    private void refreshQuarantine() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (LedgerStatus.QuarantineBucket b : ledger().quarantine()) {
            rows.add(MultiGauge.Row.of(Tags.of("system", b.system(), "stage", b.stage(), "code", b.code()), b.leads()));
        }
        quarantineGauge.register(rows, true);
    }

    // ---- status -------------------------------------------------------------------------------

    /** The ledger's figures, read at most once per cache period. */
    public LedgerStatus.Snapshot ledger() {
        Cached<LedgerStatus.Snapshot> c = snapshot;
        if (c != null && System.nanoTime() - c.atNanos() < cacheFor.toNanos()) {
            return c.value();
        }
        LedgerStatus.Snapshot s = ledgerStatus.snapshot(clock.instant());
        snapshot = new Cached<>(s, System.nanoTime());
        return s;
    }

    /** The status report as a map (the JSON of {@code /status.json}, the data of {@code /status}). */
    public Map<String, Object> status() {
        LedgerStatus.Snapshot s = ledger();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", s.at().toString());
        out.put("definition", identity.definition());
        out.put("map", identity.map());
        Map<String, Object> flows = new LinkedHashMap<>();
        identity.intervals().forEach((flow, interval) -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("interval", interval.toString());
            f.put("running", schedule.running(flow));
            f.put("last_started", schedule.lastStarted(flow).map(Instant::toString).orElse(null));
            f.put("last_finished", schedule.lastFinished(flow).map(Instant::toString).orElse(null));
            flows.put(flow, f);
        });
        out.put("flows", flows);
        out.put("leads", s.leads());
        out.put("by_state", s.byState());
        out.put("queues", s.queues());
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("total", s.quarantined());
        List<Map<String, Object>> buckets = new ArrayList<>();
        for (LedgerStatus.QuarantineBucket b : s.quarantine()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("system", b.system());
            row.put("stage", b.stage());
            row.put("code", b.code());
            row.put("leads", b.leads());
            buckets.add(row);
        }
        q.put("by_reason", buckets);
        out.put("quarantine", q);
        Map<String, Object> api = new LinkedHashMap<>();
        SalesforceApiBudget.Usage u = salesforce.apiUsage();
        Map<String, Object> sf = new LinkedHashMap<>();
        sf.put("calls", salesforce.apiCallsMade());
        sf.put("calls_24h", u.ourCalls24h());
        sf.put("ceiling_24h", u.ceiling());
        sf.put("org_used", u.orgUsed());
        sf.put("org_limit", u.orgLimit());
        api.put("salesforce", sf);
        for (MeteredTransport t : transports) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("calls", t.requests());
            m.put("failures", t.failures());
            api.merge(t.system(), m, (a, b) -> a);
        }
        out.put("api", api);
        Map<String, Object> breakers = new LinkedHashMap<>();
        circuits.get().forEach((system, c) -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("state", c.state());
            b.put("opened", c.opened());
            b.put("closed_again", c.closed());
            b.put("rejected_calls", c.rejected());
            breakers.put(system, b);
        });
        out.put("circuit_breakers", breakers);
        Map<String, Object> sla = new LinkedHashMap<>();
        sla.put("handed_off_today", s.handedOffToday());
        sla.put("decided_today", s.decidedToday());
        sla.put("overdue_now", s.slaOverdue());
        sla.put("breached_today", s.slaBreachedToday());
        out.put("sla_today", sla);
        return out;
    }

    public ManagementServer.Answer statusJson() {
        return ManagementServer.Answer.json(200, json(status()));
    }

    public ManagementServer.Answer statusPage() {
        return new ManagementServer.Answer(200, "text/html; charset=utf-8", StatusPage.render(status()));
    }

    /** The endpoint table the management server serves. */
    public Map<String, Supplier<ManagementServer.Answer>> endpoints() {
        Map<String, Supplier<ManagementServer.Answer>> routes = new LinkedHashMap<>();
        routes.put("/health/live", this::live);
        routes.put("/health/ready", this::ready);
        routes.put("/metrics", this::metrics);
        routes.put("/status", this::statusPage);
        routes.put("/status.json", this::statusJson);
        return routes;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }
}
