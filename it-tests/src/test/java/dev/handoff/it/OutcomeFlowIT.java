package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.LeadState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What became of a lead after sales took it: conversion, then won or lost, back to marketing. */
class OutcomeFlowIT {

    @TempDir
    Path dir;
    EmulatedWorld world;

    @AfterEach
    void stop() {
        try {
            assertThat(world.sandbox.unmatchedRequests()).isEmpty();
        } finally {
            world.close();
        }
    }

    @Test
    void convertedLeadsReportTheirOpportunityAndThenWonOrLostToMarketing() {
        world = new EmulatedWorld(dir, 21, s -> s.withPipeline(new SalesforceEmulator.Pipeline(1.0, Duration.ofHours(2),
                Duration.ofHours(4), "Closed - Converted", 0.5, Duration.ofDays(1), Duration.ofDays(2))));
        Instant now = world.clock.instant();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(Leads.strongMql(world.sandbox.marketo(), now, "deal" + i + "@initech.example"));
        }
        world.startApplication();

        var sf = world.sandbox.salesforce();
        for (int cycle = 0; cycle < 20; cycle++) {
            world.cycle();
            if (sf.pendingDecisions() == 0 && sf.pendingPipelineEvents() == 0
                    && world.app().ledger().openOpportunities("", 1).isEmpty()) {
                break;
            }
        }

        assertThat(world.sandbox.salesforce().pendingPipelineEvents()).isZero();
        var counts = world.app().ledger().counts();
        assertThat(counts.accepted()).isPositive();
        assertThat(counts.converted()).as("every accepted lead converted").isEqualTo(counts.accepted());
        assertThat(counts.won() + counts.lost()).isEqualTo(counts.converted());
        assertThat(counts.won()).isPositive();
        assertThat(counts.lost()).isPositive();
        for (int id : ids) {
            LedgerLead l = world.app().ledger().lead(String.valueOf(id)).orElseThrow();
            Map<String, Object> mk = world.sandbox.marketo().lead(id).orElseThrow();
            if (l.state() == LeadState.ACCEPTED) {
                assertThat(l.opportunityId()).startsWith("006");
                assertThat(mk.get("handoffOutcome")).isIn("won", "lost");
                assertThat(mk.get("handoffOutcome")).isEqualTo(l.outcome().toLowerCase(java.util.Locale.ROOT));
                if ("WON".equals(l.outcome())) {
                    assertThat(l.opportunityAmount()).isPositive();
                }
            } else {
                assertThat(mk.get("handoffOutcome")).isNull();
            }
        }
    }

    @Test
    void leadsSalesDeletesOrMergesAreReportedAsRejectedWithWhatHappened() {
        world = new EmulatedWorld(dir, 22);
        Instant now = world.clock.instant();
        int deleted = Leads.strongMql(world.sandbox.marketo(), now, "gone@initech.example");
        int victim = Leads.strongMql(world.sandbox.marketo(), now, "twin.one@initech.example");
        int master = Leads.strongMql(world.sandbox.marketo(), now, "twin.two@initech.example");
        world.startApplication();
        var ledger = world.app().ledger();
        world.sandbox.salesforce().deleteLead(ledger.lead(String.valueOf(deleted)).orElseThrow().crmId());
        String masterId = ledger.lead(String.valueOf(master)).orElseThrow().crmId();
        world.sandbox.salesforce().mergeLeads(masterId, ledger.lead(String.valueOf(victim)).orElseThrow().crmId());

        world.cycle();

        LedgerLead d = ledger.lead(String.valueOf(deleted)).orElseThrow();
        assertThat(d.state()).isEqualTo(LeadState.REJECTED);
        assertThat(d.salesStatus()).isEqualTo("DELETED");
        LedgerLead v = ledger.lead(String.valueOf(victim)).orElseThrow();
        assertThat(v.state()).isEqualTo(LeadState.REJECTED);
        assertThat(v.rejectReason()).isEqualTo("DUPLICATE");
        assertThat(v.rejectComment()).isEqualTo("merged into Salesforce Lead " + masterId);
        assertThat(world.sandbox.marketo().lead(victim).orElseThrow().get("handoffRejectReason")).isEqualTo("DUPLICATE");
        assertThat(ledger.lead(String.valueOf(master)).orElseThrow().state()).isIn(LeadState.ACCEPTED, LeadState.REJECTED);
    }
}
