package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sforce.soap.partner.Connector;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.SaveResult;
import com.sforce.soap.partner.sobject.SObject;
import com.sforce.ws.ConnectorConfig;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.LeadState;
import dev.handoff.salesforce.SalesforceAuthenticator;
import dev.handoff.salesforce.SalesforceConfig;
import dev.handoff.salesforce.SalesforceGateway;
import dev.handoff.transport.JdkHttpTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dedupe before create: what sales already has in Salesforce is never duplicated. */
class DedupeIT {

    @TempDir
    Path dir;
    EmulatedWorld world;

    @BeforeEach
    void start() {
        world = new EmulatedWorld(dir, 9);
    }

    @AfterEach
    void stop() {
        try {
            assertThat(world.sandbox.unmatchedRequests()).isEmpty();
        } finally {
            world.close();
        }
    }

    /** A record sales created by hand, through the partner API as any other client would. */
    private String salesCreatedLead(String email, String externalId) throws Exception {
        SalesforceConfig config = SalesforceConfig.from(world.settings());
        SalesforceAuthenticator.Session s = new SalesforceAuthenticator(config, new JdkHttpTransport(Duration.ofSeconds(10)))
                .authenticate();
        ConnectorConfig cc = new ConnectorConfig();
        cc.setSessionId(s.accessToken());
        cc.setServiceEndpoint(s.instanceUrl() + "/services/Soap/u/65.0");
        PartnerConnection c = Connector.newConnection(cc);
        SObject lead = new SObject("Lead");
        lead.setField("LastName", "Existing");
        lead.setField("Company", "Initech Software");
        lead.setField("Email", email);
        if (externalId != null) {
            lead.setField("Handoff_External_Id__c", externalId);
        }
        SaveResult[] r = c.create(new SObject[] {lead});
        assertThat(r[0].isSuccess()).as("%s", (Object) r[0].getErrors()).isTrue();
        return r[0].getId();
    }

    @Test
    void leadWhoseEmailIsAlreadyAContactNeverBecomesALeadAndMarketingIsTold() {
        world.sandbox.salesforce().addContact("ana.rivera@initech.example", "Ana", "Rivera");
        int id = Leads.strongMql(world.sandbox.marketo(), world.clock.instant(), "Ana.Rivera@initech.example");
        int other = Leads.strongMql(world.sandbox.marketo(), world.clock.instant(), "new.buyer@initech.example");

        world.startApplication();
        world.cycle();

        assertThat(world.sandbox.salesforce().leads()).extracting(l -> l.get("external_id")).containsExactly(String.valueOf(other));
        LedgerLead l = world.app().ledger().lead(String.valueOf(id)).orElseThrow();
        assertThat(l.state()).isEqualTo(LeadState.EXISTING_CONTACT);
        assertThat(world.sandbox.marketo().lead(id).orElseThrow().get("handoffSalesStatus")).isEqualTo("EXISTING_CONTACT");
        assertThat(world.app().ledger().counts().existingContacts()).isEqualTo(1);
    }

    @Test
    void openLeadSalesAlreadyHasIsAttachedInsteadOfDuplicated() throws Exception {
        String existing = salesCreatedLead("dana.kim@initech.example", null);
        int id = Leads.strongMql(world.sandbox.marketo(), world.clock.instant(), "dana.kim@initech.example");

        world.startApplication();

        List<Map<String, Object>> crm = world.sandbox.salesforce().leads();
        assertThat(crm).singleElement().satisfies(lead -> {
            assertThat(lead.get("id")).isEqualTo(existing);
            assertThat(lead.get("external_id")).isEqualTo(String.valueOf(id));
            assertThat(lead.get("grade")).isNotNull();
        });
        assertThat(world.app().ledger().lead(String.valueOf(id)).orElseThrow().crmId()).isEqualTo(existing);
    }

    @Test
    void leadAlreadyClaimedByAnotherMarketingLeadIsNotTakenOver() throws Exception {
        String existing = salesCreatedLead("twin@initech.example", "424242");
        int id = Leads.strongMql(world.sandbox.marketo(), world.clock.instant(), "twin@initech.example");

        world.startApplication();

        LedgerLead l = world.app().ledger().lead(String.valueOf(id)).orElseThrow();
        assertThat(l.state()).isEqualTo(LeadState.QUARANTINED);
        assertThat(l.quarantineCode()).isEqualTo("DUPLICATE_EMAIL");
        assertThat(l.quarantineMessage()).contains(existing).contains("424242");
        assertThat(world.sandbox.salesforce().leads()).singleElement()
                .satisfies(lead -> assertThat(lead.get("external_id")).isEqualTo("424242"));
    }

    @Test
    void twoMarketingLeadsWithOneEmailMakeOneSalesforceLead() {
        int first = Leads.strongMql(world.sandbox.marketo(), world.clock.instant(), "same@initech.example");
        int second = Leads.strongMql(world.sandbox.marketo(), world.clock.instant(), "SAME@initech.example");

        world.startApplication();

        assertThat(world.sandbox.salesforce().leads()).singleElement()
                .satisfies(lead -> assertThat(lead.get("external_id")).isEqualTo(String.valueOf(Math.min(first, second))));
        assertThat(world.app().ledger().lead(String.valueOf(Math.max(first, second))).orElseThrow().quarantineCode())
                .isEqualTo("DUPLICATE_EMAIL");
    }

    @Test
    void soqlMetacharactersInLookedUpValuesCannotAlterTheQuery() {
        var sf = world.sandbox.salesforce();
        sf.addContact("o'brien@acme.example", "Pat", "O'Brien");
        sf.addContact("back\\slash@acme.example", "Back", "Slash");
        sf.addContact("ünïcödé@acme.example", "Uni", "Code");
        sf.addContact("bystander@acme.example", "Not", "Me");
        SalesforceConfig config = SalesforceConfig.from(world.settings());
        SalesforceGateway gateway = new SalesforceGateway(config,
                new SalesforceAuthenticator(config, new JdkHttpTransport(Duration.ofSeconds(10))), world.clock);

        List<SalesforceGateway.ExistingRecord> found = gateway.contactsByEmail(List.of(
                "o'brien@acme.example", "back\\slash@acme.example", "ünïcödé@acme.example",
                "x' OR Email != 'y", "z') OR (Email != 'w", "line\nbreak@acme.example", "quote\"d@acme.example",
                "tab\tand\u0007bell@acme.example"));

        assertThat(found).extracting(SalesforceGateway.ExistingRecord::email).containsExactlyInAnyOrder(
                "o'brien@acme.example", "back\\slash@acme.example", "ünïcödé@acme.example");
    }
}
