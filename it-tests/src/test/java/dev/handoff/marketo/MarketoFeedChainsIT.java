package dev.handoff.marketo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import dev.handoff.emulator.FaultPlan;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.engine.Activity;
import dev.handoff.flow.MarketoActivityPoller;
import dev.handoff.ledger.Ledger;
import dev.handoff.transport.JdkHttpTransport;
import dev.handoff.transport.SystemCircuit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MarketoActivityPoller} reading a large backlog as several chains against the Marketo
 * emulator: the same activities as one chain, a few calls more, and a stored position that a
 * failed poll always leaves before anything not yet recorded.
 */
class MarketoFeedChainsIT {

    private static final Instant NOW = Instant.parse("2026-11-02T09:00:00Z");
    private static final SalesforceEmulator.Settings SF = SalesforceEmulator.Settings.defaults();
    /** Limits out of the way: these tests count calls, they do not wait for windows. */
    private static final MarketoEmulator.Settings MK = new MarketoEmulator.Settings("handoff-client", "handoff-secret",
            100_000, Duration.ofSeconds(20), 10, 1_000_000);

    private final VirtualClock clock = new VirtualClock(NOW);
    @TempDir
    Path dir;
    private Sandbox sandbox;
    private MarketoEmulator emulator;
    private final List<Ledger> ledgers = new ArrayList<>();
    private final List<String> leadIds = new ArrayList<>();
    /** Activities the definition keeps (New Lead, webinar), so the ledger records them. */
    private int kept;

    @BeforeEach
    void startSandbox() {
        sandbox = new Sandbox(clock, SF, MK, 0).start();
        emulator = sandbox.marketo();
    }

    @AfterEach
    void close() {
        ledgers.forEach(Ledger::close);
        try {
            assertThat(sandbox.unmatchedRequests()).isEmpty();
        } finally {
            sandbox.close();
        }
    }

    /**
     * {@code leads} leads created over the 60 days before now, each with two webinars and a blog
     * visit (fetched by the feed's type filter, not kept by the activity map), all at times spread
     * evenly over those days (the emulator does not mind an activity before its lead's creation).
     */
    private void backlog(int leads) {
        Random random = new Random(11);
        Instant from = NOW.minus(Duration.ofDays(60));
        long spanSeconds = Duration.ofDays(60).toSeconds();
        for (int i = 0; i < leads; i++) {
            Instant created = from.plusSeconds(random.nextInt((int) spanSeconds));
            int id = emulator.addLead(Map.of("email", "lead" + i + "@chains.example", "company", "Chains " + i), created);
            leadIds.add(String.valueOf(id));
            kept++;
            for (int w = 0; w < 2; w++) {
                emulator.addActivity(id, 100001, "Webinar " + w, from.plusSeconds(random.nextInt((int) spanSeconds)));
                kept++;
            }
            emulator.addActivity(id, 1, "/blog/post-" + i, from.plusSeconds(random.nextInt((int) spanSeconds)));
        }
    }

    private Ledger ledger() {
        Ledger ledger = Ledger.open("jdbc:h2:file:" + dir.resolve("ledger-" + UUID.randomUUID()), "sa", Secret.of(""), clock);
        ledgers.add(ledger);
        return ledger;
    }

    private MarketoActivityPoller poller(Ledger ledger, int chains) {
        Map<String, String> p = new HashMap<>(sandbox.connectorProperties(SF, MK));
        p.put("handoff.marketo.rate-limit-calls", "100000");
        p.put("handoff.marketo.feed-chains", String.valueOf(chains));
        p.put("handoff.marketo.intake-since", NOW.minus(Duration.ofDays(61)).toString());
        MarketoConfig config = MarketoConfig.from(new Settings(p));
        MarketoClient client = new MarketoClient(config, new JdkHttpTransport(Duration.ofSeconds(5)), clock,
                SystemCircuit.alwaysClosed(MarketoClient.SYSTEM));
        return new MarketoActivityPoller(client, config, ledger, clock);
    }

    private Set<String> recorded(Ledger ledger) {
        return ledger.activitiesOf(leadIds).values().stream().flatMap(List::stream).map(Activity::id)
                .collect(Collectors.toSet());
    }

    private long tokens() {
        return emulator.callsTo("activities.pagingtoken");
    }

    private long pages() {
        return emulator.callsTo("activities");
    }

    @Test
    void aLargeBacklogIsReadAsSeveralChainsAndRecordsExactlyWhatOneChainRecords() {
        backlog(3_000);
        Ledger single = ledger();
        assertThat(poller(single, 1).poll()).isEqualTo(kept);
        long singleTokens = tokens();
        long singlePages = pages();
        Set<String> expected = recorded(single);
        assertThat(expected).hasSize(kept);
        assertThat(singlePages).as("12,000 feed items at 300 a page").isBetween(40L, 41L);

        Ledger chained = ledger();
        MarketoActivityPoller poller = poller(chained, 4);
        assertThat(poller.poll()).as("activities recorded, counting the few read twice where chains meet")
                .isBetween(kept, kept + 3 * 300);

        assertThat(recorded(chained)).isEqualTo(expected);
        assertThat(chained.leadsToFetch("", 10_000)).containsExactlyInAnyOrderElementsOf(leadIds);
        assertThat(tokens() - singleTokens).as("one paging token per chain").isEqualTo(4);
        assertThat(pages() - singlePages).as("at most one page read twice per extra chain")
                .isBetween(singlePages, singlePages + 3);

        long before = pages();
        assertThat(poller.poll()).as("the stored position is past everything").isZero();
        assertThat(pages() - before).isEqualTo(1);
        assertThat(tokens() - singleTokens).isEqualTo(4);
    }

    @Test
    void aBacklogOfAFewPagesStaysOneChain() {
        backlog(290);
        Ledger ledger = ledger();

        assertThat(poller(ledger, 4).poll()).isEqualTo(kept);

        assertThat(tokens()).isEqualTo(1);
        assertThat(pages()).as("1,160 feed items at 300 a page").isEqualTo(4);
    }

    @Test
    void newActivitiesAfterAChainedPollAreReadFromWhereItEnded() {
        backlog(3_000);
        Ledger ledger = ledger();
        MarketoActivityPoller poller = poller(ledger, 4);
        poller.poll();
        int lead = Integer.parseInt(leadIds.get(17));

        emulator.addActivity(lead, 100001, "Webinar late", NOW.plusSeconds(5));
        clock.advance(Duration.ofMinutes(1));

        assertThat(poller.poll()).isEqualTo(1);
        assertThat(ledger.activitiesOf(List.of(leadIds.get(17))).get(leadIds.get(17)))
                .extracting(Activity::occurredAt).contains(NOW.plusSeconds(5));
    }

    /**
     * Faults stop chained polls part-way, with chains at different points. After each failure,
     * what the ledger holds plus what a clean one-chain read from its stored position finds is the
     * whole feed: nothing before the stored position is missing. Polling again completes it.
     */
    @Test
    void aFailedPollLeavesAPositionBeforeWhichEverythingIsRecorded() {
        backlog(3_000);
        Set<String> expected = recorded(readAll(ledger()));
        int failures = 0;
        for (long seed = 1; seed <= 2; seed++) {
            Ledger ledger = ledger();
            MarketoActivityPoller poller = poller(ledger, 4);
            boolean complete = false;
            for (int attempt = 0; attempt < 40 && !complete; attempt++) {
                emulator.setFaults(new FaultPlan(0.05, seed * 100 + attempt).onlyKinds(List.of("HTTP_500")));
                Throwable failed = catchThrowable(poller::poll);
                emulator.setFaults(FaultPlan.none());
                if (failed == null) {
                    complete = true;
                    continue;
                }
                failures++;
                java.util.Optional<String> stored = ledger.watermark(MarketoActivityPoller.WATERMARK);
                if (stored.isEmpty()) {
                    assertThat(recorded(ledger)).as("no position stored, so nothing recorded").isEmpty();
                    continue;
                }
                Ledger rest = ledger();
                rest.putWatermark(MarketoActivityPoller.WATERMARK, stored.get());
                poller(rest, 1).poll();
                Set<String> union = new HashSet<>(recorded(ledger));
                union.addAll(recorded(rest));
                assertThat(union).as("recorded + what follows the stored position, seed %d attempt %d", seed, attempt)
                        .isEqualTo(expected);
            }
            assertThat(complete).as("seed %d: a poll got through within 40 attempts", seed).isTrue();
            assertThat(recorded(ledger)).isEqualTo(expected);
        }
        assertThat(failures).as("faults interrupted chained polls").isPositive();
    }

    private Ledger readAll(Ledger ledger) {
        poller(ledger, 1).poll();
        return ledger;
    }
}
