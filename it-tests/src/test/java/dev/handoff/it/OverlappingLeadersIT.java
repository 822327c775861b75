package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.app.HandoffApplication;
import dev.handoff.config.Settings;
import dev.handoff.ledger.FeedbackStatus;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.LedgerLead;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worst case leader election guards against: two replicas both running every flow on one
 * PostgreSQL ledger at the same time (election off on both, as when a leader frozen past its lease
 * wakes up beside its successor). They race on the same leads, yet no lead reaches Salesforce
 * twice and every verdict reaches Marketo once the run settles, because upserts are keyed by the
 * external id and ledger transitions only move a lead forward.
 */
class OverlappingLeadersIT {

    @TempDir
    Path dir;

    @Test
    void twoActiveReplicasOnOneLedgerHandNoLeadOffTwice() {
        try (PostgresSchema schema = new PostgresSchema("overlap_it");
             EmulatedWorld world = new EmulatedWorld(dir, 7)) {
            Instant now = world.clock.instant();
            List<Integer> mqls = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                mqls.add(Leads.strongMql(world.sandbox.marketo(), now, "overlap" + i + "@initech.example"));
                Leads.notQualified(world.sandbox.marketo(), now, "junior" + i + "@tinyshop.example");
            }
            world.extraProperties.put("handoff.ledger.url", schema.url());
            world.extraProperties.put("handoff.ledger.user", PostgresSchema.USER);
            world.extraProperties.put("handoff.ha.enabled", "false");
            Map<String, String> props = world.properties();

            try (HandoffApplication one = HandoffApplication.start(new Settings(props), world.clock);
                 HandoffApplication two = HandoffApplication.start(new Settings(props), world.clock)) {
                // each step: simulated time moves one interval, then both replicas finish a cycle
                for (int step = 0; step < 4; step++) {
                    Instant at = world.clock.instant();
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                            .until(() -> one.allFlowsCompletedSince(at) && two.allFlowsCompletedSince(at));
                    if (one.ledger().counts().inFlight() == 0 && world.sandbox.salesforce().pendingDecisions() == 0
                            && one.ledger().counts().leads() == 300) {
                        break;
                    }
                    world.clock.advance(EmulatedWorld.INTERVAL);
                }

                assertThat(one.salesforce().apiUsage().ourCalls24h()).as("replica one worked").isPositive();
                assertThat(two.salesforce().apiUsage().ourCalls24h()).as("replica two worked").isPositive();
                List<Map<String, Object>> crm = world.sandbox.salesforce().leads();
                Map<Object, Long> byExternalId = crm.stream().collect(Collectors.groupingBy(l -> l.get("external_id"),
                        Collectors.counting()));
                assertThat(byExternalId).hasSize(mqls.size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1L));
                assertThat(one.ledger().counts().inFlight()).isZero();
                assertThat(one.ledger().counts().quarantined()).isZero();
                for (int id : mqls) {
                    LedgerLead l = two.ledger().lead(String.valueOf(id)).orElseThrow();
                    assertThat(l.state()).isIn(LeadState.ACCEPTED, LeadState.REJECTED);
                    assertThat(l.feedbackStatus()).isEqualTo(FeedbackStatus.WRITTEN);
                    assertThat(world.sandbox.salesforce().countLeadsWithExternalId(String.valueOf(id))).isEqualTo(1);
                    assertThat(world.sandbox.marketo().lead(id).orElseThrow().get("handoffSalesStatus"))
                            .isEqualTo(l.salesStatus());
                }
                assertThat(world.sandbox.unmatchedRequests()).isEmpty();
            }
        }
    }
}
