package dev.handoff.emulator.marketo;

import static dev.handoff.emulator.marketo.MarketoHarness.errorCode;
import static dev.handoff.emulator.marketo.MarketoHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MarketoIdentityIT {

    private final MarketoHarness m = new MarketoHarness();

    @AfterEach
    void stop() {
        m.close();
    }

    @Test
    void issuesBearerTokenForValidClientCredentials() {
        HttpResponse<String> r = m.identity("handoff-client", "handoff-secret");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = parse(r.body());
        assertThat(body.get("access_token").asText()).matches("[0-9a-f-]{36}:ab");
        assertThat(body.get("token_type").asText()).isEqualTo("bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(3599);
        assertThat(body.get("scope").asText()).isEqualTo("api@handoff.test");
        assertThat(m.emulator.authCalls()).isEqualTo(1);
        assertThat(m.emulator.apiCalls()).isZero();
    }

    @Test
    void acceptsCredentialsInPostBodyToo() {
        HttpResponse<String> r = m.send(HttpRequest.newBuilder(URI.create(m.base() + "/identity/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=handoff-client&client_secret=handoff-secret"))
                .build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(parse(r.body()).get("access_token").asText()).endsWith(":ab");
    }

    @Test
    void returnsSameTokenWithRemainingLifetimeBeforeExpiry() {
        String first = parse(m.identity("handoff-client", "handoff-secret").body()).get("access_token").asText();
        m.world.advance(Duration.ofMinutes(10));

        JsonNode again = parse(m.identity("handoff-client", "handoff-secret").body());

        assertThat(again.get("access_token").asText()).isEqualTo(first);
        assertThat(again.get("expires_in").asInt()).isEqualTo(3599 - 600);
    }

    @Test
    void expiredTokenIsRejectedWith602AndANewTokenIsIssued() {
        String old = m.token();
        assertThat(m.get("/rest/v1/leads/describe.json").get("success").asBoolean()).isTrue();

        m.world.advance(Duration.ofHours(1));

        assertThat(errorCode(m.getWith("/rest/v1/leads/describe.json", old))).isEqualTo("602");
        JsonNode renewed = parse(m.identity("handoff-client", "handoff-secret").body());
        assertThat(renewed.get("access_token").asText()).isNotEqualTo(old);
        assertThat(renewed.get("expires_in").asInt()).isEqualTo(3599);
        assertThat(m.getWith("/rest/v1/leads/describe.json", renewed.get("access_token").asText())
                .get("success").asBoolean()).isTrue();
    }

    @Test
    void unknownTokenIsRejectedWith601AndMissingTokenWith600() {
        JsonNode unknown = m.getWith("/rest/v1/leads/describe.json", "00000000-0000-0000-0000-000000000000:ab");
        JsonNode missing = m.getWith("/rest/v1/leads/describe.json", null);

        assertThat(errorCode(unknown)).isEqualTo("601");
        assertThat(unknown.get("errors").get(0).get("message").asText()).isEqualTo("Access token invalid");
        assertThat(unknown.get("requestId").asText()).contains("#");
        assertThat(errorCode(missing)).isEqualTo("600");
    }

    @Test
    void badClientCredentialsGet401InvalidClient() {
        HttpResponse<String> r = m.identity("handoff-client", "wrong");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(parse(r.body()).get("error").asText()).isEqualTo("invalid_client");
        assertThat(m.emulator.authCalls()).isEqualTo(1);
    }

    @Test
    void rejectedTokensDoNotCountTowardTheRateLimit() {
        MarketoHarness tight = new MarketoHarness(new MarketoEmulator.Settings("handoff-client", "handoff-secret",
                2, Duration.ofSeconds(20), 10, 50_000));
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(errorCode(tight.getWith("/rest/v1/leads/describe.json", "bogus:ab"))).isEqualTo("601");
            }
            assertThat(tight.get("/rest/v1/leads/describe.json").get("success").asBoolean()).isTrue();
            assertThat(tight.emulator.rateLimitViolations()).isZero();
            assertThat(tight.emulator.apiCalls()).isEqualTo(6);
        } finally {
            tight.close();
        }
    }
}
