package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ValidateCommandTest {

    static final String DEFAULT = "../config/qualification.yaml";
    static final String BROKEN = "../connector/src/test/resources/definitions/broken/";

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cli = HandoffCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void validDefinitionExitsZeroAndSaysOkWithItsLabel() {
        int code = run("validate", DEFAULT);

        assertThat(code).isEqualTo(HandoffCli.OK);
        assertThat(out.toString()).isEqualTo(DEFAULT + ": ok (acme-mql@v3)" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void brokenDefinitionExitsTwoWithOneLinePerProblemAtItsKey() {
        String file = BROKEN + "several-problems.yaml";

        int code = run("validate", file);

        assertThat(code).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                file + ":11:1: version: 'one' is not a whole number",
                file + ":16:21: fit.criteria[0].field: unknown lead field 'anual_revenue' (did you mean annual_revenue?)",
                file + ":16:81: fit.criteria[0].bands[1].min: band mins must be strictly descending (highest first):"
                        + " 50000000 is not below 10000000",
                file + ":17:37: fit.criteria[1].matches: bad regex \"(?i)(vp|chief\": Unclosed group near index 13",
                file + ":18:82: fit.criteria[2].weight: unknown key 'weight' (expected one of: all, any, bands, equals, exists,"
                        + " field, id, in, in_list, matches, points)",
                file + ":20:66: fit.disqualify[0].reason: reject reason 'NOT_A_REASON' is not defined in reject_reasons"
                        + " (defined: NOT_RIGHT_FIT, OTHER)",
                file + ":33:3: sla.accept_within: expected a duration like 30m, 24h, 2d or 1d12h, got \"one day\"");
    }

    @Test
    void everyFileIsCheckedAndOneBrokenFileMakesTheRunFail() {
        String broken = BROKEN + "unknown-field.yaml";

        int code = run("validate", DEFAULT, broken);

        assertThat(code).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(out.toString()).contains(DEFAULT + ": ok (acme-mql@v3)");
        assertThat(err.toString().lines()).containsExactly(
                broken + ":10:21: fit.criteria[0].field: unknown lead field 'anual_revenue' (did you mean annual_revenue?)");
    }

    @Test
    void missingFileIsInvalidInputNamingTheFile() {
        String absent = Path.of("no-such-definition.yaml").toString();

        int code = run("validate", absent);

        assertThat(code).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(err.toString()).startsWith(absent + ":0:0: (document): cannot read the definition file");
    }

    @Test
    void validateWithoutFilesIsAUsageError() {
        assertThat(run("validate")).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(err.toString()).contains("FILE");
    }
}
