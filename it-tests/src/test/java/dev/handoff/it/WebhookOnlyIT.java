package dev.handoff.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.handoff.config.Secret;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.webhook.WebhookVerifier;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** handoff.map=webhook: no MAP is polled; a signed lead comes in, its verdict goes out to the callback. */
class WebhookOnlyIT {

    private static final String SECRET = "webhook-only-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void pushedLeadIsHandedOffAndItsVerdictIsPostedToTheSignedCallback() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmulatedWorld world = new EmulatedWorld(dir, 31).withWebhooks(port, SECRET, "generic")) {
            world.sandbox.server().stubFor(post(urlPathEqualTo("/crm-feedback")).willReturn(aResponse().withStatus(204)));
            world.extraProperties.put("handoff.map", "webhook");
            world.extraProperties.put("handoff.webhook.feedback-url", world.sandbox.baseUrl() + "/crm-feedback");
            world.startApplication();

            String body = "{\"id\":\"w-1001\",\"fields\":{\"email\":\"ana.rivera@initech.example\",\"first_name\":\"Ana\","
                    + "\"last_name\":\"Rivera\",\"company\":\"Initech Software\",\"title\":\"VP Marketing\","
                    + "\"industry\":\"Software\",\"country\":\"US\",\"annual_revenue\":\"80000000\",\"employees\":\"900\"},"
                    + "\"activities\":[{\"id\":\"a1\",\"type\":\"pricing_page_visit\",\"at\":\"" + world.clock.instant().minusSeconds(86400)
                    + "\"},{\"id\":\"a2\",\"type\":\"webinar_attended\",\"at\":\"" + world.clock.instant().minusSeconds(3600) + "\"}]}";
            long ts = world.clock.instant().getEpochSecond();
            HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/webhooks/generic"))
                    .header("Content-Type", "application/json")
                    .header(WebhookVerifier.SIGNATURE_HEADER,
                            WebhookVerifier.signGeneric(Secret.of(SECRET), ts, body.getBytes(StandardCharsets.UTF_8)))
                    .header(WebhookVerifier.TIMESTAMP_HEADER, String.valueOf(ts))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).isEqualTo(202);

            world.cycle();
            world.cycle();

            LedgerLead lead = world.app().ledger().lead("w-1001").orElseThrow();
            assertThat(lead.state()).isIn(LeadState.ACCEPTED, LeadState.REJECTED);
            assertThat(world.sandbox.salesforce().countLeadsWithExternalId("w-1001")).isEqualTo(1);
            List<LoggedRequest> callbacks = world.sandbox.server().findAll(postRequestedFor(urlPathEqualTo("/crm-feedback")));
            assertThat(callbacks).isNotEmpty();
            LoggedRequest last = callbacks.get(callbacks.size() - 1);
            assertThat(last.getHeader(WebhookVerifier.SIGNATURE_HEADER)).startsWith("sha256=");
            assertThat(new ObjectMapper().readTree(last.getBodyAsString()).toString())
                    .contains("w-1001").contains(lead.salesStatus());
        }
    }
}
