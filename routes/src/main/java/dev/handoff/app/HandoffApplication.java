package dev.handoff.app;

import dev.handoff.config.Settings;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.flow.DispositionPoller;
import dev.handoff.flow.LeadQualifier;
import dev.handoff.flow.MarketoActivityPoller;
import dev.handoff.flow.FeedbackWriter;
import dev.handoff.map.MapGateway;
import dev.handoff.marketo.MarketoGateway;
import dev.handoff.flow.OpportunityPoller;
import dev.handoff.flow.PollSchedule;
import dev.handoff.flow.SalesforceLeadWriter;
import dev.handoff.ledger.Ledger;
import dev.handoff.hubspot.HubSpotClient;
import dev.handoff.hubspot.HubSpotConfig;
import dev.handoff.hubspot.HubSpotContactPoller;
import dev.handoff.hubspot.HubSpotGateway;
import dev.handoff.hubspot.HubSpotNurture;
import dev.handoff.map.MapIntake;
import dev.handoff.map.MapNurture;
import dev.handoff.webhook.WebhookNurture;
import dev.handoff.marketo.MarketoClient;
import dev.handoff.marketo.MarketoConfig;
import dev.handoff.routes.CamelHttpTransport;
import dev.handoff.routes.DispositionRoute;
import dev.handoff.routes.ErrorHandlingConfiguration;
import dev.handoff.routes.LedgerClusterService;
import dev.handoff.routes.LeaderOnlyRoutePolicyFactory;
import dev.handoff.ha.LeaderLease;
import dev.handoff.routes.HandoffRoute;
import dev.handoff.routes.OutcomeRoute;
import dev.handoff.routes.RecycleRoute;
import dev.handoff.routes.SlaRoute;
import dev.handoff.flow.NurtureRecycler;
import dev.handoff.marketo.MarketoNurture;
import dev.handoff.marketo.MarketoNurtureConfig;
import dev.handoff.salesforce.SalesforceAuthenticator;
import dev.handoff.salesforce.SalesforceConfig;
import dev.handoff.salesforce.SalesforceGateway;
import dev.handoff.transport.CircuitBreakerSettings;
import dev.handoff.transport.HttpTransport;
import dev.handoff.transport.SystemCircuit;
import dev.handoff.transport.SystemCircuits;
import dev.handoff.routes.WebhookHttpServer;
import dev.handoff.routes.WebhookRoute;
import dev.handoff.webhook.PushedLeadGateway;
import dev.handoff.webhook.WebhookConfig;
import dev.handoff.webhook.WebhookIntake;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sidecar: validated configuration, the ledger, both systems' clients, the flow beans
 * and the Camel routes that drive them. Everything is built and checked before the first poll, so
 * a bad configuration fails at startup naming its key.
 */
public final class HandoffApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HandoffApplication.class);

    private final CamelContext camel;
    private final Ledger ledger;
    private final PollSchedule schedule;
    private final SalesforceGateway salesforce;
    private final Definition definition;
    private final SystemCircuits circuits;
    private dev.handoff.ops.ManagementServer management;
    private dev.handoff.ops.Operations operations;

    private HandoffApplication(CamelContext camel, Ledger ledger, PollSchedule schedule, SalesforceGateway salesforce,
            Definition definition, SystemCircuits circuits) {
        this.camel = camel;
        this.ledger = ledger;
        this.schedule = schedule;
        this.salesforce = salesforce;
        this.definition = definition;
        this.circuits = circuits;
    }

    static {
        // WSC posts through HttpURLConnection, which by default silently re-sends a POST whose
        // connection broke. The connector decides about retries itself (and counts them).
        System.setProperty("sun.net.http.retryPost", "false");
    }

    public static HandoffApplication start(Settings settings, Clock clock) {
        Definition definition = DefinitionLoader.load(Path.of(settings.string("handoff.definition", "config/qualification.yaml")));
        // Shadow mode: a candidate definition scores every lead too; its results are recorded, never acted on.
        Definition shadow = settings.optional("handoff.definition.shadow").map(f -> DefinitionLoader.load(Path.of(f))).orElse(null);
        String mapName = settings.string("handoff.map", "marketo");
        MarketoConfig marketoConfig = "marketo".equals(mapName) ? MarketoConfig.from(settings) : null;
        HubSpotConfig hubspotConfig = "hubspot".equals(mapName) ? HubSpotConfig.from(settings) : null;
        boolean webhookOnly = "webhook".equals(mapName);
        if (marketoConfig == null && hubspotConfig == null && !webhookOnly) {
            throw new dev.handoff.config.ConfigException("handoff.map", "'" + mapName + "' is not one of marketo, hubspot, webhook");
        }
        if (webhookOnly && !WebhookConfig.from(settings).enabled()) {
            throw new dev.handoff.config.ConfigException("handoff.webhook.sources",
                    "is required when handoff.map=webhook (leads arrive only by webhook)");
        }
        SalesforceConfig salesforceConfig = SalesforceConfig.from(settings);
        MarketoNurtureConfig nurtureConfig = marketoConfig == null ? null : MarketoNurtureConfig.from(settings);
        SystemCircuits circuits = new SystemCircuits(CircuitBreakerSettings.from(settings), clock);
        Map<String, Duration> intervals = Map.of(
                HandoffRoute.FLOW, settings.duration("handoff.intake.interval", Duration.ofMinutes(5)),
                DispositionRoute.FLOW, settings.duration("handoff.disposition.interval", Duration.ofMinutes(5)),
                OutcomeRoute.FLOW, settings.duration("handoff.outcome.interval", Duration.ofHours(1)),
                RecycleRoute.FLOW, settings.duration("handoff.recycle.interval", Duration.ofHours(1)),
                SlaRoute.FLOW, settings.duration("handoff.sla.interval", Duration.ofMinutes(15)));
        // Route placeholders ({{route.*}}) are derived from the validated handoff.* keys, never set directly.
        Properties properties = new Properties();
        WebhookConfig webhook = WebhookConfig.from(settings);
        long tickMs = settings.duration("handoff.poll.tick", Duration.ofSeconds(1)).toMillis();
        if (webhook.enabled()) {
            // a requested handoff cycle starts at the first tick after its batch window closes
            tickMs = Math.max(10, Math.min(tickMs, webhook.batchWindow().toMillis() / 5));
        }
        properties.put("route.tick-ms", String.valueOf(tickMs));
        properties.put("route.retry.redeliveries", String.valueOf(settings.integer("handoff.retry.redeliveries", 3, 0, 20)));
        properties.put("route.retry.initial-delay-ms",
                String.valueOf(settings.duration("handoff.retry.initial-delay", Duration.ofSeconds(1)).toMillis()));

        Duration feedbackMaxWait = settings.duration("handoff.feedback.max-wait", Duration.ZERO);
        if (feedbackMaxWait.isNegative() || feedbackMaxWait.compareTo(Duration.ofDays(1)) > 0) {
            throw new dev.handoff.config.ConfigException("handoff.feedback.max-wait", feedbackMaxWait + " is outside 0s..1d");
        }
        String ledgerUrl = settings.string("handoff.ledger.url", "jdbc:h2:file:./data/handoff-ledger");
        dev.handoff.ha.HaConfig ha = dev.handoff.ha.HaConfig.from(settings, ledgerUrl);
        // The ledger (pool, migrations) opens on its own thread while Camel and the clients are built:
        // the two are independent and each takes a few hundred milliseconds.
        String ledgerUser = settings.string("handoff.ledger.user", "sa");
        dev.handoff.config.Secret ledgerPassword = dev.handoff.config.Secret.of(settings.string("handoff.ledger.password", ""));
        java.util.concurrent.CompletableFuture<Ledger> opening = openInBackground(
                () -> Ledger.open(ledgerUrl, ledgerUser, ledgerPassword, clock));
        CamelContext camel = new DefaultCamelContext();
        try {
            camel.getPropertiesComponent().setInitialProperties(properties);
            // SIGTERM budget is 10 s: up to 7 s for the in-flight cycle to finish (else it is rolled back and
            // its watermark stays), the rest for closing the ledger and the JVM.
            camel.getShutdownStrategy().setTimeout(7);
            camel.build();
            ProducerTemplate template = camel.createProducerTemplate();
            HttpTransport salesforceTransport = new CamelHttpTransport(template, (int) salesforceConfig.timeout().toMillis());
            SalesforceGateway salesforce = new SalesforceGateway(salesforceConfig,
                    new SalesforceAuthenticator(salesforceConfig, salesforceTransport, clock), clock,
                    circuits.forSystem(SalesforceGateway.SYSTEM));
            Ledger ledger = awaitLedger(opening);
            PollSchedule schedule = new PollSchedule(clock, intervals);

            camel.getRegistry().bind("pollSchedule", schedule);
            MapGateway map;
            MapNurture nurture;
            java.util.List<dev.handoff.transport.MeteredTransport> transports = new java.util.ArrayList<>();
            String mapUrl;
            if (marketoConfig != null) {
                dev.handoff.transport.MeteredTransport metered = new dev.handoff.transport.MeteredTransport(MarketoClient.SYSTEM,
                        new CamelHttpTransport(template, (int) marketoConfig.timeout().toMillis()));
                transports.add(metered);
                MarketoClient marketo = new MarketoClient(marketoConfig, metered, clock, circuits.forSystem(MarketoClient.SYSTEM));
                map = new MarketoGateway(marketo, marketoConfig, clock);
                mapUrl = "Marketo " + marketoConfig.baseUrl();
                camel.getRegistry().bind("mapIntake", new MarketoActivityPoller(marketo, marketoConfig, ledger));
                nurture = new MarketoNurture(marketo, marketoConfig, nurtureConfig);
            } else if (webhookOnly) {
                map = null;
                mapUrl = "webhooks only";
                camel.getRegistry().bind("mapIntake", (MapIntake) () -> 0);
                nurture = new WebhookNurture();
            } else {
                dev.handoff.transport.MeteredTransport metered = new dev.handoff.transport.MeteredTransport(HubSpotClient.SYSTEM,
                        new CamelHttpTransport(template, (int) hubspotConfig.timeout().toMillis()));
                transports.add(metered);
                HubSpotClient hubspot = new HubSpotClient(hubspotConfig, metered, clock, circuits.forSystem(HubSpotClient.SYSTEM));
                map = new HubSpotGateway(hubspot, hubspotConfig);
                mapUrl = "HubSpot " + hubspotConfig.baseUrl();
                camel.getRegistry().bind("mapIntake", new HubSpotContactPoller(hubspot, hubspotConfig, ledger, clock));
                nurture = new HubSpotNurture(hubspot);
            }
            // ---- webhook intake (POST /webhooks/{source}), only when handoff.webhook.sources is set ----
            if (webhook.enabled()) {
                map = map == null ? new PushedLeadGateway(ledger, webhook, new CamelHttpTransport(template, 30_000), clock)
                        : new PushedLeadGateway(ledger, webhook, new CamelHttpTransport(template, 30_000), clock, map);
                camel.getRegistry().bind("webhookIntake", new WebhookIntake(webhook, ledger, clock,
                        () -> schedule.request(HandoffRoute.FLOW, clock.instant().plus(webhook.batchWindow()))));
                WebhookHttpServer server = new WebhookHttpServer(webhook.port(), webhook.maxBodyBytes());
                server.setCamelContext(camel);
                camel.addService(server);
                LOG.info("Webhook intake for {} on port {}", webhook.sources(), webhook.port());
            }
            // ---- end of webhook intake ----
            LeadQualifier qualifier = new LeadQualifier(map, ledger, definition, shadow, clock,
                    settings.integer("handoff.intake.read-ahead", 4, 1, 10));
            if (shadow != null) {
                LOG.info("Shadow mode: {} scores every lead beside {}; recorded in the ledger, not acted on", shadow.label(),
                        definition.label());
            }
            SalesforceLeadWriter writer = new SalesforceLeadWriter(salesforce, salesforceConfig, ledger, definition, clock);
            camel.getRegistry().bind("qualifyAndHandOff", new dev.handoff.flow.QualifyAndHandOff(qualifier, writer));
            camel.getRegistry().bind("dispositionPoller", new DispositionPoller(salesforce, salesforceConfig, ledger, definition));
            camel.getRegistry().bind("feedbackWriter", new FeedbackWriter(map, ledger, clock, feedbackMaxWait));
            camel.getRegistry().bind("opportunityPoller", new OpportunityPoller(salesforce, ledger));
            // Rejection actions: recycle to nurture after the reason's delay, flag disqualified leads.
            camel.getRegistry().bind("nurtureRecycler", new NurtureRecycler(nurture, ledger, clock, feedbackMaxWait));
            // ---- leader election (handoff.ha.*): the polling flows run on the one replica holding the lease ----
            if (ha.enabled()) {
                LedgerClusterService cluster = new LedgerClusterService(ledger.dataSource(), ha);
                camel.addService(cluster);
                camel.addRoutePolicyFactory(new LeaderOnlyRoutePolicyFactory(cluster, LeaderLease.FLOWS, java.util.Set.copyOf(FLOWS)));
            }
            // ---- end of leader election ----
            // SLA monitor: leads past their accept window without a verdict are flagged and alerted.
            camel.getRegistry().bind("slaMonitor", new dev.handoff.flow.SlaMonitor(salesforce::updateLeads,
                    salesforceConfig.upsertBatchSize(), map, ledger, definition,
                    dev.handoff.sla.SlaAlert.from(settings, new CamelHttpTransport(template, 10_000)), clock,
                    intervals.get(DispositionRoute.FLOW)));
            camel.addRoutes(new ErrorHandlingConfiguration());
            camel.addRoutes(new HandoffRoute());
            camel.addRoutes(new DispositionRoute());
            camel.addRoutes(new OutcomeRoute());
            camel.addRoutes(new RecycleRoute());
            camel.addRoutes(new SlaRoute());
            if (webhook.enabled()) {
                // after ErrorHandlingConfiguration: a route finds its route configuration only once that is added
                camel.addRoutes(new WebhookRoute());
            }
            // ---- management endpoints: /health/live, /health/ready, /metrics, /status(.json) ----
            int httpPort = settings.integer("handoff.http.port", 8080, -1, 65535);
            dev.handoff.ops.Operations operations = new dev.handoff.ops.Operations(clock,
                    new dev.handoff.ops.Operations.Identity(definition.label(), mapUrl, new java.util.TreeMap<>(intervals)),
                    new dev.handoff.ledger.LedgerStatus(ledger), schedule, salesforce, map, transports,
                    () -> camel.getStatus().isStarted(), circuits::status,
                    settings.duration("handoff.http.cache", Duration.ofSeconds(5)));
            camel.getManagementStrategy().addEventNotifier(new dev.handoff.ops.RetryMetrics(operations));
            camel.start();
            LOG.info("Handoff started with definition {} ({}, Salesforce {})", definition.label(), mapUrl,
                    salesforceConfig.tokenUrl());
            warmUp(writer);
            HandoffApplication app = new HandoffApplication(camel, ledger, schedule, salesforce, definition, circuits);
            app.operations = operations;
            if (httpPort >= 0) {
                try {
                    app.management = dev.handoff.ops.ManagementServer.start(httpPort, operations.endpoints());
                } catch (java.io.IOException e) {
                    throw new dev.handoff.config.ConfigException("handoff.http.port",
                            "cannot listen on port " + httpPort + " (" + e.getMessage() + ")");
                }
            }
            return app;
        } catch (Exception e) {
            try {
                camel.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            // closes the ledger now if it is open, or as soon as its opening finishes
            opening.thenAccept(Ledger::close);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("Handoff could not start: " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.CompletableFuture<Ledger> openInBackground(java.util.function.Supplier<Ledger> open) {
        java.util.concurrent.CompletableFuture<Ledger> opening = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                opening.complete(open.get());
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        }, "handoff-ledger-open");
        t.setDaemon(true);
        t.start();
        return opening;
    }

    /** The opened ledger, or the very exception that opening it threw. */
    private static Ledger awaitLedger(java.util.concurrent.CompletableFuture<Ledger> opening) {
        try {
            return opening.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * The Salesforce session and the Lead metadata are fetched right away, in the background, instead
     * of by the first handoff round: a pushed lead (webhooks) reaches Salesforce within the batch
     * window plus one round of calls from the start, and the first round of a polled backlog does
     * not wait for a login and a describe either. The describe is the one the first round would make
     * anyway. If Salesforce cannot be reached yet, the first handoff cycle tries again and reports
     * it the usual way.
     */
    private static void warmUp(SalesforceLeadWriter writer) {
        Thread t = new Thread(() -> {
            try {
                writer.prepare();
            } catch (RuntimeException e) {
                LOG.info("Salesforce could not be prepared at start ({}); the first handoff cycle tries again", e.getMessage());
            }
        }, "handoff-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Every polling flow, by name. */
    public static final java.util.List<String> FLOWS = java.util.List.of(HandoffRoute.FLOW, DispositionRoute.FLOW,
            OutcomeRoute.FLOW, RecycleRoute.FLOW, SlaRoute.FLOW);

    /** True once every flow has finished a cycle that started at or after {@code time}. */
    public boolean allFlowsCompletedSince(java.time.Instant time) {
        return FLOWS.stream().allMatch(f -> schedule.completedSince(f, time));
    }

    public Ledger ledger() {
        return ledger;
    }

    public PollSchedule schedule() {
        return schedule;
    }

    public SalesforceGateway salesforce() {
        return salesforce;
    }

    public Definition definition() {
        return definition;
    }

    /** The port of the management endpoints, or -1 when they are off ({@code handoff.http.port=-1}). */
    public int httpPort() {
        return management == null ? -1 : management.port();
    }

    /** Health, metrics and status figures of this sidecar. */
    public dev.handoff.ops.Operations operations() {
        return operations;
    }

    /**
     * The circuit breaker of each external system this instance calls ({@code salesforce}, and
     * {@code marketo} or {@code hubspot}): state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN},
     * or {@code DISABLED}) and how often it opened, let trial calls through, closed again and
     * failed a call fast.
     */
    public Map<String, SystemCircuit.Status> circuitBreakers() {
        return circuits.status();
    }

    /** Stops taking work, lets the in-flight cycle finish (up to 10 s), then closes the ledger. */
    @Override
    public void close() {
        if (management != null) {
            management.close();
        }
        try {
            camel.close();
        } catch (Exception e) {
            LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
        } finally {
            ledger.close();
        }
    }
}
