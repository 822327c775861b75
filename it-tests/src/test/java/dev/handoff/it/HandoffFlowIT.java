package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.Records;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handoff route end to end: Marketo feed → definition → Salesforce, through the real application. */
class HandoffFlowIT {

    @TempDir
    Path dir;
    EmulatedWorld world;

    @BeforeEach
    void start() {
        world = new EmulatedWorld(dir, 1);
    }

    @AfterEach
    void stop() {
        try {
            assertThat(world.sandbox.unmatchedRequests()).isEmpty();
        } finally {
            world.close();
        }
    }

    @Test
    void mqlReachesSalesforceWithScoreGradeExplanationAndVersionWhileOthersStayInTheLedger() {
        Instant now = world.clock.instant();
        int mql = Leads.strongMql(world.sandbox.marketo(), now, "ana.rivera@initech.example");
        int cold = Leads.notQualified(world.sandbox.marketo(), now, "sam.okafor@tinyshop.example");
        int personal = Leads.withActivity(world.sandbox.marketo(), now,
                Leads.lead("vp.big@gmail.com", "Stone", "Big Corp", "VP Sales", 90_000_000, 5000));

        world.startApplication();

        List<Map<String, Object>> crm = world.sandbox.salesforce().leads();
        assertThat(crm).singleElement().satisfies(l -> {
            assertThat(l.get("external_id")).isEqualTo(String.valueOf(mql));
            assertThat(l.get("email")).isEqualTo("ana.rivera@initech.example");
            assertThat(l.get("grade")).isEqualTo("A3");
            assertThat(l.get("definition_version")).isEqualTo("acme-mql@v3");
        });
        LedgerLead handed = world.app().ledger().lead(String.valueOf(mql)).orElseThrow();
        assertThat(handed.state()).isEqualTo(LeadState.HANDED_OFF);
        assertThat(handed.crmId()).isEqualTo(crm.get(0).get("id"));
        assertThat(handed.explanation()).startsWith("MQL").contains("seniority").hasSizeLessThanOrEqualTo(1000);
        assertThat(handed.slaDueAt()).isEqualTo(handed.handedOffAt().plus(java.time.Duration.ofHours(24)));

        assertThat(world.app().ledger().lead(String.valueOf(cold)).orElseThrow().state()).isEqualTo(LeadState.NOT_QUALIFIED);
        LedgerLead disqualified = world.app().ledger().lead(String.valueOf(personal)).orElseThrow();
        assertThat(disqualified.state()).isEqualTo(LeadState.NOT_QUALIFIED);
        assertThat(disqualified.explanation()).contains("personal-email");
    }

    @Test
    void badMarketoLeadsAreQuarantinedWithAReasonAndTheRestOfTheBatchIsHandedOff() {
        Instant now = world.clock.instant();
        var mk = world.sandbox.marketo();
        int good = Leads.strongMql(mk, now, "good.lead@initech.example");
        int noEmail = Leads.withActivity(mk, now, Leads.lead(null, "Nobody", "Initech", "VP Sales", 80_000_000, 900));
        int badEmail = Leads.withActivity(mk, now, Leads.lead("jane.doe@", "Doe", "Initech", "VP Sales", 80_000_000, 900));
        int longName = Leads.withActivity(mk, now, Leads.lead("long@initech.example", "L".repeat(300), "Initech", "VP Sales",
                80_000_000, 900));
        int good2 = Leads.strongMql(mk, now, "second.good@initech.example");

        world.startApplication();

        var ledger = world.app().ledger();
        assertThat(ledger.lead(String.valueOf(noEmail)).orElseThrow().quarantineCode()).isEqualTo("MISSING_EMAIL");
        assertThat(ledger.lead(String.valueOf(badEmail)).orElseThrow().quarantineCode()).isEqualTo("INVALID_EMAIL");
        LedgerLead tooLong = ledger.lead(String.valueOf(longName)).orElseThrow();
        assertThat(tooLong.quarantineCode()).isEqualTo("FIELD_TOO_LONG");
        assertThat(tooLong.quarantineMessage()).isEqualTo("last_name is 300 characters; Salesforce allows 80");
        assertThat(ledger.quarantined()).hasSize(3).allSatisfy(l -> assertThat(l.state()).isEqualTo(LeadState.QUARANTINED));
        assertThat(world.sandbox.salesforce().leads()).extracting(l -> l.get("external_id"))
                .containsExactlyInAnyOrder(String.valueOf(good), String.valueOf(good2));
    }

    @Test
    void salesforceRecordErrorQuarantinesOnlyThatLead() {
        world.startApplication();
        var ledger = world.app().ledger();
        ledger.recordActivityPage(List.of(), List.of("9001", "9002", "9003"), "test", "t");
        Map<String, String> ok = Map.of("email", "fine@initech.example", "last_name", "Fine", "company", "Initech");
        Map<String, String> bad = Map.of("email", "not-an-address", "last_name", "Bad", "company", "Initech");
        Map<String, String> noCompany = Map.of("email", "nocompany@initech.example", "last_name", "Solo");
        ledger.recordQualifications(List.of(
                new Records.Qualified("9001", "fine@initech.example", ok, 60, 40, "B2", true, null, "MQL", "acme-mql@v3"),
                new Records.Qualified("9002", "not-an-address", bad, 60, 40, "B2", true, null, "MQL", "acme-mql@v3"),
                new Records.Qualified("9003", "nocompany@initech.example", noCompany, 60, 40, "B2", true, null, "MQL",
                        "acme-mql@v3")), world.clock.instant());

        world.cycle();

        assertThat(ledger.lead("9001").orElseThrow().state()).isEqualTo(LeadState.HANDED_OFF);
        LedgerLead refused = ledger.lead("9002").orElseThrow();
        assertThat(refused.state()).isEqualTo(LeadState.QUARANTINED);
        assertThat(refused.quarantineSystem()).isEqualTo("salesforce");
        assertThat(refused.quarantineCode()).isEqualTo("INVALID_EMAIL_ADDRESS");
        assertThat(ledger.lead("9003").orElseThrow().quarantineCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(world.sandbox.salesforce().leads()).extracting(l -> l.get("external_id")).containsExactly("9001");
    }

    @Test
    void idleCycleCostsOneCallPerSystem() {
        Leads.strongMql(world.sandbox.marketo(), world.clock.instant(), "idle.check@initech.example");
        world.startApplication();
        world.cycle();
        long marketo = world.sandbox.marketo().apiCalls();
        long salesforce = world.sandbox.salesforce().apiCalls();

        world.cycle();

        assertThat(world.sandbox.marketo().apiCalls() - marketo).isEqualTo(1);
        assertThat(world.sandbox.salesforce().apiCalls() - salesforce).isEqualTo(1);
    }
}
