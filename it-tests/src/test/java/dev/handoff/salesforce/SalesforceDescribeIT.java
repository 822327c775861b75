package dev.handoff.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sforce.soap.partner.Connector;
import com.sforce.soap.partner.DescribeSObjectResult;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.ws.ConnectorConfig;
import dev.handoff.config.Settings;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.error.ConnectorException;
import dev.handoff.flow.SalesforceLeadWriter;
import dev.handoff.salesforce.SalesforceGateway.CrmLead;
import dev.handoff.salesforce.SalesforceGateway.UpsertOutcome;
import dev.handoff.transport.JdkHttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code describeSObject} through WSC (strict WSDL-order parsing) against the emulated org, and
 * {@link LeadFieldFitter} on the description that comes back.
 */
class SalesforceDescribeIT {

    private static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    private static final SalesforceEmulator.Settings SF = SalesforceEmulator.Settings.defaults();
    private static final MarketoEmulator.Settings MK = MarketoEmulator.Settings.defaults();

    private final VirtualClock clock = new VirtualClock(START);
    private Sandbox sandbox;
    private SalesforceConfig config;
    private SalesforceGateway gateway;

    @BeforeEach
    void startSandbox() {
        sandbox = new Sandbox(clock, SF, MK, 0).start();
        config = SalesforceConfig.from(new Settings(sandbox.connectorProperties(SF, MK)));
        gateway = new SalesforceGateway(config, authenticator(), clock);
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
    void describingLeadReturnsTheFieldsWithTheirMetadataInOneApiCall() {
        SObjectDescription lead = gateway.describe("Lead");

        assertThat(sandbox.salesforce().apiCalls()).isEqualTo(1);
        assertThat(lead.name()).isEqualTo("Lead");
        assertThat(lead.field("handoff_external_id__c")).as("case-insensitive").hasValueSatisfying(f -> {
            assertThat(f.type()).isEqualTo("string");
            assertThat(f.length()).isEqualTo(255);
            assertThat(f.externalId()).isTrue();
            assertThat(f.unique()).isTrue();
            assertThat(f.idLookup()).isTrue();
            assertThat(f.createable()).isTrue();
            assertThat(f.updateable()).isTrue();
        });
        assertThat(lead.field("Id")).hasValueSatisfying(f -> {
            assertThat(f.type()).isEqualTo("id");
            assertThat(f.createable()).isFalse();
            assertThat(f.updateable()).isFalse();
            assertThat(f.nillable()).isFalse();
            assertThat(f.idLookup()).isTrue();
        });
        assertThat(lead.field("SystemModstamp")).hasValueSatisfying(f -> {
            assertThat(f.type()).isEqualTo("datetime");
            assertThat(f.updateable()).isFalse();
        });
        assertThat(lead.field("LastName")).hasValueSatisfying(f -> {
            assertThat(f.length()).isEqualTo(80);
            assertThat(f.nillable()).isFalse();
        });
        assertThat(lead.field("Email")).hasValueSatisfying(f -> assertThat(f.type()).isEqualTo("email"));
        assertThat(lead.field("AnnualRevenue")).hasValueSatisfying(f -> assertThat(f.type()).isEqualTo("currency"));
        assertThat(lead.field("NumberOfEmployees")).hasValueSatisfying(f -> assertThat(f.type()).isEqualTo("int"));
        assertThat(lead.field("Handoff_Explanation__c")).hasValueSatisfying(f -> {
            assertThat(f.type()).isEqualTo("textarea");
            assertThat(f.length()).isEqualTo(1000);
        });
        assertThat(lead.field("Reject_Reason__c")).hasValueSatisfying(f -> {
            assertThat(f.isPicklist()).isTrue();
            assertThat(f.restrictedPicklist()).isTrue();
            assertThat(f.picklistValues()).containsExactlyElementsOf(SF.rejectReasons());
        });
        assertThat(lead.field("Status")).hasValueSatisfying(f -> {
            assertThat(f.restrictedPicklist()).isFalse();
            assertThat(f.picklistValues()).contains("Open - Not Contacted", SF.acceptedStatus(), SF.rejectedStatus());
        });
    }

    @Test
    void everyFieldTheWriterSetsIsDescribedAsCreateableAndUpdateable() {
        SObjectDescription lead = gateway.describe("Lead");

        for (FieldRequirement r : SalesforceLeadWriter.fieldRequirements()) {
            assertThat(lead.field(r.field())).as(r.field()).hasValueSatisfying(f -> {
                assertThat(r.kind().accepts(f.type())).as("%s is %s", r.field(), f.type()).isTrue();
                assertThat(f.createable() && f.updateable()).as(r.field()).isTrue();
                assertThat(f.isPicklist() || f.length() >= r.minLength()).as(r.field()).isTrue();
            });
        }
    }

    @Test
    void describingContactReturnsItsEmailField() {
        SObjectDescription contact = gateway.describe("Contact");

        assertThat(contact.name()).isEqualTo("Contact");
        assertThat(contact.field("Email")).hasValueSatisfying(f -> assertThat(f.type()).isEqualTo("email"));
        assertThat(contact.field("Handoff_External_Id__c")).isEmpty();
    }

    @Test
    void describingAnUnknownTypeFailsWithInvalidTypeAndStillCountsAsACall() {
        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> gateway.describe("Campaign"));

        assertThat(e.code()).isEqualTo("INVALID_TYPE");
        assertThat(e.getMessage()).contains("sObject type 'Campaign' is not supported");
        assertThat(sandbox.salesforce().apiCalls()).isEqualTo(1);
    }

    @Test
    void describeSObjectsDescribesSeveralTypesInOneCallThroughWsc() throws Exception {
        SalesforceAuthenticator.Session session = authenticator().authenticate();
        ConnectorConfig cc = new ConnectorConfig();
        cc.setSessionId(session.accessToken());
        cc.setServiceEndpoint(session.instanceUrl() + "/services/Soap/u/" + config.apiVersion());
        PartnerConnection connection = Connector.newConnection(cc);

        DescribeSObjectResult[] results = connection.describeSObjects(new String[] {"Lead", "Contact"});

        assertThat(results).extracting(DescribeSObjectResult::getName).containsExactly("Lead", "Contact");
        assertThat(results).extracting(DescribeSObjectResult::getKeyPrefix).containsExactly("00Q", "003");
        assertThat(results[0].isQueryable()).isTrue();
        assertThat(Arrays.stream(results[1].getFields()).map(com.sforce.soap.partner.Field::getName))
                .contains("Id", "Email", "LastName", "SystemModstamp");
        assertThat(sandbox.salesforce().apiCalls()).isEqualTo(1);
    }

    @Test
    void fittedLeadWithOverlongTextIsTruncatedToTheDescribedLengthsAndUpserts() {
        LeadFieldFitter fitter = new LeadFieldFitter(gateway.describe("Lead"));
        Map<String, Object> fields = lead();
        fields.put("Handoff_Explanation__c", "x".repeat(1500));
        fields.put("Handoff_Grade__c", "A1+");
        fields.put("Title", "T".repeat(200));

        LeadFieldFitter.Fitted fitted = fitter.fit(fields);

        assertThat(fitted.sendable()).isTrue();
        assertThat(fitted.truncated()).containsExactly(
                new LeadFieldFitter.Truncation("Title", 200, 128),
                new LeadFieldFitter.Truncation("Handoff_Grade__c", 3, 2),
                new LeadFieldFitter.Truncation("Handoff_Explanation__c", 1500, 1000));
        List<UpsertOutcome> outcomes = gateway.upsertLeads(List.of(new CrmLead("mkto-1", fitted.fields())));
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.success()).as("%s", o).isTrue());
        assertThat(sandbox.salesforce().leads()).singleElement().satisfies(l -> {
            assertThat((String) l.get("grade")).isEqualTo("A1");
            assertThat((String) l.get("title")).hasSize(128);
        });
    }

    @Test
    void unfittedOverlongExplanationIsRefusedBySalesforce() {
        Map<String, Object> fields = lead();
        fields.put("Handoff_Explanation__c", "x".repeat(1500));

        List<UpsertOutcome> outcomes = gateway.upsertLeads(List.of(new CrmLead("mkto-1", fields)));

        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.code()).isEqualTo("STRING_TOO_LONG"));
    }

    @Test
    void rejectReasonTheOrgsRestrictedPicklistLacksIsAProblemAndNeverSent() {
        SalesforceEmulator.Settings withoutNoBudget = SF.withReps(
                SF.rejectReasons().stream().filter(r -> !r.equals("NO_BUDGET")).toList(), SF.poorFitReasons(),
                SF.repDelayMin(), SF.repDelayMax(), SF.seed());
        sandbox.close();
        sandbox = new Sandbox(clock, withoutNoBudget, MK, 0).start();
        config = SalesforceConfig.from(new Settings(sandbox.connectorProperties(withoutNoBudget, MK)));
        LeadFieldFitter fitter = new LeadFieldFitter(new SalesforceGateway(config, authenticator(), clock).describe("Lead"));
        Map<String, Object> fields = lead();
        fields.put("Reject_Reason__c", "NO_BUDGET");
        fields.put("Industry", "Space Mining");

        LeadFieldFitter.Fitted fitted = fitter.fit(fields);

        assertThat(fitted.sendable()).isFalse();
        assertThat(fitted.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(LeadFieldFitter.INVALID_PICKLIST_VALUE);
            assertThat(p.field()).isEqualTo("Reject_Reason__c");
            assertThat(p.value()).isEqualTo("NO_BUDGET");
            assertThat(p.message()).contains("Reject_Reason__c").contains("NO_BUDGET");
        });
        assertThat(fitter.fit(Map.of("Reject_Reason__c", "NOT_INTERESTED")).sendable()).isTrue();
    }

    private static Map<String, Object> lead() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Email", "ada@example.com");
        f.put("LastName", "Lovelace");
        f.put("Company", "Analytical Engines");
        f.put("Title", "VP Engineering");
        f.put("Handoff_Grade__c", "A1");
        return f;
    }

    private SalesforceAuthenticator authenticator() {
        return new SalesforceAuthenticator(config, new JdkHttpTransport(Duration.ofSeconds(10)));
    }
}
