package dev.handoff.emulator.marketo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.handoff.emulator.marketo.MarketoHarness.assertSuccess;
import static dev.handoff.emulator.marketo.MarketoHarness.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.extension.Parameters;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MarketoLimitsIT {

    @Test
    void the101stCallWithinTwentySecondsGets606UntilTheWindowPasses() {
        try (MarketoHarness m = new MarketoHarness()) {
            for (int i = 0; i < 100; i++) {
                assertSuccess(m.get("/rest/v1/activities/types.json"));
                m.rate.advance(Duration.ofMillis(150));
            }

            JsonNode refused = m.get("/rest/v1/activities/types.json");

            assertThat(errorCode(refused)).isEqualTo("606");
            assertThat(refused.get("errors").get(0).get("message").asText())
                    .isEqualTo("Max rate limit '100' exceeded with in '20' secs");
            assertThat(m.emulator.rateLimitViolations()).isEqualTo(1);
            assertThat(m.emulator.apiCalls()).isEqualTo(101);

            m.rate.advance(Duration.ofSeconds(21));

            assertSuccess(m.get("/rest/v1/activities/types.json"));
            assertThat(m.emulator.rateLimitViolations()).isEqualTo(1);
            assertThat(m.emulator.state()).containsEntry("rate_limit_violations", 1L);
        }
    }

    @Test
    void windowRollsSoOldCallsStopCounting() {
        try (MarketoHarness m = new MarketoHarness()) {
            for (int i = 0; i < 100; i++) {
                assertSuccess(m.get("/rest/v1/activities/types.json"));
                m.rate.advance(Duration.ofMillis(250));
            }
            // 25 s have passed: the 21 calls made at 0 s to 5 s are 20 s old or more and no longer
            // count, so exactly 21 more fit.
            for (int i = 0; i < 21; i++) {
                assertSuccess(m.get("/rest/v1/activities/types.json"));
            }
            assertThat(errorCode(m.get("/rest/v1/activities/types.json"))).isEqualTo("606");
        }
    }

    @Test
    void dailyQuotaExhaustedGives607UntilMidnightCentral() {
        MarketoEmulator.Settings tinyQuota = new MarketoEmulator.Settings("handoff-client", "handoff-secret", 100,
                Duration.ofSeconds(20), 10, 3);
        try (MarketoHarness m = new MarketoHarness(tinyQuota)) {
            for (int i = 0; i < 3; i++) {
                assertSuccess(m.get("/rest/v1/activities/types.json"));
            }
            assertThat(errorCode(m.get("/rest/v1/activities/types.json"))).isEqualTo("607");
            assertThat(m.emulator.rateLimitViolations()).isZero();

            // START is 09:00 UTC = 03:00 in Chicago; 21 hours later is past midnight there.
            m.world.advance(Duration.ofMinutes(50));
            m.world.advance(Duration.ofHours(20).plusMinutes(20));
            String fresh = MarketoHarness.parse(m.identity("handoff-client", "handoff-secret").body())
                    .get("access_token").asText();
            assertSuccess(m.getWith("/rest/v1/activities/types.json", fresh));
        }
    }

    @Test
    void moreConcurrentRequestsThanAllowedGet615AndCapacityReturnsWhenTheyFinish() {
        MarketoEmulator.Settings oneAtATime = new MarketoEmulator.Settings("handoff-client", "handoff-secret", 100,
                Duration.ofSeconds(20), 1, 50_000);
        MarketoEmulator probe = new MarketoEmulator(java.time.Clock.systemUTC(), java.time.Clock.systemUTC(),
                oneAtATime);
        List<com.github.tomakehurst.wiremock.stubbing.StubMapping> slowRest = new ArrayList<>();
        slowRest.add(probe.stubs().get(0));
        // A slow REST stub keeps requests in flight long enough to overlap, even on a loaded machine.
        slowRest.add(any(urlPathMatching("/rest(/.*)?"))
                .willReturn(aResponse().withTransformers(MarketoEmulator.NAME).withFixedDelay(2_000))
                .withServeEventListener(MarketoEmulator.NAME, Parameters.empty()).build());
        try (MarketoHarness m = new MarketoHarness(oneAtATime, slowRest)) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(m.base() + "/rest/v1/activities/types.json"))
                    .header("Authorization", "Bearer " + m.token()).GET().build();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(m.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            List<String> outcomes = calls.stream().map(CompletableFuture::join)
                    .map(r -> MarketoHarness.parse(r.body()))
                    .map(b -> b.get("success").asBoolean() ? "ok" : b.get("errors").get(0).get("code").asText())
                    .toList();

            assertThat(outcomes).contains("615").contains("ok");
            assertThat(m.emulator.rateLimitViolations()).isEqualTo(outcomes.stream().filter("615"::equals).count());

            // Once every response has been sent, nothing is in flight: sequential calls pass.
            for (int i = 0; i < 3; i++) {
                assertSuccess(m.get("/rest/v1/activities/types.json"));
            }
        }
    }
}
