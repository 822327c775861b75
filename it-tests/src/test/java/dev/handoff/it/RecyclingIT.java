package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.emulator.marketo.MarketoEmulator;
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

/**
 * Recycling end to end on the virtual clock: sales reject leads in Salesforce with reasons whose
 * actions differ (WRONG_CONTACT recycles at once, NOT_INTERESTED after 90 days, NOT_RIGHT_FIT
 * disqualifies), and marketing finds each lead where the agreement says.
 */
class RecyclingIT {

    private static final int NURTURE_LIST = 1042;
    private static final int NURTURE_CAMPAIGN = 77;
    private static final List<String> REASONS = List.of("WRONG_CONTACT", "NOT_INTERESTED", "NOT_RIGHT_FIT");

    @TempDir
    Path dir;
    EmulatedWorld world;
    final List<Integer> ids = new ArrayList<>();

    /** Mid-fit MQLs (grade C: sales reject about half) and strong ones, rejected only with {@link #REASONS}. */
    private void start(Map<String, String> properties) {
        world = new EmulatedWorld(dir, 11, s -> s.withReps(REASONS, List.of(), Duration.ofMinutes(30), Duration.ofHours(5), 11));
        MarketoEmulator mk = world.sandbox.marketo();
        mk.addList(NURTURE_LIST, "Nurture - recycled by sales");
        mk.addCampaign(NURTURE_CAMPAIGN, "Recycled by sales");
        Instant now = world.clock.instant();
        for (int i = 0; i < 80; i++) {
            // Fit 43 (revenue 10, employees 8, industry 10, region 5, function 10), engagement 35.
            int id = mk.addLead(Leads.lead("mid" + i + "@hooli.example", "Mid" + i, "Hooli", "Marketing Manager",
                    20_000_000, 200), now.minus(Duration.ofDays(5)));
            mk.addActivity(id, 1, "/pricing", now.minus(Duration.ofDays(2)));
            mk.addActivity(id, 100001, "Pipeline Summit 2026", now.minus(Duration.ofDays(1)));
            ids.add(id);
        }
        for (int i = 0; i < 10; i++) {
            ids.add(Leads.strongMql(mk, now, "strong" + i + "@initech.example"));
        }
        world.extraProperties.putAll(properties);
        world.startApplication();
    }

    @AfterEach
    void stop() {
        try {
            assertThat(world.sandbox.unmatchedRequests()).isEmpty();
        } finally {
            world.close();
        }
    }

    private List<LedgerLead> ledgerLeads() {
        return ids.stream().map(id -> world.app().ledger().lead(String.valueOf(id)).orElseThrow()).toList();
    }

    private static List<Integer> withReason(List<LedgerLead> leads, String reason) {
        return leads.stream().filter(l -> l.state() == LeadState.REJECTED && reason.equals(l.rejectReason()))
                .map(l -> Integer.parseInt(l.mapId())).toList();
    }

    private static List<Integer> acceptedOf(List<LedgerLead> leads) {
        return leads.stream().filter(l -> l.state() == LeadState.ACCEPTED).map(l -> Integer.parseInt(l.mapId())).toList();
    }

    private Object disqualifiedFlag(int id) {
        return world.sandbox.marketo().lead(id).orElseThrow().get("handoffDisqualified");
    }

    @Test
    void rejectedLeadsJoinTheNurtureListAfterTheirReasonsDelay() {
        start(Map.of("handoff.marketo.recycle.list-id", String.valueOf(NURTURE_LIST)));
        MarketoEmulator mk = world.sandbox.marketo();

        world.cycle();

        List<LedgerLead> leads = ledgerLeads();
        assertThat(world.sandbox.salesforce().pendingDecisions()).isZero();
        List<Integer> wrongContact = withReason(leads, "WRONG_CONTACT");
        List<Integer> notInterested = withReason(leads, "NOT_INTERESTED");
        List<Integer> notRightFit = withReason(leads, "NOT_RIGHT_FIT");
        List<Integer> accepted = acceptedOf(leads);
        assertThat(wrongContact).as("WRONG_CONTACT rejections").isNotEmpty();
        assertThat(notInterested).as("NOT_INTERESTED rejections").isNotEmpty();
        assertThat(notRightFit).as("NOT_RIGHT_FIT rejections").isNotEmpty();
        assertThat(accepted).isNotEmpty();

        assertThat(mk.listMembers(NURTURE_LIST)).as("zero-day recycles join in the cycle that wrote the verdict")
                .containsExactlyInAnyOrderElementsOf(wrongContact);
        notRightFit.forEach(id -> assertThat(disqualifiedFlag(id)).as("lead " + id).isEqualTo(true));
        wrongContact.forEach(id -> assertThat(disqualifiedFlag(id)).as("lead " + id).isNull());
        assertThat(world.app().ledger().counts().recycledToNurture()).isEqualTo(wrongContact.size());
        assertThat(world.app().ledger().counts().disqualifiedMarked()).isEqualTo(notRightFit.size());

        world.advance(Duration.ofDays(89));
        assertThat(mk.listMembers(NURTURE_LIST)).as("90 days have not passed").doesNotContainAnyElementsOf(notInterested);

        world.advance(Duration.ofDays(2));
        List<Integer> expected = new ArrayList<>(wrongContact);
        expected.addAll(notInterested);
        assertThat(mk.listMembers(NURTURE_LIST)).containsExactlyInAnyOrderElementsOf(expected)
                .doesNotContainAnyElementsOf(notRightFit).doesNotContainAnyElementsOf(accepted);
        assertThat(world.app().ledger().counts().recycledToNurture()).isEqualTo(expected.size());
        assertThat(world.app().ledger().counts().quarantined()).isZero();
    }

    @Test
    void recyclingIsIdempotentAcrossCycles() {
        start(Map.of("handoff.marketo.recycle.list-id", String.valueOf(NURTURE_LIST)));
        world.cycle();
        Map<?, ?> calls = (Map<?, ?>) world.sandbox.marketo().state().get("calls_by_endpoint");
        Object adds = calls.get("lists.add");
        Object syncs = calls.get("leads.sync");

        world.cycle();
        world.cycle();

        Map<?, ?> after = (Map<?, ?>) world.sandbox.marketo().state().get("calls_by_endpoint");
        assertThat(after.get("lists.add")).isEqualTo(adds).isNotNull();
        assertThat(after.get("leads.sync")).isEqualTo(syncs);
    }

    @Test
    void recycledLeadsAreRequestedIntoTheConfiguredCampaign() {
        start(Map.of("handoff.marketo.recycle.campaign-id", String.valueOf(NURTURE_CAMPAIGN)));

        world.cycle();

        List<Integer> wrongContact = withReason(ledgerLeads(), "WRONG_CONTACT");
        assertThat(wrongContact).isNotEmpty();
        assertThat(world.sandbox.marketo().campaignRequests(NURTURE_CAMPAIGN)).containsExactlyInAnyOrderElementsOf(wrongContact);
        assertThat(world.sandbox.marketo().listMembers(NURTURE_LIST)).isEmpty();
    }

    @Test
    void withNothingConfiguredOnlyTheDueDateIsKeptAndDisqualifiedLeadsAreStillFlagged() {
        start(Map.of());

        world.cycle();

        List<LedgerLead> leads = ledgerLeads();
        assertThat(world.sandbox.marketo().listMembers(NURTURE_LIST)).isEmpty();
        assertThat(world.sandbox.marketo().campaignRequests(NURTURE_CAMPAIGN)).isEmpty();
        assertThat(world.app().ledger().counts().recycledToNurture()).isZero();
        assertThat(world.app().ledger().recycleDue("", 100)).containsExactlyInAnyOrderElementsOf(
                withReason(leads, "WRONG_CONTACT").stream().map(String::valueOf).toList());
        withReason(leads, "NOT_RIGHT_FIT").forEach(id -> assertThat(disqualifiedFlag(id)).isEqualTo(true));
    }
}
