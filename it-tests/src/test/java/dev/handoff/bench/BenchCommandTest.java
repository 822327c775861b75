package dev.handoff.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.cli.HandoffCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = HandoffCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    @Test
    void anUnknownSuiteIsRefusedNamingTheSuites() {
        assertThat(run("bench", "everything")).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(err.toString()).contains("unknown suite 'everything'").contains("backfill");
    }

    @Test
    void backfillRefusesALeadCountOutOfRangeNamingTheOption() {
        assertThat(run("bench", "backfill", "--leads", "0")).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(err.toString()).contains("--leads");
    }

    @Test
    void badDurationsAreRefusedNamingTheOption() {
        assertThat(run("bench", "e2e", "--latency", "soon")).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(err.toString()).contains("--latency");
        assertThat(run("bench", "webhook", "--duration", "0s")).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(err.toString()).contains("--duration");
    }

    @Test
    void timeFloorIsTheRateLimitWhenMarketoCallsSpanSeveralWindows() {
        TimeFloor f = TimeFloor.of(212, 165, java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2), 100,
                java.time.Duration.ofSeconds(20), 10);
        assertThat(f.seconds()).isCloseTo(40.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f.binding()).isEqualTo("marketo rate limit");
    }

    @Test
    void timeFloorIsTheDependencyChainWhenFewCallsAreNeeded() {
        TimeFloor f = TimeFloor.of(8, 2, java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2), 100,
                java.time.Duration.ofSeconds(20), 10);
        // two pages, read, dedupe, upsert, decision, disposition read, feedback write
        assertThat(f.seconds()).isCloseTo(2.7, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f.binding()).isEqualTo("dependencies");
    }

    @Test
    void percentileIsNearestRank() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = i + 1;
        }
        assertThat(WebhookBench.percentile(values, 50)).isEqualTo(50);
        assertThat(WebhookBench.percentile(values, 99)).isEqualTo(99);
        assertThat(WebhookBench.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(WebhookBench.percentile(new long[0], 50)).isZero();
    }

    @Test
    void unknownSuiteIsInvalidInput() {
        assertThat(run("bench", "everything")).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(err.toString()).contains("unknown suite 'everything'");
    }

    @Test
    void benchLeadsHaveTenActivitiesEachAndAreTheSameForTheSameSeed() {
        List<BenchLeads.Scored> a = BenchLeads.generate(7, 50);
        List<BenchLeads.Scored> b = BenchLeads.generate(7, 50);

        assertThat(a).hasSize(50).allSatisfy(s -> assertThat(s.activities()).hasSize(BenchLeads.ACTIVITIES_PER_LEAD));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void tableReportsBothFiguresAndTheTarget() {
        String table = BenchCommand.table(new BenchCommand.Figure(1_234_567, 1_000), new BenchCommand.Figure(90_000, 500));

        assertThat(table).contains("1,234,567").contains("90,000").contains("met");
    }
}
