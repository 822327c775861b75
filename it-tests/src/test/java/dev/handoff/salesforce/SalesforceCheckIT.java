package dev.handoff.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.cli.HandoffCli;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code handoff check} end to end: the CLI against the sandbox's Salesforce and Marketo
 * emulators, with a properties file as an admin would write it. Runs with the repository root as
 * working directory (the definition is {@code config/qualification.yaml}).
 */
class SalesforceCheckIT {

    private static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    private static final MarketoEmulator.Settings MK = MarketoEmulator.Settings.defaults();

    @TempDir
    Path dir;

    private final VirtualClock clock = new VirtualClock(START);
    private Sandbox sandbox;

    @AfterEach
    void stopSandbox() {
        if (sandbox != null) {
            try {
                assertThat(sandbox.unmatchedRequests()).isEmpty();
            } finally {
                sandbox.close();
            }
        }
    }

    @Test
    void checkPassesAgainstTheSandbox() throws IOException {
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults();
        Run run = check(start(sf), sf, Map.of());

        assertThat(run.exit()).as(run.out()).isEqualTo(HandoffCli.OK);
        assertThat(run.failed()).as(run.out()).isEmpty();
        assertThat(run.out()).contains("✔ Salesforce token — obtained for client id " + sf.clientId())
                .contains("✔ Lead describable")
                .contains("✔ Lead.Handoff_External_Id__c external id — string(255), external id, unique")
                .contains("✔ Lead.Handoff_Explanation__c — textarea(1000), createable, updateable")
                .contains("✔ Lead.Handoff_Grade__c")
                .contains("✔ Lead.Handoff_Definition_Version__c")
                .contains("✔ Lead.Handoff_SLA_Due__c — datetime")
                .contains("✔ Lead.Status picklist — holds " + sf.acceptedStatus() + ", " + sf.rejectedStatus())
                .contains("✔ Lead.Reject_Reason__c picklist — holds all 7 reject reasons")
                .contains("✔ Lead.Reject_Comment__c readable")
                .contains("✔ Contact describable")
                .contains("✔ Marketo token")
                .contains("✔ Marketo feedback fields — handoffAcceptedAt, handoffOutcome, handoffOutcomeAmount, handoffRejectComment")
                .contains("handoff check: all ");
        // Opportunity comes with the outcome flow: until the org has it, it is reported, not failed.
        assertThat(run.lines()).filteredOn(l -> l.contains("Opportunity describable")).singleElement()
                .satisfies(l -> assertThat(l).matches("(✔ .*|– .*\\(not checked\\); to enable: .*)"));
        assertThat(run.lines()).filteredOn(l -> l.startsWith("✔ Lead.")).hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    void checkFailsWithAHintWhenTheRejectReasonPicklistLacksAReasonOfTheDefinition() throws IOException {
        SalesforceEmulator.Settings defaults = SalesforceEmulator.Settings.defaults();
        List<String> withoutNoBudget = defaults.rejectReasons().stream().filter(r -> !r.equals("NO_BUDGET")).toList();
        SalesforceEmulator.Settings sf = defaults.withReps(withoutNoBudget, defaults.poorFitReasons(),
                defaults.repDelayMin(), defaults.repDelayMax(), defaults.seed());

        Run run = check(start(sf), sf, Map.of());

        assertThat(run.exit()).as(run.out()).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(run.failed()).as(run.out()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("✘ Lead.Reject_Reason__c picklist — lacks NO_BUDGET")
                .contains("; fix: add 'NO_BUDGET' to the Reject_Reason__c picklist values"));
        assertThat(run.out()).contains("1 of ").contains("checks failed");
    }

    @Test
    void checkFailsWhenTheStatusPicklistLacksTheConfiguredAcceptedStatus() throws IOException {
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults();

        Run run = check(start(sf), sf, Map.of("handoff.salesforce.accepted-statuses", "Qualified"));

        assertThat(run.exit()).as(run.out()).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(run.failed()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("✘ Lead.Status picklist — lacks Qualified; fix: add 'Qualified' to the Lead Status picklist"));
    }

    @Test
    void checkFailsWhenTheExternalIdFieldIsNotAnExternalId() throws IOException {
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults();

        Run run = check(start(sf), sf, Map.of("handoff.salesforce.external-id-field", "Handoff_Grade__c"));

        assertThat(run.exit()).as(run.out()).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(run.failed()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("✘ Lead.Handoff_Grade__c external id — not marked External ID, not Unique")
                .contains("fix: in Setup › Object Manager › Lead › Fields"));
    }

    @Test
    void checkFailsOnRefusedSalesforceCredentialsAsAConfigurationProblem() throws IOException {
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults();

        Run run = check(start(sf), sf, Map.of("handoff.salesforce.client-secret", "wrong"));

        assertThat(run.exit()).as(run.out()).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(run.failed()).singleElement().satisfies(l -> assertThat(l).startsWith("✘ Salesforce token")
                .contains("invalid_client").contains("fix: check handoff.salesforce.client-id and client-secret"));
        assertThat(run.out()).contains("✔ Marketo token");
    }

    @Test
    void checkExitsOneWhenTheSalesforceTokenUrlIsUnreachable() throws IOException {
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }

        Run run = check(start(sf), sf, Map.of("handoff.salesforce.token-url", "http://127.0.0.1:" + closedPort));

        assertThat(run.exit()).as(run.out()).isEqualTo(HandoffCli.RUNTIME_FAILURE);
        assertThat(run.failed()).singleElement().satisfies(l -> assertThat(l).startsWith("✘ Salesforce token")
                .contains("fix: check handoff.salesforce.token-url (http://127.0.0.1:" + closedPort + ")"));
        assertThat(run.out()).contains("a system could not be reached");
    }

    @Test
    void checkRejectsAMissingConfigurationFileWithExitTwo() {
        Run run = run("check", "--config", dir.resolve("absent.properties").toString());

        assertThat(run.exit()).isEqualTo(HandoffCli.INVALID_INPUT);
        assertThat(run.err()).contains("invalid configuration").contains("absent.properties");
    }

    @Test
    void checkCostsOneTokenAndThreeDescribesOnSalesforce() throws IOException {
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults();
        Sandbox s = start(sf);

        check(s, sf, Map.of());

        assertThat(s.salesforce().apiCalls()).isEqualTo(3);
        @SuppressWarnings("unchecked")
        Map<String, Long> byOperation = (Map<String, Long>) s.salesforce().state().get("calls_by_operation");
        assertThat(byOperation).containsEntry("describeSObject", 3L).hasSize(1);
        assertThat(s.salesforce().leads()).as("check writes nothing").isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Sandbox start(SalesforceEmulator.Settings sf) {
        sandbox = new Sandbox(clock, sf, MK, 0).start();
        return sandbox;
    }

    private Run check(Sandbox s, SalesforceEmulator.Settings sf, Map<String, String> overrides) throws IOException {
        Map<String, String> p = new LinkedHashMap<>(s.connectorProperties(sf, MK));
        p.put("handoff.definition", "config/qualification.yaml");
        p.putAll(overrides);
        Path file = dir.resolve("handoff.properties");
        Files.writeString(file, p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        return run("check", "--config", file.toString());
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = HandoffCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().map(String::strip).toList();
        }

        List<String> failed() {
            return lines().stream().filter(l -> l.startsWith("✘")).toList();
        }
    }
}
