package dev.handoff.emulator.marketo;

import static dev.handoff.emulator.marketo.MarketoHarness.assertSuccess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.emulator.FaultPlan;
import dev.handoff.emulator.marketo.MarketoEmulator.InjectedFault;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarketoFaultInjectionIT {

    private static final java.time.Duration SHORT_DELAY = java.time.Duration.ofMillis(50);

    @Test
    void everyInjectedFaultKindAppearsAndAFaultedSyncCreatesNoLead() {
        try (MarketoHarness m = new MarketoHarness()) {
            m.token();
            m.emulator.setFaults(new FaultPlan(1.0, 17).withTimeoutDelay(SHORT_DELAY));
            Set<String> seen = new java.util.TreeSet<>();
            // SESSION_EXPIRED only strikes a token that has served a call: never here, where every call faults.
            for (int call = 0; call < 100 && seen.size() < InjectedFault.values().length - 1; call++) {
                String outcome = outcome(sync(m, "fault" + call + "@acme.example"));
                seen.add(outcome);
                assertThat(m.emulator.state().get("leads")).asList().isEmpty();
            }

            assertThat(seen).containsExactlyInAnyOrder("606", "615", "604", "608", "http-502", "reset", "http-504",
                    "http-500", "truncated");
            assertThat(m.emulator.faultsInjected()).isEqualTo(m.emulator.apiCalls());
            assertThat(m.emulator.faultsInjectedByKind().keySet()).containsExactlyInAnyOrderElementsOf(
                    java.util.EnumSet.complementOf(java.util.EnumSet.of(InjectedFault.SESSION_EXPIRED)));
            assertThat(m.emulator.rateLimitViolations()).as("injected 606/615 are not the client's breaches").isZero();
            assertThat(m.emulator.state()).containsEntry("rate_limit_violations", 0L)
                    .containsEntry("faults_injected", m.emulator.faultsInjected());
        }
    }

    @Test
    void injectedFaultsUseNeitherTheRateWindowNorTheQuota() {
        try (MarketoHarness m = new MarketoHarness()) {
            m.token();
            m.emulator.setFaults(new FaultPlan(1.0, 2).withTimeoutDelay(SHORT_DELAY));
            for (int i = 0; i < 150; i++) {
                outcome(sync(m, "x@acme.example"));
            }
            m.emulator.setFaults(FaultPlan.none());

            for (int i = 0; i < 100; i++) {
                assertSuccess(m.get("/rest/v1/activities/types.json"));
            }
            assertThat(m.emulator.rateLimitViolations()).isZero();
        }
    }

    @Test
    void theSameSeedFaultsTheSameCallsInTheSameWay() {
        List<String> first = outcomes(99);
        List<String> again = outcomes(99);
        List<String> other = outcomes(100);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first).contains("ok").anyMatch(o -> !o.equals("ok"));
    }

    @Test
    void anExpiredTokenAnswers601Or602AndStaysDeadWhileIdentityIssuesANewOne() {
        try (MarketoHarness m = new MarketoHarness()) {
            String token = m.token();
            m.emulator.setFaults(new FaultPlan(1.0, 4).onlyKinds(List.of("SESSION_EXPIRED")));
            String fresh = outcome(sync(m, "first@acme.example"));
            String expired = outcome(sync(m, "second@acme.example"));
            m.emulator.setFaults(FaultPlan.none());

            assertThat(fresh).as("a token that has served no call yet does not expire").isEqualTo("ok");
            assertThat(expired).isIn("601", "602");
            assertThat(m.emulator.faultsInjectedByKind()).containsEntry(InjectedFault.SESSION_EXPIRED, 1L);
            assertThat(outcome(() -> m.send(HttpRequest.newBuilder(URI.create(m.base() + "/rest/v1/activities/types.json"))
                    .header("Authorization", "Bearer " + token).GET().build()))).isEqualTo("601");
            String renewed = MarketoHarness.parse(m.identity("handoff-client", "handoff-secret").body())
                    .get("access_token").asText();
            assertThat(renewed).isNotEqualTo(token);
        }
    }

    @Test
    void identityStaysCleanUnlessThePlanCoversAuth() {
        try (MarketoHarness m = new MarketoHarness()) {
            m.emulator.setFaults(new FaultPlan(1.0, 8));
            for (int i = 0; i < 10; i++) {
                assertThat(m.identity("handoff-client", "handoff-secret").statusCode()).isEqualTo(200);
            }
            assertThat(m.emulator.faultsInjected()).isZero();

            m.emulator.setFaults(new FaultPlan(1.0, 8).withAuthFaults());
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                try {
                    outcomes.add(Integer.toString(m.identity("handoff-client", "handoff-secret").statusCode()));
                } catch (UncheckedIOException reset) {
                    outcomes.add("reset");
                }
            }
            assertThat(outcomes).containsOnly("502", "reset").contains("502", "reset");
            assertThat(m.emulator.apiCalls()).isZero();
        }
    }

    private static List<String> outcomes(long seed) {
        try (MarketoHarness m = new MarketoHarness()) {
            m.token();
            m.emulator.setFaults(new FaultPlan(0.25, seed).withTimeoutDelay(SHORT_DELAY));
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                out.add(outcome(() -> m.send(HttpRequest.newBuilder(URI.create(m.base() + "/rest/v1/activities/types.json"))
                        .header("Authorization", "Bearer " + m.token()).GET().build())));
            }
            return out;
        }
    }

    private static java.util.function.Supplier<HttpResponse<String>> sync(MarketoHarness m, String email) {
        return () -> m.send(HttpRequest.newBuilder(URI.create(m.base() + "/rest/v1/leads.json"))
                .header("Authorization", "Bearer " + m.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":[{\"email\":\"" + email + "\"}]}")).build());
    }

    /** "ok", the error code of a success:false envelope, "http-<status>" or "reset". */
    private static String outcome(java.util.function.Supplier<HttpResponse<String>> call) {
        HttpResponse<String> r;
        try {
            r = call.get();
        } catch (UncheckedIOException reset) {
            return "reset";
        }
        if (r.statusCode() != 200) {
            assertThat(r.body()).contains("<html>");
            return "http-" + r.statusCode();
        }
        JsonNode body;
        try {
            body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        } catch (java.io.IOException truncated) {
            return "truncated";
        }
        return body.get("success").asBoolean() ? "ok" : body.get("errors").get(0).get("code").asText();
    }
}
