package dev.handoff.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.cli.HandoffCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Both real-time suites end to end with small parameters: the JSON line carries every figure and
 * the figures that do not depend on the machine's speed hold. Timing targets are not asserted.
 */
class BenchSuitesIT {

    private JsonNode run(String... args) throws Exception {
        CommandLine cli = HandoffCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        String[] lines = out.toString().strip().split("\n");
        assertThat(code).as("exit code; stderr: %s", err).isIn(HandoffCli.OK, HandoffCli.RUNTIME_FAILURE);
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void e2eReportsWallTimeFloorRatioAndCallsWithinTheFloor() throws Exception {
        JsonNode r = run("bench", "e2e", "--leads", "1000", "--naive-leads", "10", "--latency", "20ms", "--rep-delay", "1s",
                "--timeout", "4m", "--json");

        for (String key : List.of("wall_s", "time_floor_s", "naive_wall_s", "ratio", "api_calls", "api_floor",
                "rate_limit_violations", "calls_per_1000_leads", "naive_calls_per_1000_leads")) {
            assertThat(r.has(key)).as(key).isTrue();
        }
        assertThat(r.path("complete").asBoolean()).as("both routes finished: %s", r).isTrue();
        assertThat(r.path("rate_limit_violations").asLong()).isZero();
        assertThat(r.path("time_floor_s").asDouble()).isPositive();
        assertThat(r.path("wall_s").asDouble()).isGreaterThanOrEqualTo(r.path("time_floor_s").asDouble());
        assertThat(r.path("ratio").asDouble()).isPositive();
        for (String system : List.of("marketo", "salesforce")) {
            long calls = r.path("api_calls").path(system).asLong();
            long floor = r.path("api_floor").path(system).asLong();
            assertThat(floor).as(system + " floor").isPositive();
            assertThat(calls).as(system + " calls against floor %d", floor).isLessThanOrEqualTo((long) Math.floor(1.2 * floor));
        }
        // the naive route makes at least two Marketo calls per lead (the lead, its activities)
        assertThat(r.path("naive_api_calls").path("marketo").asLong()).isGreaterThanOrEqualTo(20);
        assertThat(r.path("handed_off").asLong()).isPositive();
        // the test JVM runs without ./handoff's class-data-sharing archive, and says so
        assertThat(r.path("class_archive").isBoolean()).as("class_archive in %s", r).isTrue();
        assertThat(r.path("class_archive").asBoolean()).isFalse();
    }

    @Test
    void webhookReportsPercentilesForEveryLeadSent() throws Exception {
        JsonNode r = run("bench", "webhook", "--duration", "5s", "--rate", "20", "--latency", "20ms", "--timeout", "2m", "--json");

        assertThat(r.path("sent").asInt()).isEqualTo(100);
        assertThat(r.path("accepted").asInt()).isEqualTo(100);
        assertThat(r.path("acknowledged").asInt()).as("every pushed MQL reached Salesforce: %s", r).isEqualTo(100);
        assertThat(r.path("p50_ms").asLong()).isPositive();
        assertThat(r.path("p99_ms").asLong()).isGreaterThanOrEqualTo(r.path("p50_ms").asLong());
        assertThat(r.path("max_ms").asLong()).isGreaterThanOrEqualTo(r.path("p99_ms").asLong());
        assertThat(r.path("rate_limit_violations").asLong()).isZero();
        assertThat(r.path("salesforce_calls").asLong()).as("batched: far fewer upserts than leads").isLessThan(100);
    }
}
