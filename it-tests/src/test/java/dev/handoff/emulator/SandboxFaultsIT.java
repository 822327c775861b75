package dev.handoff.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SandboxFaultsIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void injectFaultsReachesBothEmulatorsLeavesAuthCleanAndShowsInTheSandboxState() throws Exception {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-11-23T09:00:00Z"));
        try (Sandbox sandbox = new Sandbox(clock, SalesforceEmulator.Settings.defaults(),
                MarketoEmulator.Settings.defaults(), 0).start().injectFaults(1.0, 7)) {
            String sfToken = send(sandbox, HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/services/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "grant_type=client_credentials&client_id=handoff-client&client_secret=handoff-secret")));
            String mkToken = send(sandbox, HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                    + "/identity/oauth/token?grant_type=client_credentials&client_id=handoff-client"
                    + "&client_secret=handoff-secret")).GET());
            assertThat(sfToken).contains("access_token");
            assertThat(mkToken).contains("access_token");

            for (int i = 0; i < 3; i++) {
                send(sandbox, HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/services/Soap/u/65.0"))
                        .header("Content-Type", "text/xml; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString("<?xml version=\"1.0\"?><e:Envelope xmlns:e=\""
                                + "http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:partner.soap.sforce.com\">"
                                + "<e:Body><p:getServerTimestamp/></e:Body></e:Envelope>")));
                send(sandbox, HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/rest/v1/activities/types.json")).GET());
            }

            JsonNode state = new ObjectMapper().readTree(send(sandbox,
                    HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/sandbox/state")).GET()));
            assertThat(state.at("/salesforce/faults_injected").asLong()).isEqualTo(3);
            assertThat(state.at("/marketo/faults_injected").asLong()).isEqualTo(3);
            assertThat(state.at("/salesforce/limit_violations").asLong()).isZero();
            assertThat(state.at("/marketo/rate_limit_violations").asLong()).isZero();
            assertThat(sandbox.salesforce().authCalls()).isEqualTo(1);
            assertThat(sandbox.marketo().authCalls()).isEqualTo(1);

            sandbox.injectFaults(0, 7);
            assertThat(send(sandbox, HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/rest/v1/activities/types.json"))
                    .GET())).contains("\"code\":\"600\"");
        }
    }

    /** The body, or "" when the connection was reset. */
    private String send(Sandbox sandbox, HttpRequest.Builder request) throws InterruptedException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException reset) {
            return "";
        }
    }
}
