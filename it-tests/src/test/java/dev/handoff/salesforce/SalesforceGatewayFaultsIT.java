package dev.handoff.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.handoff.config.Settings;
import dev.handoff.emulator.FaultPlan;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator.InjectedFault;
import dev.handoff.error.ConnectorException;
import dev.handoff.salesforce.SalesforceGateway.CrmLead;
import dev.handoff.transport.JdkHttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@link SalesforceGateway} makes of the faults the issue-7 matrix adds: each one transient, each one named. */
class SalesforceGatewayFaultsIT {

    private static final SalesforceEmulator.Settings SF = SalesforceEmulator.Settings.defaults();
    private static final MarketoEmulator.Settings MK = MarketoEmulator.Settings.defaults();

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-23T09:00:00Z"));
    private Sandbox sandbox;

    @BeforeEach
    void startSandbox() {
        sandbox = new Sandbox(clock, SF, MK, 0).start();
    }

    @AfterEach
    void everyRequestWasServedByTheEmulator() {
        try {
            assertThat(sandbox.unmatchedRequests()).isEmpty();
        } finally {
            sandbox.close();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "TIMEOUT, IO, timed out",
            "HTTP_500, IO, HTML",
            "MALFORMED_RESPONSE, MALFORMED_RESPONSE, unreadable response to upsert"})
    void eachFaultFailsTheCallAsTransientWithAClearMessageAndTheNextCallSucceeds(String kind, String code, String says) {
        SalesforceGateway gateway = gateway();
        sandbox.salesforce().setFaults(new FaultPlan(0, 1).withBurst(1).onlyKinds(List.of(kind))
                .withTimeoutDelay(Duration.ofSeconds(3)));

        ConnectorException e = catchThrowableOfType(() -> gateway.upsertLeads(List.of(lead("a"))), ConnectorException.class);

        assertThat(e).as("upsert under %s", kind).isNotNull();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains(says);
        assertThat(sandbox.salesforce().faultsInjectedByKind()).containsEntry(InjectedFault.valueOf(kind), 1L);
        assertThat(gateway.upsertLeads(List.of(lead("a")))).singleElement().satisfies(o -> assertThat(o.success()).isTrue());
        assertThat(sandbox.salesforce().leads()).hasSize(1);
    }

    @Test
    void anExpiredSessionIsRenewedOnceAndTheCallReplayed() {
        SalesforceGateway gateway = gateway();
        sandbox.salesforce().setFaults(new FaultPlan(1.0, 3).onlyKinds(List.of("SESSION_EXPIRED")));

        gateway.upsertLeads(List.of(lead("a")));
        gateway.upsertLeads(List.of(lead("b")));

        assertThat(sandbox.salesforce().faultsInjectedByKind()).containsEntry(InjectedFault.SESSION_EXPIRED, 1L);
        assertThat(gateway.sessions()).as("a fresh session does not expire at once").isEqualTo(2);
        assertThat(sandbox.salesforce().leads()).hasSize(2);
    }

    private SalesforceGateway gateway() {
        Map<String, String> p = new HashMap<>(sandbox.connectorProperties(SF, MK));
        p.put("handoff.salesforce.timeout", "2s");
        p.put("handoff.salesforce.call-retries", "0");
        SalesforceConfig config = SalesforceConfig.from(new Settings(p));
        return new SalesforceGateway(config, new SalesforceAuthenticator(config, new JdkHttpTransport(Duration.ofSeconds(10))),
                clock);
    }

    private static CrmLead lead(String name) {
        return new CrmLead("mkto-" + name, Map.of("LastName", name, "Company", "Acme", "Email", name + "@acme.example"));
    }
}
