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
 * {@code handoff bench engine}: JMH over the qualification engine, one thread, in a forked JVM.
 * JMH's progress goes to stderr so stdout holds only the table, or with {@code --json} the JSON line.
 */
@Command(name = "bench", description = "Measure performance: engine (qualification throughput, JMH), "
        + "backfill (--leads N from the Marketo emulator's bulk extract, in a child JVM with -Xmx256m). "
        + "The e2e and webhook suites are not available yet.")
public final class BenchCommand implements Callable<Integer> {

    /** The design's target for the engine on one thread. */
    static final double TARGET_PER_SECOND = 1_000_000;
    static final String EVALUATE = "evaluate";
    static final String WITH_EXPLANATION = "evaluateWithExplanation";

    @Parameters(index = "0", paramLabel = "SUITE", description = "engine or backfill (e2e, webhook: not available yet)")
    String suite;

    @Option(names = "--json", description = "Print {\"evaluations_per_second\": N, \"with_explanation_per_second\": M} on the last line.")
    boolean json;

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

    @Option(names = "--leads", defaultValue = "1000000", description = "backfill: leads in the Marketo emulator (default ${DEFAULT-VALUE}).")
    int leads;

    @Option(names = "--seed", defaultValue = "7", description = "backfill: seed of the generated leads (default ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    /** {@code bench backfill}: see {@link BackfillBench}. */
    private int backfill() throws Exception {
        if (leads < 1 || leads > 20_000_000) {
            throw new ConfigException("--leads", "must be 1 to 20,000,000, got " + leads);
        }
        Path home = Path.of(System.getProperty("handoff.home", "."));
        BackfillBench.Outcome o = BackfillBench.run(leads, seed, home, spec.commandLine().getErr());
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
        if (s.equals("backfill")) {
            return backfill();
        }
        if (s.equals("e2e") || s.equals("webhook")) {
            spec.commandLine().getErr().println("handoff bench: suite '" + suite + "' is not available yet");
            return HandoffCli.INVALID_INPUT;
        }
        if (!s.equals("engine")) {
            spec.commandLine().getErr().println("handoff bench: unknown suite '" + suite + "' (engine, e2e, backfill, webhook)");
            return HandoffCli.INVALID_INPUT;
        }
        TimeValue iterationTime = iterationTime();
        if (warmup < 0 || iterations < 1 || forks < 0) {
            throw new ConfigException("--warmup/--iterations/--forks", "need warmup >= 0, iterations >= 1, forks >= 0");
        }
        Path def = (definition != null ? definition : EngineBenchmark.definitionFile()).toAbsolutePath();
        if (!Files.isRegularFile(def)) {
            throw new ConfigException("--definition", def + " is not a file");
        }
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
