package dev.handoff.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.handoff.app.HandoffApplication;
import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.demo.EmulatedReps;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.engine.Activity;
import dev.handoff.engine.Lead;
import dev.handoff.engine.QualificationEngine;
import dev.handoff.marketo.MarketoConfig;
import dev.handoff.webhook.WebhookVerifier;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code handoff bench webhook}: signed webhooks at a fixed rate into the running application
 * (webhook-only intake, the Salesforce emulator behind a network latency), and for each lead the
 * time from the moment its webhook was handed to the HTTP client to the moment the Salesforce
 * emulator finished sending the upsert response that created it: receipt to CRM acknowledgement,
 * with the request's own transit counted too.
 */
public final class WebhookBench {

    public record Options(double rate, Duration duration, Duration latency, Duration batchWindow, long seed, Path definition,
            Duration timeout, Path workDir) {
    }

    public record Report(Options options, int sent, int accepted, int acknowledged, long p50Millis, long p99Millis,
            long maxMillis, double sendSeconds, long salesforceCalls, long violations, String problem) {

        public boolean met() {
            return problem == null && acknowledged == sent && p99Millis <= 2000 && violations == 0;
        }

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rate_per_s", options.rate());
            m.put("duration_s", options.duration().toMillis() / 1000.0);
            m.put("latency_ms", options.latency().toMillis());
            m.put("batch_window_ms", options.batchWindow().toMillis());
            m.put("sent", sent);
            m.put("accepted", accepted);
            m.put("acknowledged", acknowledged);
            m.put("p50_ms", p50Millis);
            m.put("p99_ms", p99Millis);
            m.put("max_ms", maxMillis);
            m.put("send_s", E2eBench.round(sendSeconds));
            m.put("salesforce_calls", salesforceCalls);
            m.put("rate_limit_violations", violations);
            m.put("target_p99_within_2s", p99Millis <= 2000);
            if (problem != null) {
                m.put("problem", problem);
            }
            return m;
        }
    }

    private static final Pattern EXTERNAL_ID = Pattern.compile("Handoff_External_Id__c(?: [^>]*)?>([^<]+)<");

    private WebhookBench() {
    }

    public static Report run(Options o) throws Exception {
        Definition definition = DefinitionLoader.load(o.definition());
        Files.createDirectories(o.workDir());
        Clock clock = Clock.systemUTC();
        int total = (int) Math.round(o.rate() * o.duration().toNanos() / 1e9);
        SalesforceEmulator.Settings sf = EmulatedReps.forDefinition(definition, Duration.ofMinutes(30), Duration.ofHours(5),
                o.seed());
        MarketoEmulator.Settings mk = MarketoEmulator.Settings.defaults();
        String secret = "bench-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "-webhook-secret";
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        try (Sandbox sandbox = new Sandbox(clock, sf, mk, 0).start().latency(o.latency())) {
            sandbox.onResponseSent(event -> acknowledged(event, ackedAt));
            Map<String, String> props = new HashMap<>(sandbox.connectorProperties(sf, mk));
            MarketoConfig fields = MarketoConfig.from(new Settings(props));
            List<byte[]> bodies = payloads(definition, fields, o.seed(), total, clock.instant());
            int port = freePort();
            props.put("handoff.map", "webhook");
            props.put("handoff.definition", o.definition().toString());
            props.put("handoff.ledger.url", "jdbc:h2:file:" + o.workDir().resolve("ledger-webhook").toAbsolutePath());
            props.put("handoff.webhook.sources", "generic");
            props.put("handoff.webhook.secret.generic", secret);
            props.put("handoff.webhook.port", String.valueOf(port));
            props.put("handoff.webhook.batch-window", o.batchWindow().toMillis() + "ms");
            props.put("handoff.intake.interval", "10m");
            props.put("handoff.disposition.interval", "1h");
            props.put("handoff.outcome.interval", "1h");
            props.put("handoff.recycle.interval", "1h");
            props.put("handoff.retry.initial-delay", "100ms");
            try (HandoffApplication app = HandoffApplication.start(new Settings(props), clock)) {
                // HTTP/1.1 as webhook senders use it (no h2c upgrade, so no per-connection stream limit)
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                URI uri = URI.create("http://127.0.0.1:" + port + "/webhooks/generic");
                AtomicInteger accepted = new AtomicInteger();
                List<String> refused = new CopyOnWriteArrayList<>();
                AtomicInteger next = new AtomicInteger();
                AtomicInteger answered = new AtomicInteger();
                ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
                long started = System.nanoTime();
                long periodNanos = Math.max(1, Math.round(1e9 / o.rate()));
                sender.scheduleAtFixedRate(() -> {
                    int i = next.getAndIncrement();
                    if (i >= total) {
                        return;
                    }
                    byte[] body = bodies.get(i);
                    long ts = clock.instant().getEpochSecond();
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header(WebhookVerifier.TIMESTAMP_HEADER, String.valueOf(ts))
                            .header(WebhookVerifier.SIGNATURE_HEADER, WebhookVerifier.signGeneric(Secret.of(secret), ts, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    sentAt.put(leadId(i), System.nanoTime());
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                        if (e == null && r.statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else {
                            refused.add(e != null ? e.toString() : r.statusCode() + " " + r.body());
                        }
                        answered.incrementAndGet();
                    });
                }, 0, periodNanos, TimeUnit.NANOSECONDS);
                long deadline = started + o.duration().toNanos() + o.timeout().toNanos();
                while ((answered.get() < total || ackedAt.size() < accepted.get()) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
                sender.shutdownNow();
                double sendSeconds = (System.nanoTime() - started) / 1e9;
                long[] latencies = sentAt.entrySet().stream().filter(e -> ackedAt.containsKey(e.getKey()))
                        .mapToLong(e -> (ackedAt.get(e.getKey()) - e.getValue()) / 1_000_000).sorted().toArray();
                String problem = null;
                if (!refused.isEmpty()) {
                    problem = refused.size() + " webhooks were not accepted, e.g. " + refused.get(0);
                } else if (latencies.length < total) {
                    problem = (total - latencies.length) + " of " + total + " leads never reached Salesforce within the time limit";
                }
                return new Report(o, total, accepted.get(), latencies.length, percentile(latencies, 50),
                        percentile(latencies, 99), latencies.length == 0 ? 0 : latencies[latencies.length - 1], sendSeconds,
                        sandbox.salesforce().apiCalls(), sandbox.salesforce().limitViolations(), problem);
            }
        }
    }

    /** Nearest-rank percentile of sorted values; 0 when there are none. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** A successful upsert response acknowledges every lead its request carried. */
    private static void acknowledged(ServeEvent event, Map<String, Long> ackedAt) {
        long now = System.nanoTime();
        byte[] raw = event.getRequest().getBody();
        if (raw == null || event.getResponse().getStatus() != 200) {
            return;
        }
        // WSC gzips its SOAP requests
        String body = new String(com.github.tomakehurst.wiremock.common.Gzip.isGzipped(raw)
                ? com.github.tomakehurst.wiremock.common.Gzip.unGzip(raw) : raw, StandardCharsets.UTF_8);
        if (!body.contains("upsert>") || body.contains("Fault>")) {
            return;
        }
        Matcher m = EXTERNAL_ID.matcher(body);
        while (m.find()) {
            ackedAt.putIfAbsent(m.group(1), now);
        }
    }

    private static String leadId(int i) {
        return "wh-" + i;
    }

    /**
     * Signed-webhook bodies of leads the definition scores as MQLs (only those go to Salesforce),
     * built from the demo's generated leads in the generic source's format.
     */
    static List<byte[]> payloads(Definition definition, MarketoConfig marketo, long seed, int count, Instant now)
            throws IOException {
        QualificationEngine engine = new QualificationEngine(definition);
        ObjectMapper json = new ObjectMapper();
        Map<String, String> normalizedName = new HashMap<>();
        marketo.fieldMap().forEach((normalized, marketoName) -> normalizedName.put(marketoName, normalized));
        List<byte[]> out = new ArrayList<>(count);
        List<DemoLeadGenerator.SeedLead> pool = DemoLeadGenerator.generate(seed, Math.max(100, count * 5), 0, now);
        for (DemoLeadGenerator.SeedLead seedLead : pool) {
            if (out.size() == count) {
                break;
            }
            String id = leadId(out.size());
            Map<String, String> fields = new LinkedHashMap<>();
            seedLead.fields().forEach((k, v) -> {
                String n = normalizedName.get(k);
                if (n != null && v != null) {
                    fields.put(n, String.valueOf(v));
                }
            });
            List<Activity> activities = new ArrayList<>();
            for (DemoLeadGenerator.SeedActivity a : seedLead.activities()) {
                int k = activities.size();
                marketo.definitionType(a.typeId(), a.primaryAttributeValue())
                        .ifPresent(t -> activities.add(new Activity(id + "-a" + k, id, t, a.at())));
            }
            if (!engine.evaluate(new Lead(id, fields), activities, now).mql()) {
                continue;
            }
            ObjectNode root = json.createObjectNode();
            root.put("id", id);
            ObjectNode f = root.putObject("fields");
            fields.forEach(f::put);
            ArrayNode acts = root.putArray("activities");
            for (Activity a : activities) {
                acts.addObject().put("id", a.id()).put("type", a.type()).put("at", a.occurredAt().toString());
            }
            out.add(json.writeValueAsBytes(root));
        }
        if (out.size() < count) {
            throw new IllegalStateException("the lead generator gave only " + out.size() + " MQLs, " + count + " needed");
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
