package dev.handoff.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.app.ConfigFiles;
import dev.handoff.backfill.Backfill;
import dev.handoff.backfill.BackfillConfig;
import dev.handoff.config.ConfigException;
import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.flow.SalesforceLeadWriter;
import dev.handoff.ledger.Ledger;
import dev.handoff.marketo.MarketoBulkExtract;
import dev.handoff.marketo.MarketoClient;
import dev.handoff.marketo.MarketoConfig;
import dev.handoff.salesforce.SalesforceAuthenticator;
import dev.handoff.salesforce.SalesforceConfig;
import dev.handoff.salesforce.SalesforceGateway;
import dev.handoff.transport.JdkHttpTransport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code handoff backfill}: scores every Marketo lead created in a date range with the shared
 * definition and hands the MQLs to Salesforce, through Marketo's bulk extracts (a handful of
 * calls per 31 days of leads instead of one per 300 leads). Memory stays bounded whatever the
 * number of leads; a progress line with rate and ETA goes to stderr; a run that was stopped
 * resumes at the export window it was in. HubSpot has no bulk export, so this command refuses a
 * HubSpot configuration and says what to do instead.
 */
@Command(name = "backfill", description = "Score and hand off every Marketo lead created in a date range, "
        + "through Marketo's bulk extracts (bounded memory, progress on stderr, resumable).")
public final class BackfillCommand implements Callable<Integer> {

    private static final double MB = 1024.0 * 1024.0;

    @Option(names = "--config", description = "application.properties (default: ${DEFAULT-VALUE})",
            defaultValue = "config/application.properties")
    Path config;

    @Option(names = "--since", description = "Leads created from this instant or date on (default: handoff.backfill.since).")
    String since;

    @Option(names = "--until", description = "Leads created before this instant or date (default: handoff.backfill.until, else now).")
    String until;

    @Option(names = "--json", description = "Print one JSON object with the figures on the last line of stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings = ConfigFiles.load(config);
        String map = settings.string("handoff.map", "marketo");
        if (!"marketo".equals(map)) {
            throw new ConfigException("handoff.map", "is '" + map + "', but backfill reads Marketo's Bulk Lead and Activity "
                    + "Extract and " + ("hubspot".equals(map) ? "HubSpot has no bulk export; to take in HubSpot history, set "
                    + "handoff.hubspot.intake-since to its start and let handoff run page through it"
                    : "a webhook source keeps no history to read; replay it from the sending system"));
        }
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        Definition definition = DefinitionLoader.load(Path.of(settings.string("handoff.definition", "config/qualification.yaml")));
        MarketoConfig marketoConfig = MarketoConfig.from(settings);
        SalesforceConfig salesforceConfig = SalesforceConfig.from(settings);
        BackfillConfig backfillConfig = BackfillConfig.from(settings, instant("--since", since), instant("--until", until), now);

        PrintWriter err = spec.commandLine().getErr();
        dev.handoff.transport.MeteredTransport marketoTransport = new dev.handoff.transport.MeteredTransport(MarketoClient.SYSTEM,
                new JdkHttpTransport(marketoConfig.timeout()));
        MarketoClient marketo = new MarketoClient(marketoConfig, marketoTransport, clock);
        MarketoBulkExtract bulk = new MarketoBulkExtract(marketo, backfillConfig.pollInterval(), backfillConfig.maxWait(),
                backfillConfig.downloadChunkBytes(), clock, d -> Thread.sleep(Math.max(1, d.toMillis())));
        JdkHttpTransport salesforceTransport = new JdkHttpTransport(salesforceConfig.timeout());
        SalesforceGateway salesforce = new SalesforceGateway(salesforceConfig,
                new SalesforceAuthenticator(salesforceConfig, salesforceTransport, clock), clock);

        Backfill.Result result;
        Map<String, Long> samples;
        long maxAfterGc;
        err.println("handoff backfill: Marketo leads created " + backfillConfig.since() + " to " + backfillConfig.until()
                + " with " + definition.label());
        err.flush();
        try (Ledger ledger = Ledger.open(settings.string("handoff.ledger.url", "jdbc:h2:file:./data/handoff-ledger"),
                settings.string("handoff.ledger.user", "sa"), Secret.of(settings.string("handoff.ledger.password", "")), clock);
             HeapWatch heap = new HeapWatch()) {
            SalesforceLeadWriter writer = new SalesforceLeadWriter(salesforce, salesforceConfig, ledger, definition, clock);
            ProgressBar bar = new ProgressBar(err, System.console() != null, Duration.ofSeconds(10), System::nanoTime);
            QuartileSampler quartiles = new QuartileSampler(heap, bar);
            Backfill backfill = new Backfill(bulk, marketoConfig, ledger, definition, writer, salesforceConfig.dedupeBatchSize(),
                    backfillConfig, clock, quartiles, dev.handoff.marketo.ProgramNames.campaignLabels(marketo, marketoConfig, clock));
            result = backfill.run();
            bar.finishLine();
            heap.sample("100%");
            samples = heap.samples();
            maxAfterGc = heap.maxAfterGcBytes();
        }
        long marketoCalls = marketoTransport.requests();
        long salesforceCalls = salesforce.apiUsage().ourCalls24h();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("leads", result.leads());
            m.put("leads_per_second", Math.round(result.leadsPerSecond()));
            m.put("max_heap_after_gc_mb", round1(maxAfterGc / MB));
            Map<String, Object> at = new LinkedHashMap<>();
            samples.forEach((k, v) -> at.put(k, round1(v / MB)));
            m.put("heap_after_gc_mb", at);
            m.put("max_heap_mb", round1(HeapWatch.maxHeapBytes() / MB));
            m.put("seconds", round1(result.elapsed().toMillis() / 1000.0));
            m.put("activities", result.activities());
            m.put("new_in_ledger", result.newInLedger());
            m.put("mqls", result.mqls());
            m.put("not_qualified", result.notQualified());
            m.put("quarantined", result.quarantined());
            m.put("handed_off", result.handedOff());
            m.put("rows_without_id", result.rowsWithoutId());
            m.put("windows_skipped", result.windowsSkipped());
            m.put("api_calls", Map.of("marketo", marketoCalls, "salesforce", salesforceCalls));
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            out.printf(Locale.ROOT, "backfill done in %s: %,d leads (%,.0f leads/s), %,d activities%n",
                    ProgressBar.duration(result.elapsed().toMillis() / 1000.0), result.leads(), result.leadsPerSecond(),
                    result.activities());
            out.printf(Locale.ROOT, "  %,d MQL, %,d handed off to Salesforce, %,d not qualified, %,d quarantined, %,d new to the ledger%n",
                    result.mqls(), result.handedOff(), result.notQualified(), result.quarantined(), result.newInLedger());
            out.printf(Locale.ROOT, "  API calls: Marketo %,d, Salesforce %,d%n", marketoCalls, salesforceCalls);
            out.printf(Locale.ROOT, "  heap after GC: max %.1f MB of %.0f MB; at %s%n", maxAfterGc / MB, HeapWatch.maxHeapBytes() / MB,
                    samples.entrySet().stream().map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.1f MB", e.getValue() / MB))
                            .reduce((a, b) -> a + ", " + b).orElse("-"));
            if (result.quarantined() > 0) {
                out.println("  see the quarantined leads with: handoff quarantine list");
            }
        }
        out.flush();
        return HandoffCli.OK;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** An ISO instant, or a date meaning its start in UTC. */
    static Instant instant(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ConfigException(option, "'" + text + "' is not a date (2026-01-31) or an instant (2026-01-31T00:00:00Z)");
        }
    }

    /** Draws progress and takes heap samples as the lead phase passes 25, 50 and 75%. */
    private static final class QuartileSampler implements Backfill.Progress {
        private final HeapWatch heap;
        private final ProgressBar bar;
        private Backfill.Phase phase;
        private int next = 1;

        QuartileSampler(HeapWatch heap, ProgressBar bar) {
            this.heap = heap;
            this.bar = bar;
        }

        @Override
        public void update(Backfill.Phase p, long done, long expected) {
            if (p != phase) {
                phase = p;
                bar.phase(p == Backfill.Phase.ACTIVITIES ? "activities" : "leads     ");
            }
            bar.update(done, expected);
            if (p == Backfill.Phase.LEADS && expected > 0) {
                while (next <= 3 && done * 4 >= next * expected) {
                    heap.sample(next * 25 + "%");
                    next++;
                }
            }
        }
    }
}
