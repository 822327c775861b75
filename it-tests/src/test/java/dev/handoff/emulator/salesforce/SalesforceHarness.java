package dev.handoff.emulator.salesforce;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.sobject.SObject;
import com.sforce.ws.ConnectionException;
import com.sforce.ws.ConnectorConfig;
import dev.handoff.emulator.VirtualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Salesforce emulator on its own WireMock server, with WSC and raw-HTTP clients for it. */
final class SalesforceHarness implements AutoCloseable {

    static final String EXT = "Handoff_External_Id__c";
    static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

    final VirtualClock clock;
    final SalesforceEmulator emulator;
    final WireMockServer server;
    final String base;
    final HttpClient http = HttpClient.newHttpClient();

    SalesforceHarness(SalesforceEmulator.Settings settings) {
        this(new VirtualClock(START), settings);
    }

    SalesforceHarness(VirtualClock clock, SalesforceEmulator.Settings settings) {
        this.clock = clock;
        this.emulator = new SalesforceEmulator(clock, settings);
        this.server = new WireMockServer(options().dynamicPort().extensions(emulator));
        server.start();
        emulator.stubs().forEach(server::addStubMapping);
        base = "http://localhost:" + server.port();
    }

    PartnerConnection connect() throws Exception {
        return connect(token());
    }

    PartnerConnection connect(String token) throws ConnectionException {
        ConnectorConfig cfg = new ConnectorConfig();
        cfg.setSessionId(token);
        cfg.setServiceEndpoint(base + "/services/Soap/u/65.0");
        return new PartnerConnection(cfg);
    }

    HttpResponse<String> tokenResponse() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=handoff-client&client_secret=handoff-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    String token() throws IOException, InterruptedException {
        HttpResponse<String> r = tokenResponse();
        assertThat(r.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(r.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** A raw SOAP query, as any client would post it, so headers and status are visible. */
    HttpResponse<String> rawQuery(String token, String soql) throws IOException, InterruptedException {
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><env:Envelope"
                + " xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:partner.soap.sforce.com\">"
                + "<env:Header><p:SessionHeader><p:sessionId>" + token + "</p:sessionId></p:SessionHeader></env:Header>"
                + "<env:Body><p:query><p:queryString>" + soql + "</p:queryString></p:query></env:Body></env:Envelope>";
        return http.send(HttpRequest.newBuilder(URI.create(base + "/services/Soap/u/65.0"))
                .header("Content-Type", "text/xml; charset=UTF-8").header("SOAPAction", "\"\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static SObject lead(String externalId, String lastName, String company, String email) {
        SObject s = new SObject("Lead");
        s.setField(EXT, externalId);
        s.setField("LastName", lastName);
        s.setField("Company", company);
        if (email != null) {
            s.setField("Email", email);
        }
        return s;
    }

    @Override
    public void close() {
        try {
            assertThat(server.findAllUnmatchedRequests()).isEmpty();
        } finally {
            server.stop();
        }
    }
}
