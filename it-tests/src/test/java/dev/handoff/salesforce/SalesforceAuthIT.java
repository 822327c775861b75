package dev.handoff.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.handoff.config.Settings;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.transport.JdkHttpTransport;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The three ways to a Salesforce session, each driving a real upsert through WSC. */
class SalesforceAuthIT {

    private static final SalesforceEmulator.Settings SF = SalesforceEmulator.Settings.defaults();
    private static final MarketoEmulator.Settings MK = MarketoEmulator.Settings.defaults();

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-23T09:00:00Z"));
    private Sandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = new Sandbox(clock, SF, MK, 0).start();
    }

    @AfterEach
    void stop() {
        try {
            assertThat(sandbox.unmatchedRequests()).isEmpty();
        } finally {
            sandbox.close();
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private SalesforceGateway gateway(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(sandbox.connectorProperties(SF, MK));
        p.putAll(overrides);
        SalesforceConfig config = SalesforceConfig.from(new Settings(p));
        return new SalesforceGateway(config,
                new SalesforceAuthenticator(config, new JdkHttpTransport(Duration.ofSeconds(10)), clock), clock);
    }

    private static List<SalesforceGateway.CrmLead> oneLead() {
        return List.of(new SalesforceGateway.CrmLead("77", Map.of("LastName", "Jwt", "Company", "Acme",
                "Email", "jwt@acme.example")));
    }

    @Test
    void jwtBearerAssertionSignedWithTheAppKeyOpensASession() throws Exception {
        KeyPair keys = rsa();
        sandbox.salesforce().trustJwtSigner(keys.getPublic(), "https://login.salesforce.com");
        SalesforceGateway gateway = gateway(Map.of("handoff.salesforce.auth", "jwt",
                "handoff.salesforce.username", SF.username(), "handoff.salesforce.jwt.private-key", pem(keys)));

        assertThat(gateway.upsertLeads(oneLead())).singleElement().satisfies(o -> assertThat(o.success()).isTrue());
        assertThat(sandbox.salesforce().authCalls()).isEqualTo(1);
    }

    @Test
    void jwtSignedWithAnotherKeyIsRefusedAsFatalWithoutLeakingTheKey() throws Exception {
        KeyPair trusted = rsa();
        KeyPair other = rsa();
        sandbox.salesforce().trustJwtSigner(trusted.getPublic(), "https://login.salesforce.com");
        String otherPem = pem(other);
        SalesforceGateway gateway = gateway(Map.of("handoff.salesforce.auth", "jwt",
                "handoff.salesforce.username", SF.username(), "handoff.salesforce.jwt.private-key", otherPem));

        ConnectorException e = catchThrowableOfType(() -> gateway.upsertLeads(oneLead()), ConnectorException.class);

        assertThat(e.code()).isEqualTo("invalid_grant");
        assertThat(e.errorClass()).isEqualTo(ErrorClass.FATAL);
        assertThat(e.getMessage()).doesNotContain(otherPem.substring(40, 80));
        assertThat(sandbox.salesforce().apiCalls()).isZero();
    }

    @Test
    void jwtForAnotherUserIsRefused() throws Exception {
        KeyPair keys = rsa();
        sandbox.salesforce().trustJwtSigner(keys.getPublic(), "https://login.salesforce.com");
        SalesforceGateway gateway = gateway(Map.of("handoff.salesforce.auth", "jwt",
                "handoff.salesforce.username", "someone.else@acme.example", "handoff.salesforce.jwt.private-key", pem(keys)));

        assertThat(catchThrowableOfType(() -> gateway.upsertLeads(oneLead()), ConnectorException.class).getMessage())
                .contains("hasn't approved");
    }

    @Test
    void soapPasswordLoginStillWorksForOlderSandboxes() {
        SalesforceGateway gateway = gateway(Map.of("handoff.salesforce.auth", "password",
                "handoff.salesforce.username", SF.username(), "handoff.salesforce.password", SF.password()));

        assertThat(gateway.upsertLeads(oneLead())).singleElement().satisfies(o -> assertThat(o.success()).isTrue());
    }

    @Test
    void wrongPasswordIsAFatalLoginError() {
        SalesforceGateway gateway = gateway(Map.of("handoff.salesforce.auth", "password",
                "handoff.salesforce.username", SF.username(), "handoff.salesforce.password", "not-it"));

        ConnectorException e = catchThrowableOfType(() -> gateway.upsertLeads(oneLead()), ConnectorException.class);

        assertThat(e.code()).isEqualTo("INVALID_LOGIN");
        assertThat(e.getMessage()).doesNotContain("not-it");
    }
}
