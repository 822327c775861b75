package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.cli.HandoffCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code handoff demo} as a user runs it: the acceptance of the walking skeleton. */
class DemoIT {

    private static JsonNode demo(String... args) throws Exception {
        CommandLine cli = HandoffCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        List<String> lines = out.toString().lines().toList();
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    @Test
    void demoAccountsForEveryLeadWithoutDuplicatesAndRepeatsExactlyForTheSameSeed() throws Exception {
        JsonNode first = demo("demo", "--leads", "500", "--seed", "7", "--json");
        JsonNode second = demo("demo", "--leads", "500", "--seed", "7", "--json");

        assertThat(first.get("complete").asBoolean()).isTrue();
        assertThat(first.get("leads").asLong()).isEqualTo(500);
        assertThat(first.get("crm_duplicates").asLong()).isZero();
        assertThat(first.get("rate_limit_violations").asLong()).isZero();
        assertThat(first.get("rejected").asLong()).isPositive();
        assertThat(first.get("accepted").asLong()).isPositive();
        assertThat(first.get("feedback_written").asLong())
                .isEqualTo(first.get("accepted").asLong() + first.get("rejected").asLong());
        assertThat(first.get("leads").asLong()).isEqualTo(first.get("qualified").asLong()
                + first.get("not_qualified").asLong() + first.get("quarantined").asLong());
        // one emulated rep decides 30 h late: the SLA monitor flags those leads, the report is written
        assertThat(first.get("sla_breaches").asLong()).isPositive().isLessThan(first.get("handed_off").asLong());
        assertThat(java.nio.file.Path.of(first.get("report").asText())).isRegularFile()
                .content().startsWith("<!DOCTYPE html>").contains("id=\"chart-quantity\"");
        for (JsonNode run : List.of(first, second)) {
            for (String system : List.of("marketo", "salesforce")) {
                long calls = run.get("api_calls").get(system).asLong();
                long floor = run.get("api_floor").get(system).asLong();
                assertThat(floor).as(system + " floor").isPositive();
                assertThat((double) calls).as(system + " calls within 1.5 × floor").isLessThanOrEqualTo(1.5 * floor);
            }
        }
        // The business outcome repeats exactly for a seed. Call counts may differ by a batch: the
        // flows run concurrently, so whether a disposition is seen in the same simulated step as
        // its upsert depends on thread scheduling, which can split one feedback batch into two.
        for (String key : List.of("leads", "qualified", "not_qualified", "handed_off", "existing_contacts",
                "accepted", "rejected", "recycled", "feedback_written", "quarantined",
                "crm_duplicates", "sla_breaches")) {
            assertThat(second.get(key)).as(key).isEqualTo(first.get(key));
        }
    }

    @Test
    void malformedLeadsAreQuarantinedAndEveryOtherLeadStillFinishes() throws Exception {
        JsonNode r = demo("demo", "--leads", "120", "--seed", "11", "--bad-input", "12", "--json");

        assertThat(r.get("complete").asBoolean()).isTrue();
        assertThat(r.get("leads").asLong()).isEqualTo(132);
        assertThat(r.get("quarantined").asLong()).isEqualTo(12);
        assertThat(r.get("in_flight").asLong()).isZero();
        assertThat(r.get("feedback_written").asLong()).isEqualTo(r.get("accepted").asLong() + r.get("rejected").asLong());
    }

    @Test
    void underInjectedFaultsEveryLeadStillFinishesOnceAndSalesforceStaysFrugal() throws Exception {
        // without the slow rep, whose extra day of idle polls says nothing about the cost per lead
        JsonNode r = demo("demo", "--leads", "2000", "--seed", "5", "--faults", "0.05", "--slow-rep", "0s", "--json");

        assertThat(r.get("complete").asBoolean()).isTrue();
        assertThat(r.get("faults_injected").asLong()).isPositive();
        assertThat(r.get("crm_duplicates").asLong()).isZero();
        assertThat(r.get("rate_limit_violations").asLong()).isZero();
        assertThat(r.get("in_flight").asLong()).isZero();
        double perThousand = 1000.0 * r.get("api_calls").get("salesforce").asLong() / r.get("handed_off").asLong();
        assertThat(perThousand).as("Salesforce calls per 1,000 handed-off leads").isLessThanOrEqualTo(15);
    }

    @Test
    void hubSpotDemoAccountsForEveryLeadWithinHubSpotsLimits() throws Exception {
        JsonNode r = demo("demo", "--map", "hubspot", "--leads", "1000", "--seed", "7", "--json");

        assertThat(r.get("complete").asBoolean()).isTrue();
        assertThat(r.get("map").asText()).isEqualTo("hubspot");
        assertThat(r.get("rate_limit_violations").asLong()).isZero();
        assertThat(r.get("crm_duplicates").asLong()).isZero();
        assertThat(r.get("handed_off").asLong()).isPositive();
        assertThat(r.get("feedback_written").asLong()).isEqualTo(r.get("accepted").asLong() + r.get("rejected").asLong());
        long calls = r.get("api_calls").get("hubspot").asLong();
        assertThat((double) calls).isLessThanOrEqualTo(1.5 * r.get("api_floor").get("hubspot").asLong());
    }

    @Test
    void invalidOptionExitsWithTwoAndNamesIt() {
        CommandLine cli = HandoffCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("demo", "--leads", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--leads");
    }
}
