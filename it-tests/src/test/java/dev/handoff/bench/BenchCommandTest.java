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
    void laterSuitesAreRejectedAsNotAvailableYet() {
        assertThat(run("bench", "e2e")).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(err.toString()).contains("suite 'e2e' is not available yet");
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
