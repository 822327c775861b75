package dev.handoff.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.transport.HttpRequest;
import dev.handoff.transport.HttpResponse;
import dev.handoff.transport.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Gets a Salesforce session: OAuth 2.0 client credentials or JWT bearer against
 * {@code /services/oauth2/token} (access token + instance URL), or SOAP {@code login()} for
 * sandboxes on older API versions. The result drives WSC's session id and endpoint.
 */
public final class SalesforceAuthenticator {

    /** What a token response gives us. The token never prints. */
    public record Session(String accessToken, String instanceUrl, String userId, String serviceEndpoint) {
        public Session(String accessToken, String instanceUrl, String userId) {
            this(accessToken, instanceUrl, userId, null);
        }

        @Override
        public String toString() {
            return "Session[******, " + instanceUrl + ", user " + userId + "]";
        }
    }

    private final SalesforceConfig config;
    private final HttpTransport transport;
    private final java.time.Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public SalesforceAuthenticator(SalesforceConfig config, HttpTransport transport) {
        this(config, transport, java.time.Clock.systemUTC());
    }

    public SalesforceAuthenticator(SalesforceConfig config, HttpTransport transport, java.time.Clock clock) {
        this.config = config;
        this.transport = transport;
        this.clock = clock;
    }

    public Session authenticate() {
        return switch (config.auth()) {
            case CLIENT_CREDENTIALS -> token("grant_type=client_credentials&client_id=" + enc(config.clientId())
                    + "&client_secret=" + enc(config.clientSecret().reveal()));
            case JWT -> token("grant_type=" + enc("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion="
                    + enc(JwtAssertion.sign(config.clientId(), config.username(), config.jwtAudience(),
                            clock.instant().plusSeconds(180), config.jwtPrivateKey())));
            case PASSWORD -> soapLogin();
        };
    }

    /** SOAP login(): exists up to API 64.0 only (PROTOCOLS §0), kept for sandboxes that still have it. */
    private Session soapLogin() {
        com.sforce.ws.ConnectorConfig cc = new com.sforce.ws.ConnectorConfig();
        cc.setManualLogin(true);
        cc.setServiceEndpoint(config.tokenUrl() + "/services/Soap/u/" + config.apiVersion());
        try {
            com.sforce.soap.partner.PartnerConnection c = com.sforce.soap.partner.Connector.newConnection(cc);
            com.sforce.soap.partner.LoginResult r = c.login(config.username(), config.password().reveal());
            String server = r.getServerUrl();
            String instance = server.substring(0, server.indexOf("/services/"));
            return new Session(r.getSessionId(), instance, r.getUserId(), server);
        } catch (com.sforce.soap.partner.fault.LoginFault e) {
            throw new ConnectorException(SalesforceGateway.SYSTEM, "INVALID_LOGIN", ErrorClass.FATAL,
                    "SOAP login refused for user " + config.username() + ": " + e.getExceptionMessage(), null);
        } catch (com.sforce.ws.ConnectionException e) {
            throw new ConnectorException(SalesforceGateway.SYSTEM, "IO", ErrorClass.TRANSIENT,
                    "SOAP login at " + config.tokenUrl() + " failed: " + e.getMessage(), null);
        }
    }

    private Session token(String form) {
        URI uri = URI.create(config.tokenUrl() + "/services/oauth2/token");
        HttpResponse response;
        try {
            response = transport.send(HttpRequest.post(uri, Map.of("Accept", "application/json"),
                    "application/x-www-form-urlencoded", form));
        } catch (IOException e) {
            throw new ConnectorException(SalesforceGateway.SYSTEM, "IO", ErrorClass.TRANSIENT,
                    "token endpoint " + uri + " unreachable: " + e.getMessage(), e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.status() != 200) {
            String error = body == null ? "HTTP_" + response.status() : body.path("error").asText("HTTP_" + response.status());
            String description = body == null ? "" : body.path("error_description").asText("");
            ErrorClass c = response.status() >= 500 ? ErrorClass.TRANSIENT : ErrorClass.FATAL;
            throw new ConnectorException(SalesforceGateway.SYSTEM, error, c,
                    "OAuth token request (" + config.auth().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                            + ") for client id " + config.clientId() + " refused: " + description, null);
        }
        if (body == null || !body.path("access_token").isTextual() || !body.path("instance_url").isTextual()) {
            throw new ConnectorException(SalesforceGateway.SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT,
                    "token response lacks access_token or instance_url", null);
        }
        String identity = body.path("id").asText("");
        String userId = identity.contains("/") ? identity.substring(identity.lastIndexOf('/') + 1) : null;
        return new Session(body.get("access_token").asText(), body.get("instance_url").asText(), userId);
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
