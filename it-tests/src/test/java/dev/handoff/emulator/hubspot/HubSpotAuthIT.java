package dev.handoff.emulator.hubspot;

import static dev.handoff.emulator.hubspot.HubSpotHarness.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class HubSpotAuthIT {

    @Test
    void missingOrWrongTokenIs401InvalidAuthenticationAndUsesNoRateWindow() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            JsonNode missing = body(h.postWith("/crm/v3/objects/contacts/search", "{}", null), 401);
            JsonNode wrong = body(h.postWith("/crm/v3/objects/contacts/batch/read", "{\"inputs\":[]}", "nope"), 401);

            for (JsonNode error : new JsonNode[] {missing, wrong}) {
                assertThat(error.get("status").asText()).isEqualTo("error");
                assertThat(error.get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
                assertThat(error.get("message").asText()).startsWith("Authentication credentials not found");
                assertThat(error.get("correlationId").asText()).isNotBlank();
            }
            assertThat(h.emulator.apiCalls()).isEqualTo(2);

            var ok = h.get("/crm/v3/properties/contacts");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("X-HubSpot-RateLimit-Remaining")).hasValue("99");
        }
    }

    @Test
    void aBasicOrQueryParameterCredentialIsNotAPrivateAppToken() {
        try (HubSpotHarness h = new HubSpotHarness()) {
            var basic = h.send(HttpRequest.newBuilder(URI.create(h.server.baseUrl()
                    + "/crm/v3/properties/contacts?hapikey=" + HubSpotHarness.TOKEN))
                    .header("Authorization", "Basic " + HubSpotHarness.TOKEN).GET().build());
            assertThat(basic.statusCode()).isEqualTo(401);
        }
    }
}
