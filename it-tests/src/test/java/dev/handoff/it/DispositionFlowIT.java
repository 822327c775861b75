package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.ledger.FeedbackStatus;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.LeadState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The disposition route end to end: sales verdicts in Salesforce → ledger → feedback fields in
 * Marketo, with the ledger on the embedded H2 default and on PostgreSQL (a fresh schema each; there
 * the replica also wins the leader election before its flows run).
 */
@ParameterizedClass(name = "ledger on {0}")
@ValueSource(strings = {"h2", "postgresql"})
class DispositionFlowIT {

    @Parameter
    String database;
    @TempDir
    Path dir;
    EmulatedWorld world;
    PostgresSchema schema;
    final List<Integer> ids = new ArrayList<>();

    @BeforeEach
    void start() {
        world = new EmulatedWorld(dir, 3);
        if (database.equals("postgresql")) {
            schema = new PostgresSchema("disposition_it");
            world.extraProperties.put("handoff.ledger.url", schema.url());
            world.extraProperties.put("handoff.ledger.user", PostgresSchema.USER);
        }
        Instant now = world.clock.instant();
        for (int i = 0; i < 40; i++) {
            ids.add(Leads.strongMql(world.sandbox.marketo(), now, "buyer" + i + "@initech.example"));
        }
        world.startApplication();
    }

    @AfterEach
    void stop() {
        try {
            assertThat(world.sandbox.unmatchedRequests()).isEmpty();
        } finally {
            world.close();
            if (schema != null) {
                schema.close();
            }
        }
    }

    @Test
    void everySalesVerdictReachesTheMarketoFieldsMarketingSees() {
        assertThat(world.sandbox.salesforce().leads()).hasSize(40);

        world.cycle();

        assertThat(world.sandbox.salesforce().pendingDecisions()).isZero();
        int rejected = 0;
        for (int id : ids) {
            LedgerLead l = world.app().ledger().lead(String.valueOf(id)).orElseThrow();
            assertThat(l.state()).isIn(LeadState.ACCEPTED, LeadState.REJECTED);
            assertThat(l.feedbackStatus()).isEqualTo(FeedbackStatus.WRITTEN);
            Map<String, Object> mk = world.sandbox.marketo().lead(id).orElseThrow();
            assertThat(mk.get("handoffSalesStatus")).isEqualTo(l.salesStatus());
            assertThat(mk.get("handoffSalesOwner")).isEqualTo(l.salesOwner());
            assertThat(String.valueOf(mk.get("handoffSlaBreached"))).as("verdict inside the 24 h window").isEqualTo("false");
            if (l.state() == LeadState.REJECTED) {
                rejected++;
                assertThat(mk.get("handoffRejectReason")).isEqualTo(l.rejectReason()).isNotNull();
                assertThat(l.reasonAction()).isIn("DISQUALIFY", "RECYCLE", "MERGE");
                assertThat(mk.get("handoffAcceptedAt")).isNull();
            } else {
                assertThat(mk.get("handoffAcceptedAt")).isNotNull();
                assertThat(mk.get("handoffRejectReason")).isNull();
            }
        }
        assertThat(rejected).as("reps reject some strong leads too").isBetween(1, 39);
        if (schema != null) {
            assertThat(schema.count("lead")).as("the ledger really is in the PostgreSQL schema").isEqualTo(40);
        }
    }

    @Test
    void ourOwnWritesComingBackAsChangesCauseNoFurtherFeedback() {
        world.cycle();
        Object feedbackCalls = ((Map<?, ?>) world.sandbox.marketo().state().get("calls_by_endpoint")).get("leads.sync");

        world.cycle();
        world.cycle();

        assertThat(((Map<?, ?>) world.sandbox.marketo().state().get("calls_by_endpoint")).get("leads.sync"))
                .isEqualTo(feedbackCalls);
        assertThat(world.app().ledger().feedbackPending("", 10)).isEmpty();
    }

    @Test
    void rejectedLeadWithARecycleReasonIsMarkedForNurtureAfterItsDelay() {
        world.cycle();
        List<LedgerLead> recycled = ids.stream().map(id -> world.app().ledger().lead(String.valueOf(id)).orElseThrow())
                .filter(l -> "RECYCLE".equals(l.reasonAction())).toList();
        assertThat(recycled).isNotEmpty().allSatisfy(l ->
                assertThat(l.rejectReason()).isIn("WRONG_CONTACT", "NOT_INTERESTED", "NO_BUDGET", "OTHER"));
        assertThat(world.app().ledger().counts().recycled()).isEqualTo(recycled.size());
    }
}
