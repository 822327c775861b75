package dev.handoff.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.handoff.config.Settings;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.salesforce.SalesforceGateway.CrmLead;
import dev.handoff.salesforce.SalesforceGateway.LeadChange;
import dev.handoff.salesforce.SalesforceGateway.UpsertOutcome;
import dev.handoff.transport.JdkHttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SalesforceGateway} (WSC over a real HTTP connection) against the stateful Salesforce emulator. */
class SalesforceGatewayIT {

    private static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    private static final SalesforceEmulator.Settings SF = SalesforceEmulator.Settings.defaults();
    private static final MarketoEmulator.Settings MK = MarketoEmulator.Settings.defaults();

    private final VirtualClock clock = new VirtualClock(START);
    private Sandbox sandbox;
    private SalesforceEmulator emulator;

    @BeforeEach
    void startSandbox() {
        sandbox = new Sandbox(clock, SF, MK, 0).start();
        emulator = sandbox.salesforce();
    }

    @AfterEach
    void everyRequestWasServedByTheEmulator() {
        try {
            assertThat(sandbox.unmatchedRequests()).isEmpty();
        } finally {
            sandbox.close();
        }
    }

    @Test
    void upsertOfTwoHundredLeadsCreatesThemInOneCall() {
        SalesforceGateway gateway = gateway();

        List<UpsertOutcome> outcomes = gateway.upsertLeads(leads(0, 200));

        assertThat(emulator.apiCalls()).isEqualTo(1);
        assertThat(outcomes).hasSize(200).allSatisfy(o -> {
            assertThat(o.success()).as("%s", o).isTrue();
            assertThat(o.created()).isTrue();
            assertThat(o.crmId()).startsWith("00Q");
        });
        assertThat(outcomes).extracting(UpsertOutcome::externalId)
                .containsExactlyElementsOf(IntStream.range(0, 200).mapToObj(SalesforceGatewayIT::externalId).toList());
        assertThat(outcomes).extracting(UpsertOutcome::crmId).doesNotHaveDuplicates();
        assertThat(emulator.leads()).hasSize(200);
    }

    @Test
    void upsertingTheSameLeadsAgainCreatesNothingNew() {
        SalesforceGateway gateway = gateway();
        List<UpsertOutcome> first = gateway.upsertLeads(leads(0, 200));

        List<UpsertOutcome> replay = gateway.upsertLeads(leads(0, 200));

        assertThat(replay).allSatisfy(o -> {
            assertThat(o.success()).as("%s", o).isTrue();
            assertThat(o.created()).as("%s", o).isFalse();
        });
        assertThat(replay).extracting(UpsertOutcome::crmId)
                .containsExactlyElementsOf(first.stream().map(UpsertOutcome::crmId).toList());
        assertThat(emulator.leads()).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(emulator.countLeadsWithExternalId(externalId(i))).as(externalId(i)).isEqualTo(1);
        }
        assertThat(emulator.apiCalls()).isEqualTo(2);
    }

    @Test
    void invalidRecordsFailAloneWithTheirCodesWhileTheRestOfTheBatchIsWritten() {
        List<CrmLead> batch = new ArrayList<>(leads(0, 10));
        batch.set(2, lead(2, Map.of("Email", "not-an-email")));
        Map<String, Object> noLastName = new LinkedHashMap<>(batch.get(5).fields());
        noLastName.remove("LastName");
        batch.set(5, new CrmLead(externalId(5), noLastName));
        batch.set(8, lead(8, Map.of("Company", "C".repeat(300))));
        SalesforceGateway gateway = gateway();

        List<UpsertOutcome> outcomes = gateway.upsertLeads(batch);

        assertThat(emulator.apiCalls()).isEqualTo(1);
        Map<Integer, String> expectedFailures = Map.of(2, "INVALID_EMAIL_ADDRESS", 5, "REQUIRED_FIELD_MISSING",
                8, "STRING_TOO_LONG");
        for (int i = 0; i < outcomes.size(); i++) {
            UpsertOutcome o = outcomes.get(i);
            assertThat(o.externalId()).isEqualTo(externalId(i));
            if (expectedFailures.containsKey(i)) {
                assertThat(o.success()).as("%s", o).isFalse();
                assertThat(o.code()).isEqualTo(expectedFailures.get(i));
                assertThat(o.errorClass()).isEqualTo(ErrorClass.PERMANENT_RECORD);
                assertThat(o.message()).isNotBlank();
                assertThat(o.crmId()).isNull();
                assertThat(emulator.countLeadsWithExternalId(externalId(i))).isZero();
            } else {
                assertThat(o.success()).as("%s", o).isTrue();
                assertThat(o.created()).isTrue();
                assertThat(emulator.countLeadsWithExternalId(externalId(i))).isEqualTo(1);
            }
        }
        assertThat(emulator.leads()).hasSize(7);
    }

    @Test
    void updateByIdSetsTheSlaFlagInOneCallWithoutMovingOwnersAndReportsEachRecord() {
        SalesforceGateway gateway = gateway();
        List<UpsertOutcome> created = gateway.upsertLeads(leads(0, 3));
        Map<Object, Object> ownersBefore = emulator.leads().stream()
                .collect(Collectors.toMap(l -> l.get("id"), l -> l.get("owner_id")));
        emulator.deleteLead(created.get(2).crmId());
        long callsBefore = emulator.apiCalls();

        List<SalesforceGateway.UpdateOutcome> outcomes = gateway.updateLeads(created.stream()
                .map(o -> new SalesforceGateway.LeadUpdate(o.crmId(), Map.of("Handoff_SLA_Breached__c", Boolean.TRUE)))
                .toList());

        assertThat(emulator.apiCalls() - callsBefore).isEqualTo(1);
        assertThat(outcomes).extracting(SalesforceGateway.UpdateOutcome::crmId)
                .containsExactly(created.get(0).crmId(), created.get(1).crmId(), created.get(2).crmId());
        assertThat(outcomes.subList(0, 2)).allSatisfy(o -> assertThat(o.success()).as("%s", o).isTrue());
        assertThat(outcomes.get(2).success()).isFalse();
        assertThat(outcomes.get(2).code()).isNotBlank();
        assertThat(outcomes.get(2).errorClass()).isEqualTo(ErrorClass.PERMANENT_RECORD);
        assertThat(emulator.leads()).hasSize(2).allSatisfy(l -> {
            assertThat(l.get("sla_breached")).isEqualTo(Boolean.TRUE);
            assertThat(l.get("owner_id")).isEqualTo(ownersBefore.get(l.get("id")));
        });
    }

    @Test
    void changedLeadsArriveInPagesOfTheQueryBatchSizeWithEveryLeadOnce() {
        SalesforceGateway gateway = gateway();
        Set<String> crmIds = upsertAll(gateway, 450);
        clock.advance(SF.repDelayMax().plusMinutes(1)); // sales decides on every Lead
        long callsBefore = emulator.apiCalls();

        List<Integer> pageSizes = new ArrayList<>();
        List<LeadChange> changes = new ArrayList<>();
        int pages = gateway.changedLeadsSince(START.minus(Duration.ofDays(1)), page -> {
            pageSizes.add(page.size());
            changes.addAll(page);
        });

        assertThat(pages).isEqualTo(3);
        assertThat(pageSizes).containsExactly(200, 200, 50);
        assertThat(emulator.apiCalls() - callsBefore).as("query + 2 queryMore").isEqualTo(3);
        assertThat(changes).extracting(LeadChange::crmId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(crmIds);
        assertThat(changes).extracting(LeadChange::externalId).doesNotHaveDuplicates().hasSize(450);
        assertThat(changes).extracting(LeadChange::systemModstamp).isSorted();
    }

    @Test
    void leadsDecidedBySalesCarryTheirStatusAndRejectReason() {
        SalesforceGateway gateway = gateway();
        upsertAll(gateway, 60);
        assertThat(emulator.pendingDecisions()).isEqualTo(60);
        Instant handedOffAt = clock.instant();
        List<LeadChange> undecided = new ArrayList<>();
        gateway.changedLeadsSince(handedOffAt.minusSeconds(60), undecided::addAll);
        assertThat(undecided).as("our own upserts carry no verdict and are not read back").isEmpty();

        clock.advance(SF.repDelayMax().plusMinutes(1));
        List<LeadChange> changes = new ArrayList<>();
        gateway.changedLeadsSince(handedOffAt, changes::addAll);

        assertThat(emulator.pendingDecisions()).isZero();
        assertThat(changes).hasSize(60).allSatisfy(c -> {
            assertThat(c.status()).isIn(SF.acceptedStatus(), SF.rejectedStatus());
            assertThat(c.ownerId()).startsWith("005");
            assertThat(c.systemModstamp()).isAfter(handedOffAt);
            if (c.status().equals(SF.rejectedStatus())) {
                assertThat(c.rejectReason()).as("%s", c).isIn(SF.rejectReasons());
            } else {
                assertThat(c.rejectReason()).as("%s", c).isNull();
                assertThat(c.rejectComment()).as("%s", c).isNull();
            }
        });
        assertThat(changes).extracting(LeadChange::status).contains(SF.acceptedStatus(), SF.rejectedStatus());
        Map<String, Object> emulatorStatus = emulator.leads().stream()
                .collect(Collectors.toMap(l -> (String) l.get("id"), l -> l.get("status")));
        assertThat(changes).allSatisfy(c -> assertThat(c.status()).isEqualTo(emulatorStatus.get(c.crmId())));
    }

    @Test
    void idleSessionIsRenewedBeforeUseWithoutPayingForARefusedCall() {
        SalesforceGateway gateway = gateway();
        gateway.upsertLeads(leads(0, 5));
        long callsBefore = emulator.apiCalls();

        clock.advance(SF.sessionTimeout().plusMinutes(1));
        List<UpsertOutcome> outcomes = gateway.upsertLeads(leads(5, 10));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.success()).as("%s", o).isTrue());
        assertThat(emulator.authCalls()).isEqualTo(2);
        assertThat(emulator.apiCalls() - callsBefore).as("no refused call").isEqualTo(1);
    }

    @Test
    void sessionExpiredSoonerThanConfiguredIsRenewedOnceAndTheCallStillSucceeds() {
        SalesforceGateway gateway = gateway(Map.of("handoff.salesforce.session-timeout", "8h"));
        gateway.upsertLeads(leads(0, 5));
        assertThat(emulator.authCalls()).isEqualTo(1);
        long callsBefore = emulator.apiCalls();

        clock.advance(SF.sessionTimeout().plusMinutes(1));
        List<UpsertOutcome> outcomes = gateway.upsertLeads(leads(5, 10));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.success()).as("%s", o).isTrue());
        assertThat(emulator.authCalls()).isEqualTo(2);
        assertThat(gateway.sessions()).isEqualTo(2);
        assertThat(emulator.apiCalls() - callsBefore).as("the refused call and its replay").isEqualTo(2);
        assertThat(emulator.leads()).hasSize(10);
    }

    @Test
    void callsFromSeveralThreadsAtOnceShareOneSessionAndEachGetsItsOwnAnswers() throws Exception {
        SalesforceGateway gateway = gateway();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<UpsertOutcome>>> answers = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int from = t * 50;
                answers.add(threads.submit(() -> gateway.upsertLeads(leads(from, from + 50))));
            }
            for (int t = 0; t < 8; t++) {
                List<UpsertOutcome> outcomes = answers.get(t).get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(outcomes).extracting(UpsertOutcome::externalId).as("thread %d's own leads, in order", t)
                        .containsExactlyElementsOf(IntStream.range(t * 50, t * 50 + 50).mapToObj(SalesforceGatewayIT::externalId)
                                .toList());
                assertThat(outcomes).allSatisfy(o -> assertThat(o.success()).as("%s", o).isTrue());
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(emulator.authCalls()).as("one session for every thread").isEqualTo(1);
        assertThat(gateway.sessions()).isEqualTo(1);
        assertThat(emulator.apiCalls()).isEqualTo(8);
        assertThat(emulator.leads()).hasSize(400);
    }

    @Test
    void aSessionExpiredUnderSeveralThreadsIsRenewedOnce() throws Exception {
        SalesforceGateway gateway = gateway(Map.of("handoff.salesforce.session-timeout", "8h"));
        gateway.upsertLeads(leads(0, 5));
        clock.advance(SF.sessionTimeout().plusMinutes(1));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<UpsertOutcome>>> answers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int from = 5 + t * 10;
                answers.add(threads.submit(() -> gateway.upsertLeads(leads(from, from + 10))));
            }
            for (java.util.concurrent.Future<List<UpsertOutcome>> a : answers) {
                assertThat(a.get(30, java.util.concurrent.TimeUnit.SECONDS))
                        .allSatisfy(o -> assertThat(o.success()).as("%s", o).isTrue());
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(gateway.sessions()).as("renewed once, however many threads saw it expire").isEqualTo(2);
        assertThat(emulator.authCalls()).isEqualTo(2);
        assertThat(emulator.leads()).hasSize(45);
    }

    @Test
    void sessionRefusedAgainAfterRenewalFailsFatallyWithoutAThirdAttempt() {
        String fault = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope"
                + " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:sf=\"urn:fault.partner.soap.sforce.com\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault>"
                + "<faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found"
                + " in SessionHeader: Illegal Session</faultstring><detail><sf:UnexpectedErrorFault"
                + " xsi:type=\"sf:UnexpectedErrorFault\"><sf:exceptionCode>INVALID_SESSION_ID</sf:exceptionCode>"
                + "<sf:exceptionMessage>Invalid Session ID found in SessionHeader: Illegal Session</sf:exceptionMessage>"
                + "</sf:UnexpectedErrorFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
        sandbox.server().addStubMapping(post(urlPathMatching("/services/Soap/u/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/xml;charset=UTF-8")
                        .withBody(fault))
                .build());
        SalesforceGateway gateway = gateway();

        ConnectorException e = catchThrowableOfType(() -> gateway.upsertLeads(leads(0, 1)), ConnectorException.class);

        assertThat(e.code()).isEqualTo("INVALID_SESSION_ID");
        assertThat(e.errorClass()).isEqualTo(ErrorClass.FATAL);
        assertThat(emulator.authCalls()).isEqualTo(2);
        assertThat(sandbox.server().findAll(postRequestedFor(urlPathMatching("/services/Soap/u/.*")))).hasSize(2);
    }

    @Test
    void wrongClientSecretIsFatalAndTheErrorNeverShowsTheSecret() {
        String wrong = "wrong-secret-5b1e88";
        SalesforceGateway gateway = gateway(Map.of("handoff.salesforce.client-secret", wrong));

        ConnectorException e = catchThrowableOfType(() -> gateway.upsertLeads(leads(0, 1)), ConnectorException.class);

        assertThat(e.errorClass()).isEqualTo(ErrorClass.FATAL);
        assertThat(e.system()).isEqualTo(SalesforceGateway.SYSTEM);
        assertThat(e.code()).isEqualTo("invalid_client");
        assertThat(e.getMessage()).contains(SF.clientId()).doesNotContain(wrong).doesNotContain(SF.clientSecret());
        assertThat(e.toString()).doesNotContain(wrong);
        assertThat(emulator.apiCalls()).isZero();
        assertThat(emulator.leads()).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private SalesforceGateway gateway() {
        return gateway(Map.of());
    }

    private SalesforceGateway gateway(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(sandbox.connectorProperties(SF, MK));
        p.put("handoff.salesforce.query-batch-size", "200");
        p.putAll(overrides);
        SalesforceConfig config = SalesforceConfig.from(new Settings(p));
        return new SalesforceGateway(config, new SalesforceAuthenticator(config, new JdkHttpTransport(Duration.ofSeconds(10))),
                clock);
    }

    private Set<String> upsertAll(SalesforceGateway gateway, int count) {
        Set<String> ids = new java.util.HashSet<>();
        for (int from = 0; from < count; from += 200) {
            for (UpsertOutcome o : gateway.upsertLeads(leads(from, Math.min(count, from + 200)))) {
                assertThat(o.success()).as("%s", o).isTrue();
                ids.add(o.crmId());
            }
        }
        assertThat(ids).hasSize(count);
        return ids;
    }

    private static List<CrmLead> leads(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> lead(i, Map.of())).toList();
    }

    private static CrmLead lead(int i, Map<String, Object> overrides) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("FirstName", "Ada" + i);
        fields.put("LastName", "Lovelace" + i);
        fields.put("Company", "Acme " + i);
        fields.put("Email", "ada" + i + "@acme.example");
        fields.put("Title", "VP Finance");
        fields.put("Handoff_Grade__c", i % 2 == 0 ? "A1" : "C3");
        fields.putAll(overrides);
        return new CrmLead(externalId(i), fields);
    }

    private static String externalId(int i) {
        return "mkto-" + (1000 + i);
    }
}
