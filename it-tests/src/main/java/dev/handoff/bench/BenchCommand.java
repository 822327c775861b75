package dev.handoff.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.cli.HandoffCli;
import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code handoff bench SUITE}: {@code engine} runs JMH over the qualification engine, one thread,
 * in a forked JVM; {@code e2e} ({@link E2eBench}) and {@code webhook} ({@link WebhookBench}) run
 * the application against the emulators in real time. Progress goes to stderr so stdout holds only
 * the table, or with {@code --json} the JSON line. Exit code 1 when a target is missed.
 */
@Command(name = "bench", description = "Measure performance: engine (qualification throughput, JMH), "
        + "e2e (10,000 leads through intake, handoff, disposition and feedback against the emulators with "
        + "network latency, against a naive one-lead-per-call route), webhook (signed webhooks at a fixed rate, "
        + "receipt to Salesforce acknowledgement), backfill (--leads N, default 1,000,000, from the Marketo emulator's "
        + "bulk extract, in a child JVM with -Xmx256m). See docs/benchmarks.md.")
public final class BenchCommand implements Callable<Integer> {

    /** The design's target for the engine on one thread. */
    static final double TARGET_PER_SECOND = 1_000_000;
    static final String EVALUATE = "evaluate";
    static final String WITH_EXPLANATION = "evaluateWithExplanation";

    @Parameters(index = "0", paramLabel = "SUITE", description = "engine, e2e, webhook or backfill")
    String suite;

    @Option(names = "--json", description = "Print the suite's figures as one JSON object on the last line.")
    boolean json;

    @Option(names = "--leads", description = "e2e: leads through our pipeline (default 10,000); "
            + "backfill: leads in the Marketo emulator (default 1,000,000).")
    Integer leadsOption;

    int leads;

    @Option(names = "--naive-leads", defaultValue = "100", description = "e2e: leads through the naive route (default ${DEFAULT-VALUE}).")
    int naiveLeads;

    @Option(names = "--latency", defaultValue = "100ms", description = "e2e, webhook: delay the emulators add to every call (default ${DEFAULT-VALUE}).")
    String latency;

    @Option(names = "--rep-delay", defaultValue = "2s", description = "e2e: how long after a Lead is created its rep decides (default ${DEFAULT-VALUE}).")
    String repDelay;

    @Option(names = "--disposition-interval", defaultValue = "500ms",
            description = "e2e: handoff.disposition.interval for the run (default ${DEFAULT-VALUE}).")
    String dispositionInterval;

    @Option(names = "--rate", defaultValue = "50", description = "webhook: webhooks per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", description = "webhook: how long to send (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--batch-window", defaultValue = "500ms", description = "webhook: handoff.webhook.batch-window (default ${DEFAULT-VALUE}).")
    String batchWindow;

    @Option(names = "--seed", defaultValue = "7", description = "e2e, webhook: lead generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "15m", description = "e2e, webhook: give up after this long (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--definition", description = "Qualification definition (default: config/qualification.yaml).")
    Path definition;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up iterations (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", description = "Measurement iterations (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--time", defaultValue = "2s", description = "Time per iteration, e.g. 2s or 500ms (default ${DEFAULT-VALUE}).")
    String time;

    @Option(names = "--forks", defaultValue = "1",
            description = "Forked JVMs per benchmark; 0 measures in this JVM, which is less reliable (default ${DEFAULT-VALUE}).")
    int forks;

    @Spec
    CommandSpec spec;

    /** {@code bench backfill}: see {@link BackfillBench}. */
    private int backfill() throws Exception {
        int count = leadsOption == null ? 1_000_000 : leadsOption;
        if (count < 1 || count > 20_000_000) {
            throw new ConfigException("--leads", "must be 1 to 20,000,000, got " + count);
        }
        Path home = Path.of(System.getProperty("handoff.home", "."));
        BackfillBench.Outcome o = BackfillBench.run(count, seed, home, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(o.figures()));
        } else {
            o.figures().forEach((k, v) -> out.printf(Locale.ROOT, "%-28s %s%n", k, v));
        }
        out.flush();
        if (!o.passed()) {
            spec.commandLine().getErr().println("handoff bench backfill: FAILED: " + o.problem());
            return HandoffCli.RUNTIME_FAILURE;
        }
        return HandoffCli.OK;
    }

    /** One benchmark's figure: mean operations per second and the half-width of its 99.9% confidence interval. */
    record Figure(double perSecond, double error) {
    }

    @Override
    public Integer call() throws Exception {
        String s = suite.toLowerCase(Locale.ROOT);
        switch (s) {
            case "engine":
                return engine();
            case "e2e":
                leads = leadsOption == null ? 10_000 : leadsOption;
                return e2e();
            case "webhook":
                return webhook();
            case "backfill":
                return backfill();
            default:
                spec.commandLine().getErr().println("handoff bench: unknown suite '" + suite + "' (engine, e2e, backfill, webhook)");
                return HandoffCli.INVALID_INPUT;
        }
    }

    private Path definitionFile() {
        Path def = (definition != null ? definition : EngineBenchmark.definitionFile()).toAbsolutePath();
        if (!Files.isRegularFile(def)) {
            throw new ConfigException("--definition", def + " is not a file");
        }
        return def;
    }

    private static Duration positive(String option, String text) {
        Duration d = parseIterationTime(text);
        if (d == null) {
            throw new ConfigException(option, "'" + text + "' is not a positive duration like 2s or 500ms");
        }
        return d;
    }

    private static Duration notNegative(String option, String text) {
        Duration d = Settings.parseDuration(text);
        if (d == null || d.isNegative()) {
            throw new ConfigException(option, "'" + text + "' is not a duration like 100ms or 0s");
        }
        return d;
    }

    private Integer e2e() throws Exception {
        if (leads < 1 || naiveLeads < 1) {
            throw new ConfigException("--leads/--naive-leads", "need at least 1 lead each");
        }
        E2eBench.Options o = new E2eBench.Options(leads, naiveLeads, notNegative("--latency", latency),
                notNegative("--rep-delay", repDelay), positive("--disposition-interval", dispositionInterval), seed,
                definitionFile(), positive("--timeout", timeout), Files.createTempDirectory("handoff-bench-e2e-"));
        spec.commandLine().getErr().printf(Locale.ROOT, "handoff bench e2e: %d leads through the pipeline, then %d through the "
                + "naive route, %d ms latency per call%n", leads, naiveLeads, o.latency().toMillis());
        E2eBench.Report r = E2eBench.run(o);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? new ObjectMapper().writeValueAsString(r.json()) : e2eTable(r));
        out.flush();
        if (!r.met()) {
            spec.commandLine().getErr().println("handoff bench: FAILED: targets " + r.targets()
                    + (r.pipeline().problem() != null ? "; " + r.pipeline().problem() : "")
                    + (r.naive().problem() != null ? "; naive: " + r.naive().problem() : ""));
            return HandoffCli.RUNTIME_FAILURE;
        }
        return HandoffCli.OK;
    }

    static String e2eTable(E2eBench.Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-34s %14s %14s%n", "e2e (" + r.options().latency().toMillis() + " ms per call)",
                "handoff", "naive"));
        sb.append(String.format(Locale.ROOT, "%-34s %,14d %,14d%n", "leads", r.pipeline().leads(), r.naive().leads()));
        sb.append(String.format(Locale.ROOT, "%-34s %14.1f %14.1f%n", "wall time (s)", r.pipeline().wallSeconds(),
                r.naive().wallSeconds()));
        sb.append(String.format(Locale.ROOT, "%-34s %14.4f %14.4f%n", "seconds per lead", r.pipeline().secondsPerLead(),
                r.naive().secondsPerLead()));
        for (String system : r.pipeline().calls().keySet()) {
            sb.append(String.format(Locale.ROOT, "%-34s %,14d %,14d%n", system + " calls per 1,000 leads",
                    r.pipeline().callsPer1000().get(system), r.naive().callsPer1000().get(system)));
        }
        sb.append(String.format(Locale.ROOT, "%-34s %14s%n", "api calls / api floor", r.pipeline().calls() + " / " + r.apiFloor()));
        sb.append(String.format(Locale.ROOT, "%-34s %14.1f  (%s)%n", "time floor (s)", r.timeFloor().seconds(),
                r.timeFloor().binding()));
        sb.append(String.format(Locale.ROOT, "%-34s %14.2f%n", "wall / time floor", r.pipeline().wallSeconds() / r.timeFloor().seconds()));
        sb.append(String.format(Locale.ROOT, "%-34s %14.0fx%n", "per-lead ratio (naive / handoff)", r.ratio()));
        sb.append(String.format(Locale.ROOT, "%-34s %14d%n", "rate-limit violations", r.pipeline().violations()));
        sb.append("targets: ").append(r.targets());
        return sb.toString();
    }

    private Integer webhook() throws Exception {
        if (!(rate > 0 && rate <= 10_000)) {
            throw new ConfigException("--rate", rate + " is not between 0 and 10000 per second");
        }
        WebhookBench.Options o = new WebhookBench.Options(rate, positive("--duration", duration), notNegative("--latency", latency),
                notNegative("--batch-window", batchWindow), seed, definitionFile(), positive("--timeout", timeout),
                Files.createTempDirectory("handoff-bench-webhook-"));
        spec.commandLine().getErr().printf(Locale.ROOT, "handoff bench webhook: %.0f signed webhooks/s for %d s, batch window %d ms, "
                + "%d ms latency per Salesforce call%n", rate, o.duration().toSeconds(), o.batchWindow().toMillis(),
                o.latency().toMillis());
        WebhookBench.Report r = WebhookBench.run(o);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(r.json()));
        } else {
            out.printf(Locale.ROOT, "webhook -> Salesforce upsert acknowledged, %d leads at %.0f/s: p50 %d ms, p99 %d ms, max %d ms"
                    + "%ntarget p99 <= 2000 ms: %s%n", r.acknowledged(), rate, r.p50Millis(), r.p99Millis(), r.maxMillis(),
                    r.p99Millis() <= 2000 ? "met" : "NOT met");
        }
        out.flush();
        if (!r.met()) {
            spec.commandLine().getErr().println("handoff bench: FAILED: " + (r.problem() != null ? r.problem()
                    : "p99 " + r.p99Millis() + " ms is over 2000 ms"));
            return HandoffCli.RUNTIME_FAILURE;
        }
        return HandoffCli.OK;
    }

    private Integer engine() throws Exception {
        TimeValue iterationTime = iterationTime();
        if (warmup < 0 || iterations < 1 || forks < 0) {
            throw new ConfigException("--warmup/--iterations/--forks", "need warmup >= 0, iterations >= 1, forks >= 0");
        }
        Path def = definitionFile();
        // Loading here fails fast with the file and line instead of deep inside the forked JVM.
        dev.handoff.definition.DefinitionLoader.load(def);

        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(Pattern.quote(EngineBenchmark.class.getName()) + "\\.(" + EVALUATE + "|" + WITH_EXPLANATION + ")$")
                .threads(1)
                .forks(forks)
                .warmupIterations(warmup)
                .warmupTime(iterationTime)
                .measurementIterations(iterations)
                .measurementTime(iterationTime)
                // A fixed heap keeps GC behaviour the same from run to run and machine to machine.
                .jvmArgs("-Xms512m", "-Xmx512m", "-D" + EngineBenchmark.DEFINITION_PROPERTY + "=" + def)
                .shouldFailOnError(true);
        if (forks == 0) {
            System.setProperty(EngineBenchmark.DEFINITION_PROPERTY, def.toString());
        }
        PrintStream progress = System.err;
        Collection<RunResult> results = new Runner(options.build(),
                OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL)).run();
        Figure plain = figure(results, EVALUATE);
        Figure explained = figure(results, WITH_EXPLANATION);

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("evaluations_per_second", Math.round(plain.perSecond()));
            m.put("with_explanation_per_second", Math.round(explained.perSecond()));
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            out.println(table(plain, explained));
        }
        out.flush();
        if (plain.perSecond() < TARGET_PER_SECOND) {
            spec.commandLine().getErr().printf(Locale.ROOT, "handoff bench: FAILED: %,.0f evaluations/s is below the target of %,.0f%n",
                    plain.perSecond(), TARGET_PER_SECOND);
            return HandoffCli.RUNTIME_FAILURE;
        }
        return HandoffCli.OK;
    }

    private TimeValue iterationTime() {
        Duration d = parseIterationTime(time);
        if (d == null) {
            throw new ConfigException("--time", "'" + time + "' is not a positive duration like 2s or 500ms");
        }
        return TimeValue.milliseconds(d.toMillis());
    }

    static Duration parseIterationTime(String text) {
        Duration d = Settings.parseDuration(text);
        return d == null || d.isZero() || d.isNegative() || d.toMillis() == 0 ? null : d;
    }

    static Figure figure(Collection<RunResult> results, String method) {
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            if (name.endsWith("." + method)) {
                Result<?> p = r.getPrimaryResult();
                double error = p.getScoreError();
                return new Figure(p.getScore(), Double.isNaN(error) ? 0 : error);
            }
        }
        throw new IllegalStateException("JMH returned no result for " + method);
    }

    static String table(Figure plain, Figure explained) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-44s %16s %14s%n", "engine benchmark (1 thread)", "ops/s", "± 99.9% CI"));
        sb.append(String.format(Locale.ROOT, "%-44s %,16.0f %,14.0f%n", "evaluate (score, grade, MQL decision)",
                plain.perSecond(), plain.error()));
        sb.append(String.format(Locale.ROOT, "%-44s %,16.0f %,14.0f%n", "evaluate + shortText(1000) explanation",
                explained.perSecond(), explained.error()));
        sb.append(String.format(Locale.ROOT, "target: evaluate >= %,.0f/s: %s", TARGET_PER_SECOND,
                plain.perSecond() >= TARGET_PER_SECOND ? "met" : "NOT met"));
        return sb.toString();
    }
}
