package dev.handoff.marketo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.handoff.config.Settings;
import dev.handoff.emulator.FaultPlan;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.marketo.MarketoEmulator.InjectedFault;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.error.ConnectorException;
import dev.handoff.transport.CircuitBreakerSettings;
import dev.handoff.transport.JdkHttpTransport;
import dev.handoff.transport.SystemCircuit;
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

/** {@link MarketoClient} under the faults the issue-7 matrix adds, and behind its circuit breaker. */
class MarketoClientFaultsIT {

    private static final SalesforceEmulator.Settings SF = SalesforceEmulator.Settings.defaults();
    private static final MarketoEmulator.Settings MK = MarketoEmulator.Settings.defaults();

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-02T09:00:00Z"));
    private Sandbox sandbox;
    private MarketoEmulator emulator;

    @BeforeEach
    void startSandbox() {
        sandbox = new Sandbox(clock, SF, MK, 0).start();
        emulator = sandbox.marketo();
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
            "HTTP_500, HTTP_500, HTTP 500",
            "MALFORMED_RESPONSE, MALFORMED_RESPONSE, unreadable response body"})
    void eachFaultFailsTheCallAsTransientWithAClearMessageAndTheNextCallSucceeds(String kind, String code, String says) {
        MarketoClient client = client(SystemCircuit.alwaysClosed(MarketoClient.SYSTEM));
        client.describeLeadFields();
        emulator.setFaults(new FaultPlan(0, 1).withBurst(1).onlyKinds(List.of(kind))
                .withTimeoutDelay(Duration.ofSeconds(3)));

        ConnectorException e = catchThrowableOfType(client::describeLeadFields, ConnectorException.class);

        assertThat(e).as("call under %s", kind).isNotNull();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains(says).contains("/rest/v1/leads/describe.json");
        assertThat(emulator.faultsInjectedByKind()).containsEntry(InjectedFault.valueOf(kind), 1L);
        assertThat(client.describeLeadFields()).contains("email");
    }

    @Test
    void anExpiredTokenIsRenewedOnceAndTheCallReplayed() {
        MarketoClient client = client(SystemCircuit.alwaysClosed(MarketoClient.SYSTEM));
        emulator.setFaults(new FaultPlan(1.0, 3).onlyKinds(List.of("SESSION_EXPIRED")));

        assertThat(client.describeLeadFields()).contains("email");
        assertThat(client.describeLeadFields()).contains("email");

        assertThat(emulator.faultsInjectedByKind()).containsEntry(InjectedFault.SESSION_EXPIRED, 1L);
        assertThat(emulator.authCalls()).as("one token, then one renewal").isEqualTo(2);
    }

    @Test
    void anOutageOpensTheCircuitSoCallsFailFastUntilTheWaitHasPassedOnTheClientClock() {
        SystemCircuit circuit = SystemCircuit.of(MarketoClient.SYSTEM,
                new CircuitBreakerSettings(true, 100, 2, 2, Duration.ofSeconds(30), 1), clock);
        MarketoClient client = client(circuit);
        client.describeLeadFields();
        emulator.setFaults(new FaultPlan(0, 1).withBurst(2).onlyKinds(List.of("UNAVAILABLE_608")));

        for (int i = 0; i < 2; i++) {
            assertThat(catchThrowableOfType(client::describeLeadFields, ConnectorException.class).code()).isEqualTo("608");
        }
        long reached = emulator.apiCalls();
        ConnectorException fast = catchThrowableOfType(client::describeLeadFields, ConnectorException.class);

        assertThat(fast.code()).isEqualTo(SystemCircuit.OPEN_CODE);
        assertThat(fast.isTransient()).isTrue();
        assertThat(emulator.apiCalls()).as("an open circuit sends nothing").isEqualTo(reached);

        clock.advance(Duration.ofSeconds(31));
        assertThat(client.describeLeadFields()).contains("email");
        assertThat(circuit.status()).isEqualTo(new SystemCircuit.Status("CLOSED", 1, 1, 1, 1));
    }

    private MarketoClient client(SystemCircuit circuit) {
        Map<String, String> p = new HashMap<>(sandbox.connectorProperties(SF, MK));
        p.put("handoff.marketo.timeout", "2s");
        return new MarketoClient(MarketoConfig.from(new Settings(p)), new JdkHttpTransport(Duration.ofSeconds(2)), clock,
                circuit);
    }
}
