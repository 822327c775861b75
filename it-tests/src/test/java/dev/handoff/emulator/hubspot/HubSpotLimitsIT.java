package dev.handoff.emulator.hubspot;

import static dev.handoff.emulator.hubspot.HubSpotHarness.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HubSpotLimitsIT {

    private static final String SEARCH = "/crm/v3/objects/contacts/search";

    @Test
    void the101stCallWithinTenSecondsIs429TenSecondlyRollingUntilTheWindowPasses() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            for (int i = 0; i < 100; i++) {
                HttpResponse<String> ok = h.get("/crm/v3/properties/contacts/email");
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.headers().firstValue("X-HubSpot-RateLimit-Max")).hasValue("100");
                assertThat(ok.headers().firstValue("X-HubSpot-RateLimit-Remaining")).hasValue(Integer.toString(99 - i));
                assertThat(ok.headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")).hasValue("10000");
                h.rate.advance(Duration.ofMillis(50));
            }

            HttpResponse<String> refused = h.get("/crm/v3/properties/contacts/email");
            JsonNode error = body(refused, 429);
            assertThat(error.get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
            assertThat(error.get("errorType").asText()).isEqualTo("RATE_LIMIT");
            assertThat(error.get("message").asText()).isEqualTo("You have reached your ten_secondly_rolling limit.");
            assertThat(refused.headers().firstValue("X-HubSpot-RateLimit-Remaining")).hasValue("0");
            assertThat(h.emulator.rateLimitViolations()).isEqualTo(1);
            assertThat(h.emulator.state()).containsEntry("rate_limit_violations", 1L).containsEntry("calls", 101L);

            h.rate.advance(Duration.ofSeconds(10));
            assertThat(h.get("/crm/v3/properties/contacts/email").statusCode()).isEqualTo(200);
            assertThat(h.emulator.rateLimitViolations()).isEqualTo(1);
        }
    }

    @Test
    void theSixthSearchWithinASecondIs429SecondlyAndSearchesCarryNoRateLimitHeaders() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> ok = h.post(SEARCH, "{}");
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.headers().firstValue("X-HubSpot-RateLimit-Remaining")).isEmpty();
                h.rate.advance(Duration.ofMillis(100));
            }

            JsonNode error = body(h.post(SEARCH, "{}"), 429);
            assertThat(error.get("policyName").asText()).isEqualTo("SECONDLY");
            assertThat(error.get("message").asText()).isEqualTo("You have reached your secondly limit.");
            assertThat(h.emulator.rateLimitViolations()).isEqualTo(1);
            assertThat(h.get("/crm/v3/properties/contacts").statusCode())
                    .as("the search limit leaves other endpoints alone").isEqualTo(200);

            h.rate.advance(Duration.ofMillis(600));
            assertThat(h.post(SEARCH, "{}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void limitsAreSettings() {
        HubSpotEmulator.Settings professional = new HubSpotEmulator.Settings("handoff-hubspot-token", 190,
                Duration.ofSeconds(10), 5, 100, 10_000);
        try (HubSpotHarness h = new HubSpotHarness(professional)) {
            for (int i = 0; i < 190; i++) {
                assertThat(h.get("/crm/v3/properties/contacts/groups").statusCode()).isEqualTo(200);
            }
            assertThat(h.get("/crm/v3/properties/contacts/groups").statusCode()).isEqualTo(429);
        }
    }
}
