package dev.handoff.bench;

import dev.handoff.definition.DefinitionLoader;
import dev.handoff.engine.Activity;
import dev.handoff.engine.Lead;
import dev.handoff.engine.Qualification;
import dev.handoff.engine.QualificationEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Qualification throughput on one thread: the default definition compiled once, 1,024 demo leads
 * with 10 activities each scored round-robin. {@link #evaluate} is what the handoff flow does per
 * lead before deciding; {@link #evaluateWithExplanation} adds rendering the CRM explanation text,
 * which the flow does only for leads it writes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

    /** System property naming the definition file; the CLI sets it for the forked JVM. */
    public static final String DEFINITION_PROPERTY = "handoff.bench.definition";
    static final int LEADS = 1024;

    private QualificationEngine engine;
    private Lead[] leads;
    private List<Activity>[] activities;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void compileDefinitionAndBuildLeads() {
        engine = new QualificationEngine(DefinitionLoader.load(definitionFile()));
        List<BenchLeads.Scored> scored = BenchLeads.generate(7, LEADS);
        leads = new Lead[LEADS];
        activities = new List[LEADS];
        for (int i = 0; i < LEADS; i++) {
            leads[i] = scored.get(i).lead();
            activities[i] = scored.get(i).activities();
        }
    }

    static Path definitionFile() {
        String explicit = System.getProperty(DEFINITION_PROPERTY);
        if (explicit != null) {
            return Path.of(explicit);
        }
        return Path.of(System.getProperty("handoff.home", ".")).resolve("config/qualification.yaml");
    }

    @Benchmark
    public Qualification evaluate() {
        int i = next++ & (LEADS - 1);
        return engine.evaluate(leads[i], activities[i], BenchLeads.NOW);
    }

    @Benchmark
    public String evaluateWithExplanation() {
        int i = next++ & (LEADS - 1);
        return engine.evaluate(leads[i], activities[i], BenchLeads.NOW).explanation().shortText(1000);
    }
}
