package dev.handoff.emulator.salesforce;

import static dev.handoff.emulator.salesforce.SalesforceHarness.EXT;
import static dev.handoff.emulator.salesforce.SalesforceHarness.lead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.QueryResult;
import com.sforce.soap.partner.SaveResult;
import com.sforce.soap.partner.UpsertResult;
import com.sforce.soap.partner.sobject.SObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SalesforceDeletedLeadsIT {

    @Test
    void deletedLeadIsInvisibleToQueryButQueryAllReturnsItAsDeleted() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            PartnerConnection conn = sf.connect();
            UpsertResult[] r = conn.upsert(EXT, new SObject[]{lead("d-1", "Gone", "Acme", null),
                    lead("d-2", "Stays", "Acme", null)});
            String gone = r[0].getId();
            sf.clock.advance(Duration.ofMinutes(10));

            sf.emulator.deleteLead(gone);

            assertThat(conn.query("SELECT Id FROM Lead").getSize()).isEqualTo(1);
            assertThat(conn.query("SELECT Id FROM Lead WHERE IsDeleted = true").getSize())
                    .as("query() never returns the recycle bin").isZero();
            QueryResult all = conn.queryAll("SELECT Id, IsDeleted, SystemModstamp FROM Lead WHERE IsDeleted = true");
            assertThat(all.getSize()).isEqualTo(1);
            assertThat(all.getRecords()[0].getId()).isEqualTo(gone);
            assertThat(all.getRecords()[0].getField("IsDeleted")).isEqualTo("true");
            assertThat(Instant.parse((String) all.getRecords()[0].getField("SystemModstamp")))
                    .isEqualTo(SalesforceHarness.START.plus(Duration.ofMinutes(10)));
            assertThat(conn.queryAll("SELECT Id FROM Lead").getSize()).isEqualTo(2);
            assertThat(sf.emulator.leads()).extracting(m -> m.get("external_id")).containsExactly("d-2");
            assertThat(sf.emulator.state()).containsEntry("deleted_leads", 1L);
        }
    }

    @Test
    void deletedLeadCannotBeUpdatedAndItsExternalIdCreatesANewLead() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            PartnerConnection conn = sf.connect();
            String gone = conn.upsert(EXT, new SObject[]{lead("d-3", "Gone", "Acme", null)})[0].getId();
            sf.emulator.deleteLead(gone);
            SObject byId = new SObject("Lead");
            byId.setId(gone);
            byId.setField("Title", "CFO");

            SaveResult[] update = conn.update(new SObject[]{byId});
            UpsertResult[] upsert = conn.upsert(EXT, new SObject[]{lead("d-3", "Back", "Acme", null)});

            assertThat(update[0].getSuccess()).isFalse();
            assertThat(update[0].getErrors()[0].getStatusCode().name()).isEqualTo("ENTITY_IS_DELETED");
            assertThat(upsert[0].getCreated()).isTrue();
            assertThat(upsert[0].getId()).isNotEqualTo(gone);
            assertThat(sf.emulator.countLeadsWithExternalId("d-3")).isEqualTo(1);
            assertThat(conn.queryAll("SELECT Id FROM Lead WHERE Handoff_External_Id__c = 'd-3'").getSize()).isEqualTo(2);
        }
    }

    @Test
    void mergedAwayLeadIsDeletedWithMasterRecordIdAndTheMasterIsModified() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            PartnerConnection conn = sf.connect();
            UpsertResult[] r = conn.upsert(EXT, new SObject[]{lead("m-1", "Master", "Acme", "same@acme.example"),
                    lead("m-2", "Victim", "Acme", "same@acme.example")});
            String master = r[0].getId();
            String victim = r[1].getId();
            sf.clock.advance(Duration.ofHours(1));
            Instant mergedAt = sf.clock.instant();

            sf.emulator.mergeLeads(master, victim);

            conn = sf.connect();
            QueryResult changed = conn.query("SELECT Id, LastName, SystemModstamp FROM Lead WHERE SystemModstamp >= "
                    + "2026-11-23T09:30:00Z");
            assertThat(changed.getSize()).isEqualTo(1);
            assertThat(changed.getRecords()[0].getId()).isEqualTo(master);
            assertThat(changed.getRecords()[0].getField("LastName")).isEqualTo("Master");
            assertThat(Instant.parse((String) changed.getRecords()[0].getField("SystemModstamp"))).isEqualTo(mergedAt);
            QueryResult merged = conn.queryAll("SELECT Id, IsDeleted, MasterRecordId FROM Lead WHERE MasterRecordId != null");
            assertThat(merged.getSize()).isEqualTo(1);
            assertThat(merged.getRecords()[0].getId()).isEqualTo(victim);
            assertThat(merged.getRecords()[0].getField("IsDeleted")).isEqualTo("true");
            assertThat(merged.getRecords()[0].getField("MasterRecordId")).isEqualTo(master);
            assertThat(conn.query("SELECT Id FROM Lead WHERE Email = 'same@acme.example'").getSize()).isEqualTo(1);
        }
    }

    @Test
    void aDeletedLeadGetsNoSalesVerdictAndCannotBeDeletedOrMergedAgain() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            UpsertResult[] r = sf.connect().upsert(EXT, new SObject[]{lead("v-1", "A", "Acme", null),
                    lead("v-2", "B", "Acme", null)});
            sf.emulator.deleteLead(r[0].getId());

            sf.clock.advance(Duration.ofHours(6));

            assertThat(sf.emulator.pendingDecisions()).isZero();
            QueryResult deleted = sf.connect().queryAll("SELECT Status, OwnerId FROM Lead WHERE IsDeleted = true");
            assertThat(deleted.getRecords()[0].getField("Status")).isEqualTo("Open - Not Contacted");
            assertThatThrownBy(() -> sf.emulator.deleteLead(r[0].getId())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sf.emulator.mergeLeads(r[1].getId(), r[0].getId()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sf.emulator.mergeLeads(r[1].getId(), r[1].getId()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
