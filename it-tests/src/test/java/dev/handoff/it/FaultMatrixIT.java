package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.cli.HandoffCli;
import dev.handoff.emulator.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The fault matrix (issue 7): the whole demo pipeline against the emulators under each transient
 * fault kind alone, then all of them together, then an outage. Every run must converge: every
 * lead accounted for, no duplicate Lead in Salesforce, no rate limit broken, every sales verdict
 * written back to the marketing platform, and the faults really injected.
 */
class FaultMatrixIT {

    /** Each kind at a high rate on a small run; a burst of one call makes sure each one really happens. */
    private static final int LEADS_ALONE = 150;
    private static final String RATE_ALONE = "0.2";
    /** A timeout costs the client its whole (shortened) read timeout: fewer of them. */
    private static final String RATE_TIMEOUT = "0.05";

    static Stream<Arguments> eachKind() {
        List<Arguments> runs = new ArrayList<>();
        for (String kind : List.of(
                // Salesforce
                "RECORD_LOCK", "CONCURRENT_REQUEST_LIMIT", "SERVER_UNAVAILABLE", "HTTP_503",
                // Marketo
                "RATE_LIMIT_606", "CONCURRENCY_615", "TIMEOUT_604", "UNAVAILABLE_608", "BAD_GATEWAY_502",
                // both
                "CONNECTION_RESET", "TIMEOUT", "HTTP_500", "SESSION_EXPIRED", "MALFORMED_RESPONSE")) {
            runs.add(Arguments.of(kind, "marketo"));
        }
        for (String kind : List.of("RATE_LIMIT_429", "UNAVAILABLE_503", "MALFORMED_RESPONSE")) {
            runs.add(Arguments.of(kind, "hubspot"));
        }
        return runs.stream();
    }

    @Test
    void theMatrixCoversEveryKindTheEmulatorsKnow() {
        Set<String> covered = new TreeSet<>();
        eachKind().forEach(a -> covered.add((String) a.get()[0]));
        assertThat(covered).isEqualTo(Sandbox.faultKinds());
    }

    @ParameterizedTest(name = "{0} alone ({1})")
    @MethodSource("eachKind")
    void eachFaultKindAloneStillAccountsForEveryLeadOnce(String kind, String map) throws Exception {
        JsonNode r = demo("--map", map, "--leads", String.valueOf(LEADS_ALONE), "--seed", "23",
                "--faults", kind.equals("TIMEOUT") ? RATE_TIMEOUT : RATE_ALONE, "--fault-burst", "1",
                "--fault-kinds", kind);

        assertConverged(r, LEADS_ALONE);
        assertThat(injected(r, kind)).as("%s faults injected", kind).isPositive();
        assertThat(r.get("faults_injected").asLong()).as("only %s was injected", kind).isEqualTo(injected(r, kind));
    }

    @ParameterizedTest(name = "all kinds at 5% ({0}, {1} leads)")
    @MethodSource("together")
    void allKindsTogetherAtFivePercentStillAccountForEveryLeadOnce(String map, int leads) throws Exception {
        JsonNode r = demo("--map", map, "--leads", String.valueOf(leads), "--seed", "5", "--faults", "0.05");

        assertConverged(r, leads);
        assertThat(r.get("faults_injected").asLong()).isPositive();
    }

    static Stream<Arguments> together() {
        return Stream.of(Arguments.of("marketo", 1000), Arguments.of("hubspot", 1000));
    }

    @Test
    void anOutageOpensTheSalesforceCircuitWhichClosesAgainOnceSalesforceAnswers() throws Exception {
        // Salesforce answers SERVER_UNAVAILABLE to its first 12 calls, then is healthy; Marketo is never faulted.
        JsonNode r = demo("--leads", "200", "--seed", "31", "--faults", "0", "--fault-burst", "12",
                "--fault-kinds", "SERVER_UNAVAILABLE");

        assertConverged(r, 200);
        assertThat(r.at("/faults_by_kind/salesforce/SERVER_UNAVAILABLE").asLong()).isEqualTo(12);
        JsonNode salesforce = r.at("/circuit_breakers/salesforce");
        assertThat(salesforce.get("opened").asLong()).as("opened").isPositive();
        assertThat(salesforce.get("half_opened").asLong()).as("half-opened").isPositive();
        assertThat(salesforce.get("closed").asLong()).as("closed again").isPositive();
        assertThat(salesforce.get("rejected").asLong()).as("calls failed fast while open").isPositive();
        assertThat(salesforce.get("state").asText()).isEqualTo("CLOSED");
        assertThat(r.at("/circuit_breakers/marketo/opened").asLong()).isZero();
        assertThat(r.at("/circuit_breakers/marketo/state").asText()).isEqualTo("CLOSED");
    }

    @Test
    void anUnknownFaultKindExitsWithTwoAndNamesTheOptionAndTheKnownKinds() {
        CommandLine cli = HandoffCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("demo", "--fault-kinds", "TIMEOUT,LOST_IN_SPACE")).isEqualTo(2);
        assertThat(err.toString()).contains("--fault-kinds", "LOST_IN_SPACE", "RECORD_LOCK");
    }

    private static void assertConverged(JsonNode r, int leads) {
        assertThat(r.get("complete").asBoolean()).as("complete").isTrue();
        assertThat(r.get("leads").asLong()).as("leads").isEqualTo(leads);
        assertThat(r.get("in_flight").asLong()).as("in flight").isZero();
        assertThat(r.get("quarantined").asLong()).as("quarantined: a transient fault never quarantines a lead").isZero();
        assertThat(r.get("qualified").asLong() + r.get("not_qualified").asLong()).as("qualified + not qualified")
                .isEqualTo(leads);
        assertThat(r.get("handed_off").asLong() + r.get("existing_contacts").asLong()).as("every MQL handed off or told")
                .isEqualTo(r.get("qualified").asLong());
        assertThat(r.get("crm_duplicates").asLong()).as("duplicate Leads in Salesforce").isZero();
        assertThat(r.get("rate_limit_violations").asLong()).as("rate limit violations").isZero();
        assertThat(r.get("feedback_written").asLong()).as("every verdict written back")
                .isEqualTo(r.get("accepted").asLong() + r.get("rejected").asLong())
                .isEqualTo(r.get("handed_off").asLong());
        assertThat(r.get("existing_contacts_told").asLong()).as("marketing told about existing contacts")
                .isEqualTo(r.get("existing_contacts").asLong());
    }

    private static long injected(JsonNode r, String kind) {
        long n = 0;
        for (JsonNode bySystem : r.get("faults_by_kind")) {
            n += bySystem.path(kind).asLong(0);
        }
        return n;
    }

    private static JsonNode demo(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("demo", "--json"));
        args.addAll(List.of(options));
        CommandLine cli = HandoffCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args.toArray(String[]::new));
        List<String> lines = out.toString().lines().toList();
        assertThat(exit).as("exit code; stderr: %s; stdout: %s", err, lines.isEmpty() ? "" : lines.get(lines.size() - 1))
                .isZero();
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }
}
