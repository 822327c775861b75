package dev.handoff.emulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.emulator.FaultPlan;
import dev.handoff.emulator.hubspot.HubSpotEmulator.InjectedFault;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HubSpotFaultsIT {

    private static final String UPDATE = "{\"inputs\":[{\"id\":\"1\",\"properties\":{\"hs_lead_status\":\"OPEN\"}}]}";

    @Test
    void everyFaultKindAppearsChangesNothingAndIsNoViolation() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            h.emulator.addContact(Map.of("email", "f@acme.example"), HubSpotHarness.START);
            h.emulator.setFaults(new FaultPlan(1.0, 17).withTimeoutDelay(java.time.Duration.ofMillis(50)));
            Set<String> seen = new TreeSet<>();
            for (int call = 0; call < 200; call++) {
                seen.add(outcome(() -> h.post("/crm/v3/objects/contacts/batch/update", UPDATE)));
            }

            assertThat(seen).containsExactlyInAnyOrder("429", "500", "502", "503", "504", "200-truncated", "reset");
            assertThat(h.emulator.contact("1").orElseThrow()).doesNotContainKey("hs_lead_status");
            assertThat(h.emulator.faultsInjected()).isEqualTo(200).isEqualTo(h.emulator.apiCalls());
            assertThat(h.emulator.faultsInjectedByKind().keySet()).containsExactlyInAnyOrder(InjectedFault.values());
            assertThat(h.emulator.rateLimitViolations()).isZero();
            assertThat(h.emulator.state()).containsEntry("faults_injected", 200L)
                    .containsEntry("rate_limit_violations", 0L);

            h.emulator.setFaults(FaultPlan.none());
            assertThat(h.post("/crm/v3/objects/contacts/batch/update", UPDATE).statusCode())
                    .as("200 faulted calls used no rate window").isEqualTo(200);
        }
    }

    @Test
    void theSameSeedFaultsTheSameCalls() {
        assertThat(outcomes(99)).isEqualTo(outcomes(99)).isNotEqualTo(outcomes(100)).contains("200")
                .anyMatch(o -> !o.equals("200"));
    }

    private static List<String> outcomes(long seed) {
        try (HubSpotHarness h = new HubSpotHarness()) {
            h.emulator.setFaults(new FaultPlan(0.3, seed).withTimeoutDelay(java.time.Duration.ofMillis(50)));
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                out.add(outcome(() -> h.get("/crm/v3/properties/contacts/email")));
            }
            return out;
        }
    }

    /** The status; {@code 200-truncated} for a 200 whose JSON body is cut off; {@code reset}. */
    private static String outcome(Supplier<HttpResponse<String>> call) {
        HttpResponse<String> r;
        try {
            r = call.get();
        } catch (UncheckedIOException reset) {
            return "reset";
        }
        if (r.statusCode() == 200) {
            try {
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            } catch (java.io.IOException truncated) {
                return "200-truncated";
            }
        }
        return Integer.toString(r.statusCode());
    }
}
