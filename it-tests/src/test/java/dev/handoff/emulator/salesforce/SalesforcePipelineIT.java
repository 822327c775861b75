package dev.handoff.emulator.salesforce;

import static dev.handoff.emulator.salesforce.SalesforceHarness.EXT;
import static dev.handoff.emulator.salesforce.SalesforceHarness.START;
import static dev.handoff.emulator.salesforce.SalesforceHarness.lead;
import static org.assertj.core.api.Assertions.assertThat;

import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.QueryResult;
import com.sforce.soap.partner.UpsertResult;
import com.sforce.soap.partner.sobject.SObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SalesforcePipelineIT {

    /** Reps decide within the first hour; every accepted lead converts a day later; deals close a week after that. */
    private static final SalesforceEmulator.Settings EVERY_ACCEPTED_LEAD_CONVERTS = SalesforceEmulator.Settings.defaults()
            .withReps(SalesforceEmulator.Settings.defaults().rejectReasons(), List.of("NOT_RIGHT_FIT"),
                    Duration.ofMinutes(10), Duration.ofMinutes(50), 3)
            .withPipeline(new SalesforceEmulator.Pipeline(1.0, Duration.ofDays(1), Duration.ofDays(1),
                    "Closed - Converted", 0.5, Duration.ofDays(7), Duration.ofDays(7)));

    @Test
    void acceptedLeadsConvertOnTheWorldClockIntoAContactAndAProspectingOpportunity() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(EVERY_ACCEPTED_LEAD_CONVERTS)) {
            sf.connect().upsert(EXT, gradeALeads(20));
            sf.clock.advance(Duration.ofHours(1));
            List<String> accepted = idsWithStatus(sf, "Working - Contacted");
            assertThat(accepted).isNotEmpty();
            assertThat(sf.emulator.opportunities()).isEmpty();

            sf.clock.advance(Duration.ofHours(23));
            assertThat(sf.emulator.opportunities()).as("not before the conversion delay").isEmpty();
            sf.clock.advance(Duration.ofHours(1));

            PartnerConnection conn = sf.connect();
            QueryResult leads = conn.query("SELECT Id, Email, Status, IsConverted, ConvertedContactId, "
                    + "ConvertedOpportunityId, ConvertedAccountId, ConvertedDate, SystemModstamp FROM Lead WHERE Id IN ("
                    + quoted(accepted) + ")");
            assertThat(leads.getSize()).isEqualTo(accepted.size());
            List<String> opportunityIds = new ArrayList<>();
            List<String> emails = new ArrayList<>();
            for (SObject l : leads.getRecords()) {
                assertThat(l.getField("IsConverted")).isEqualTo("true");
                assertThat(l.getField("Status")).isEqualTo("Closed - Converted");
                assertThat((String) l.getField("ConvertedContactId")).matches("003[A-Za-z0-9]{15}");
                assertThat((String) l.getField("ConvertedOpportunityId")).matches("006[A-Za-z0-9]{15}");
                assertThat((String) l.getField("ConvertedAccountId")).matches("001[A-Za-z0-9]{15}");
                assertThat(l.getField("ConvertedDate")).isEqualTo("2026-11-24");
                Instant modstamp = Instant.parse((String) l.getField("SystemModstamp"));
                assertThat(modstamp).isAfter(START.plus(Duration.ofDays(1)));
                opportunityIds.add((String) l.getField("ConvertedOpportunityId"));
                emails.add((String) l.getField("Email"));
            }
            QueryResult opportunities = conn.query("SELECT Id, Name, StageName, IsClosed, IsWon, Amount, CloseDate, "
                    + "CreatedDate, SystemModstamp, LastModifiedDate FROM Opportunity WHERE Id IN (" + quoted(opportunityIds)
                    + ")");
            assertThat(opportunities.getSize()).isEqualTo(accepted.size());
            for (SObject o : opportunities.getRecords()) {
                assertThat(o.getField("StageName")).isEqualTo("Prospecting");
                assertThat(o.getField("IsClosed")).isEqualTo("false");
                assertThat(o.getField("IsWon")).isEqualTo("false");
                assertThat(o.getField("Amount")).isNull();
                assertThat(o.getField("Name")).isEqualTo("Acme-");
                assertThat(o.getField("CloseDate")).as("end of the quarter").isEqualTo("2026-12-31");
            }
            QueryResult contacts = conn.query("SELECT Id, Email FROM Contact WHERE Email IN (" + quoted(emails) + ")");
            assertThat(contacts.getSize()).isEqualTo(accepted.size());
            assertThat(sf.emulator.state()).containsEntry("opportunities", accepted.size())
                    .containsEntry("contacts", accepted.size());
        }
    }

    @Test
    void opportunitiesCloseWonWithAnAmountOrLostAfterTheirDelay() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(EVERY_ACCEPTED_LEAD_CONVERTS)) {
            sf.connect().upsert(EXT, gradeALeads(40));
            sf.clock.advance(Duration.ofDays(2));
            List<Map<String, Object>> open = sf.emulator.opportunities();
            assertThat(open).isNotEmpty().allMatch(o -> o.get("stage").equals("Prospecting"));
            Instant firstClose = sf.emulator.nextPipelineEventDue().orElseThrow();
            assertThat(firstClose).isAfter(START.plus(Duration.ofDays(8)));

            sf.clock.advance(Duration.between(sf.clock.instant(), firstClose).minusMillis(1));
            assertThat(sf.emulator.opportunities()).allMatch(o -> o.get("stage").equals("Prospecting"));
            sf.clock.advance(Duration.ofDays(1));

            PartnerConnection conn = sf.connect();
            List<String> ids = open.stream().map(o -> (String) o.get("id")).toList();
            QueryResult closed = conn.query("SELECT Id, StageName, IsClosed, IsWon, Amount FROM Opportunity WHERE Id IN ("
                    + quoted(ids) + ")");
            Set<String> stages = new TreeSet<>();
            for (SObject o : closed.getRecords()) {
                String stage = (String) o.getField("StageName");
                stages.add(stage);
                assertThat(o.getField("IsClosed")).isEqualTo("true");
                if (stage.equals("Closed Won")) {
                    assertThat(o.getField("IsWon")).isEqualTo("true");
                    assertThat(Double.parseDouble((String) o.getField("Amount"))).isBetween(5_000.0, 150_000.0);
                } else {
                    assertThat(stage).isEqualTo("Closed Lost");
                    assertThat(o.getField("IsWon")).isEqualTo("false");
                    assertThat(o.getField("Amount")).isNull();
                }
            }
            assertThat(stages).containsExactly("Closed Lost", "Closed Won");
            assertThat(conn.query("SELECT Id FROM Opportunity WHERE IsWon = true").getSize())
                    .isEqualTo((int) sf.emulator.opportunities().stream().filter(o -> Boolean.TRUE.equals(o.get("is_won")))
                            .count());
            assertThat(sf.emulator.pendingPipelineEvents()).isZero();
        }
    }

    @Test
    void aboutAThirdOfAcceptedLeadsConvertByDefaultAndWhichOnesDependsOnlyOnSeedAndExternalId() throws Exception {
        Set<Object> converted;
        long accepted;
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            SObject[] batch = gradeALeads(200);
            PartnerConnection conn = sf.connect();
            conn.upsert(EXT, java.util.Arrays.copyOfRange(batch, 0, 200));
            sf.clock.advance(Duration.ofDays(20));
            accepted = sf.emulator.leads().stream().filter(m -> m.get("reject_reason") == null).count();
            converted = convertedExternalIds(sf);
        }
        Set<Object> reversed;
        try (SalesforceHarness sf = new SalesforceHarness(SalesforceEmulator.Settings.defaults())) {
            List<SObject> leads = new ArrayList<>(List.of(gradeALeads(200)));
            java.util.Collections.reverse(leads);
            PartnerConnection conn = sf.connect();
            conn.upsert(EXT, leads.subList(0, 100).toArray(SObject[]::new));
            sf.clock.advance(Duration.ofHours(3));
            conn = sf.connect();
            conn.upsert(EXT, leads.subList(100, 200).toArray(SObject[]::new));
            sf.clock.advance(Duration.ofDays(20));
            reversed = convertedExternalIds(sf);
        }

        assertThat((double) converted.size() / accepted).isBetween(0.25, 0.45);
        assertThat(reversed).isEqualTo(converted);
    }

    @Test
    void convertedLeadCannotBeUpdatedAnyMore() throws Exception {
        try (SalesforceHarness sf = new SalesforceHarness(EVERY_ACCEPTED_LEAD_CONVERTS)) {
            sf.connect().upsert(EXT, gradeALeads(10));
            sf.clock.advance(Duration.ofDays(2));
            String ext = (String) sf.emulator.leads().stream().filter(m -> Boolean.TRUE.equals(m.get("is_converted")))
                    .findFirst().orElseThrow().get("external_id");
            SObject again = lead(ext, "Again", "Acme", null);

            UpsertResult[] r = sf.connect().upsert(EXT, new SObject[]{again});

            assertThat(r[0].getSuccess()).isFalse();
            assertThat(r[0].getErrors()[0].getStatusCode().name()).isEqualTo("CANNOT_UPDATE_CONVERTED_LEAD");
            assertThat(r[0].getErrors()[0].getMessage()).isEqualTo("cannot reference converted lead");
            assertThat(sf.emulator.countLeadsWithExternalId(ext)).isEqualTo(1);
        }
    }

    private static Set<Object> convertedExternalIds(SalesforceHarness sf) {
        return sf.emulator.leads().stream().filter(m -> Boolean.TRUE.equals(m.get("is_converted")))
                .map(m -> m.get("external_id")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static SObject[] gradeALeads(int n) {
        return IntStream.range(0, n).mapToObj(i -> {
            SObject s = lead("conv-" + i, "L" + i, "Acme", "l" + i + "@acme.example");
            s.setField("Handoff_Grade__c", "A1");
            return s;
        }).toArray(SObject[]::new);
    }

    private static List<String> idsWithStatus(SalesforceHarness sf, String status) {
        return sf.emulator.leads().stream().filter(m -> status.equals(m.get("status"))).map(m -> (String) m.get("id"))
                .toList();
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
    }
}
