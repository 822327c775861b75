package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.config.Secret;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.definition.RejectReason;
import dev.handoff.demo.EmulatedReps;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.it.process.HandoffProcess;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.Records;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test of issue 7: {@code handoff run} as its own JVM over 10,000 Marketo leads, killed
 * with SIGKILL at distinct points of the run and restarted each time. Kill points are chosen by
 * the progress the emulators observe (never by time): mid-intake, right after
 * the first Salesforce upsert, mid-handoff, while sales verdicts are being polled, mid-feedback and
 * mid-recycle. Afterwards every MQL exists exactly once in Salesforce, every verdict the emulated
 * reps made is on the lead in Marketo, and the ledger holds every lead in a final state.
 *
 * <p>Sales decide only when the test lets them: the emulators' world clock runs
 * {@link #SALES_HOLD} behind the wall clock, and reps take at least that long. Once handoff is
 * complete the world clock catches up, so verdicts arrive in one burst and then trickle in over
 * {@link #DECISION_SPREAD}, and the disposition-side kill points come in a known order.
 */
class CrashKillIT {

    private static final int LEADS = 10_000;
    private static final long SEED = 7;
    private static final int NURTURE_LIST = 1042;
    private static final int UPSERT_BATCH = 100;
    /** The dedupe lookup's size (the default): handoff sends full rounds of it while qualification goes on. */
    private static final int FIRST_ROUND = 1000;
    private static final Duration SALES_HOLD = Duration.ofMinutes(10);
    private static final Duration DECISION_SPREAD = Duration.ofSeconds(15);
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);
    private static final Path DEFINITION = Path.of("config/qualification.yaml");

    /** Where a kill landed, named by what the emulators showed at that moment. */
    enum Phase {
        MID_INTAKE, FIRST_UPSERT, MID_HANDOFF, DISPOSITION_POLL, MID_FEEDBACK, MID_RECYCLE
    }

    /** One SIGKILL: the phase it landed in, what the emulators showed, and the ledger right after it. */
    record Kill(Phase phase, long atSecond, String observed, Map<String, Long> ledgerByState) {
    }

    @TempDir
    Path dir;

    private final ShiftedClock world = new ShiftedClock(SALES_HOLD.negated());
    private Sandbox sandbox;
    private HandoffProcess child;
    private Path config;
    private Path ledgerFile;
    private String acceptedStatus;
    private int lives;
    private final long started = System.nanoTime();
    private final List<Kill> kills = new ArrayList<>();
    private final List<Phase> missed = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        if (child != null) {
            child.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void sigkillAtEveryStageOfATenThousandLeadRunLosesNothingAndDuplicatesNothing() throws Exception {
        Definition definition = DefinitionLoader.load(DEFINITION);
        SalesforceEmulator.Settings sf = EmulatedReps.forDefinition(definition, SALES_HOLD, SALES_HOLD.plus(DECISION_SPREAD),
                SEED);
        // Ten times Marketo's standard rate, still enforced: this test is about crashes, not throughput.
        MarketoEmulator.Settings mk = new MarketoEmulator.Settings("handoff-client", "handoff-secret", 1000,
                Duration.ofSeconds(20), 10, 500_000);
        sandbox = new Sandbox(world, sf, mk, 0).start();
        List<DemoLeadGenerator.SeedLead> seeded = DemoLeadGenerator.generate(SEED, LEADS, 0, world.instant());
        sandbox.marketo().seed(seeded);
        sandbox.marketo().addList(NURTURE_LIST, "Handoff nurture");
        Set<String> contactEmails = new HashSet<>();
        for (int i = 17; i < seeded.size(); i += 40) {
            Map<String, Object> f = seeded.get(i).fields();
            sandbox.salesforce().addContact((String) f.get("email"), (String) f.get("firstName"), (String) f.get("lastName"));
            contactEmails.add(((String) f.get("email")).toLowerCase(java.util.Locale.ROOT));
        }
        acceptedStatus = sf.acceptedStatus();
        writeConfig(sf, mk);
        SalesforceEmulator crm = sandbox.salesforce();
        MarketoEmulator map = sandbox.marketo();

        start();
        killWhen(Phase.MID_INTAKE, () -> map.callsTo("activities") >= 15 && map.callsTo("leads.filter") == 0,
                () -> map.callsTo("leads.filter") > 0,
                () -> "activity pages read " + map.callsTo("activities") + ", no lead read yet");
        // the first round: 1,000 MQLs (one dedupe lookup), upserts of 100 of which up to four run at once
        killWhen(Phase.FIRST_UPSERT, () -> crm.leadCount() > 0 && crm.leadCount() < FIRST_ROUND,
                () -> crm.leadCount() >= FIRST_ROUND, () -> crm.leadCount() + " Leads in Salesforce");
        // Handoff overlaps qualification (full rounds go out while later leads are read), so the next round after the
        // restart is mid-handoff and usually mid-qualification too; its parallel upserts are cut wherever they are.
        int leadsBefore = crm.leadCount();
        killWhen(Phase.MID_HANDOFF, () -> crm.leadCount() > leadsBefore, () -> false,
                () -> crm.leadCount() + " Leads in Salesforce (" + leadsBefore + " before this life)");

        // Qualification and handoff are over once this life has begun a second handoff cycle (a cycle reads the activity
        // feed first, and the first cycle after a start qualifies and hands off everything left) and nothing has been read
        // or written since; the ledger then says how many Leads handoff had to create. It can be read only while the
        // sidecar is down, so the sidecar is stopped for that.
        long feedReadsBefore = map.callsTo("activities");
        await("a second handoff cycle in this life").atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> alive() && map.callsTo("activities") >= feedReadsBefore + 2);
        awaitQuiet(() -> map.callsTo("leads.filter") * 1_000_000L + crm.leadCount());
        child.terminate();
        assertThat(child.waitFor(Duration.ofSeconds(60))).as("graceful stop").isNotEqualTo(-1);
        int expectedLeads = expectedCrmLeads(contactEmails);
        assertThat(expectedLeads).as("MQLs to hand off").isGreaterThan(1000);
        assertThat(crm.leadCount()).as(() -> "Leads in Salesforce the ledger does not expect: " + unexpectedCrmLeads(crm, contactEmails))
                .isEqualTo(expectedLeads);
        start();
        assertThat(verdictsIn(map)).as("no verdict before sales may decide").isZero();

        // Sales may decide now: about half of the verdicts are due at once, the rest trickle in.
        long pollsBefore = crm.callsTo("queryAll") + crm.callsTo("queryMore");
        world.catchUp();
        killWhen(Phase.DISPOSITION_POLL, () -> crm.callsTo("queryAll") + crm.callsTo("queryMore") > pollsBefore
                        && verdictsIn(map) == 0, () -> verdictsIn(map) > 0,
                () -> (crm.callsTo("queryAll") + crm.callsTo("queryMore") - pollsBefore) + " disposition queries since sales "
                        + "decided, no verdict in Marketo");
        long verdictsBefore = verdictsIn(map);
        killWhen(Phase.MID_FEEDBACK, () -> between(verdictsIn(map), verdictsBefore + 1, 0.8 * expectedLeads),
                () -> verdictsIn(map) > 0.8 * expectedLeads, () -> verdictsIn(map) + " of " + expectedLeads
                        + " verdicts in Marketo");
        Set<String> recycleNow = reasonsRecycledAtOnce(definition);
        // Only progress made by this life counts: members left by the one before do not.
        int nurturedBefore = map.listMembers(NURTURE_LIST).size();
        killWhen(Phase.MID_RECYCLE, () -> map.listMembers(NURTURE_LIST).size() > nurturedBefore
                        && map.listMembers(NURTURE_LIST).size() < rejectedWith(crm, recycleNow),
                () -> crm.pendingDecisions() == 0 && map.listMembers(NURTURE_LIST).size() >= rejectedWith(crm, recycleNow),
                () -> map.listMembers(NURTURE_LIST).size() + " in nurture (" + nurturedBefore + " before this life) of "
                        + rejectedWith(crm, recycleNow) + " rejected for an immediate recycle");

        // Converged: sales are done, every verdict is in Marketo, every immediate recycle is in nurture, every lead
        // rejected for a disqualifying reason is flagged in Marketo.
        Set<String> disqualifying = definition.rejectReasons().values().stream()
                .filter(r -> r.action() == RejectReason.Action.DISQUALIFY).map(RejectReason::code).collect(Collectors.toSet());
        await("convergence").atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> alive()
                && crm.pendingDecisions() == 0 && verdictsIn(map) == expectedLeads
                && map.listMembers(NURTURE_LIST).size() == rejectedWith(crm, recycleNow)
                && flaggedDisqualified(crm, map, disqualifying) == rejectedWith(crm, disqualifying));
        child.terminate();
        assertThat(child.waitFor(Duration.ofSeconds(60))).as("graceful stop").isNotEqualTo(-1);

        kills.forEach(k -> System.out.println("CrashKillIT kill: " + k));
        System.out.println("CrashKillIT missed: " + missed + ", lives: " + lives);
        assertThat(kills).as("kills " + kills + ", missed " + missed).extracting(Kill::phase).doesNotHaveDuplicates();
        assertThat(kills.size()).as("distinct kill points hit: " + kills + ", missed " + missed).isGreaterThanOrEqualTo(5);
        assertNothingLostNothingDuplicated(definition, recycleNow, contactEmails);
        assertThat(map.rateLimitViolations()).as("Marketo rate limit violations").isZero();
        assertThat(sandbox.unmatchedRequests()).isEmpty();
    }

    private void assertNothingLostNothingDuplicated(Definition definition, Set<String> recycleNow, Set<String> contactEmails)
            throws SQLException {
        SalesforceEmulator crm = sandbox.salesforce();
        MarketoEmulator map = sandbox.marketo();
        Map<String, LedgerRow> ledger = new HashMap<>();
        Records.Counts counts;
        try (Ledger l = openLedger(); Connection c = l.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT map_id, state, crm_id, email, sales_status, reject_reason, reason_action,"
                        + " feedback_status, recycled_at, disqualified_at FROM lead")) {
            while (rs.next()) {
                ledger.put(rs.getString(1), new LedgerRow(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getObject(9) != null, rs.getObject(10) != null));
            }
            counts = l.counts();
        }
        // Nothing lost: every Marketo lead is in the ledger, in a final state, its feedback written.
        assertThat(ledger).hasSize(LEADS);
        assertThat(counts.inFlight()).as("in flight: " + counts.byState()).isZero();
        assertThat(counts.byState()).containsEntry("NEW", 0L).containsEntry("MQL", 0L).containsEntry("HANDED_OFF", 0L)
                .containsEntry("QUARANTINED", 0L);
        // Nothing duplicated: one Lead per MQL, each the one the ledger recorded, none the ledger does not know.
        List<Map<String, Object>> crmLeads = crm.leads();
        Map<Object, Long> perExternalId = crmLeads.stream().collect(Collectors.groupingBy(r -> String.valueOf(r.get("external_id")),
                Collectors.counting()));
        assertThat(perExternalId.values()).as("Leads per external id").allMatch(n -> n == 1);
        List<String> withCrmId = ledger.entrySet().stream().filter(e -> e.getValue().crmId() != null).map(Map.Entry::getKey)
                .toList();
        assertThat(crmLeads).hasSameSizeAs(withCrmId);
        int verdicts = 0;
        for (Map<String, Object> lead : crmLeads) {
            String ext = (String) lead.get("external_id");
            LedgerRow row = ledger.get(ext);
            assertThat(row).as("ledger entry of Salesforce Lead " + lead.get("id")).isNotNull();
            assertThat(row.crmId()).isEqualTo(lead.get("id"));
            // Every verdict sales made reached the ledger and marketing's fields on the lead.
            String status = (String) lead.get("status");
            String expectedState = acceptedStatus.equals(status) ? "ACCEPTED" : "REJECTED";
            assertThat(row.state()).as("ledger state of " + ext).isEqualTo(expectedState);
            assertThat(row.feedbackStatus()).as("feedback of " + ext).isEqualTo("WRITTEN");
            Map<String, Object> mkLead = map.lead(Integer.parseInt(ext)).orElseThrow();
            assertThat(mkLead.get("handoffSalesStatus")).as("sales status in Marketo of " + ext).isEqualTo(status);
            if ("REJECTED".equals(expectedState)) {
                assertThat(mkLead.get("handoffRejectReason")).as("reject reason in Marketo of " + ext)
                        .isEqualTo(lead.get("reject_reason"));
                assertThat(mkLead.get("handoffRejectComment")).isEqualTo(lead.get("reject_comment"));
                if (recycleNow.contains((String) lead.get("reject_reason"))) {
                    assertThat(row.recycled()).as("recycled " + ext).isTrue();
                    assertThat(map.listMembers(NURTURE_LIST)).contains(Integer.parseInt(ext));
                }
                if ("DISQUALIFY".equals(row.reasonAction())) {
                    assertThat(row.disqualified()).as("disqualified " + ext).isTrue();
                }
            } else {
                assertThat(mkLead.get("handoffAcceptedAt")).as("accepted at in Marketo of " + ext).isNotNull();
            }
            verdicts++;
        }
        assertThat(verdicts).isEqualTo(crmLeads.size());
        // MQLs sales already knew as Contacts got no Lead; marketing was told.
        ledger.forEach((id, row) -> {
            if ("EXISTING_CONTACT".equals(row.state())) {
                assertThat(contactEmails).contains(row.email().toLowerCase(java.util.Locale.ROOT));
                assertThat(crm.countLeadsWithExternalId(id)).isZero();
                assertThat(row.feedbackStatus()).isEqualTo("WRITTEN");
            }
        });
        assertThat(map.listMembers(NURTURE_LIST)).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(ledger.get(String.valueOf(id)).recycled()).isTrue());
        assertThat(definition.rejectReasons()).isNotEmpty();
    }

    record LedgerRow(String state, String crmId, String email, String salesStatus, String rejectReason, String reasonAction,
            String feedbackStatus, boolean recycled, boolean disqualified) {
    }

    // ------------------------------------------------------------------ kill machinery

    private void start() throws Exception {
        lives++;
        child = HandoffProcess.start(dir.resolve("life-" + lives + ".log"), Map.of(), "run", "--config", config.toString());
    }

    private boolean alive() throws Exception {
        if (!child.isAlive()) {
            throw new AssertionError("handoff exited by itself in life " + lives + ":\n" + tail(child.output()));
        }
        return true;
    }

    /**
     * Waits until {@code hit} holds and kills the sidecar at once, or gives the point up when
     * {@code tooLate} shows the run already went past it; then reads the ledger and restarts.
     */
    private void killWhen(Phase phase, BooleanSupplier hit, BooleanSupplier tooLate, java.util.function.Supplier<String> observed)
            throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        await(phase.name()).atMost(PHASE_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
            alive();
            if (hit.getAsBoolean()) {
                child.kill();
                seen.set(observed.get());
                return true;
            }
            return tooLate.getAsBoolean();
        });
        if (seen.get() == null) {
            missed.add(phase);
            return;
        }
        Map<String, Long> byState;
        try (Ledger l = openLedger()) {
            Records.Counts counts = l.counts();
            byState = counts.byState();
            // Whatever the moment of death, each lead the ledger knows is in exactly one state.
            assertThat(byState.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(counts.leads());
        }
        kills.add(new Kill(phase, (System.nanoTime() - started) / 1_000_000_000, seen.get(), byState));
        switch (phase) {
            case MID_INTAKE -> assertThat(byState.get("NEW")).as("intake recorded leads, none qualified: " + byState)
                    .isPositive().isEqualTo(byState.values().stream().mapToLong(Long::longValue).sum());
            case FIRST_UPSERT, MID_HANDOFF -> assertThat(byState.get("MQL")).as("MQLs still to hand off: " + byState).isPositive();
            default -> {
            }
        }
        start();
    }

    /** Waits until {@code progress} has not changed for three seconds (the sidecar running all along). */
    private void awaitQuiet(java.util.function.LongSupplier progress) {
        long[] last = {Long.MIN_VALUE, System.nanoTime()};
        await("no more progress").atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            alive();
            long now = progress.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - last[1] >= Duration.ofSeconds(3).toNanos();
        });
    }

    /** Each Salesforce Lead whose MAP lead the ledger neither handed off nor has waiting for handoff, with its ledger row. */
    private Map<String, String> unexpectedCrmLeads(SalesforceEmulator crm, Set<String> contactEmails) {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Ledger l = openLedger(); Connection c = l.dataSource().getConnection(); Statement st = c.createStatement()) {
            Map<String, String> rows = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT map_id, state, crm_id, email, quarantine_code FROM lead")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getString(2) + " crm=" + rs.getString(3) + " contact="
                            + contactEmails.contains(String.valueOf(rs.getString(4)).toLowerCase(java.util.Locale.ROOT))
                            + " quarantine=" + rs.getString(5));
                }
            }
            for (Map<String, Object> lead : crm.leads()) {
                String row = rows.get(String.valueOf(lead.get("external_id")));
                if (row == null || !(row.startsWith("HANDED_OFF") || row.startsWith("MQL"))) {
                    out.put(lead.get("external_id") + "/" + lead.get("id") + "/" + lead.get("email"), String.valueOf(row));
                }
            }
        } catch (SQLException e) {
            out.put("ledger", e.toString());
        }
        return out;
    }

    private int expectedCrmLeads(Set<String> contactEmails) {
        try (Ledger l = openLedger()) {
            Records.Counts counts = l.counts();
            assertThat(counts.byState().get("NEW")).as("qualification complete: " + counts.byState()).isZero();
            long alreadyHandedOff = counts.byState().get("HANDED_OFF");
            long awaiting = l.awaitingHandoff("", LEADS).stream()
                    .filter(m -> !contactEmails.contains(m.email().toLowerCase(java.util.Locale.ROOT))).count();
            return Math.toIntExact(alreadyHandedOff + awaiting);
        }
    }

    private Ledger openLedger() {
        return Ledger.open("jdbc:h2:file:" + ledgerFile.toAbsolutePath(), "sa", Secret.of(""), Clock.systemUTC());
    }

    private void writeConfig(SalesforceEmulator.Settings sf, MarketoEmulator.Settings mk) throws java.io.IOException {
        ledgerFile = dir.resolve("ledger");
        Map<String, String> p = new LinkedHashMap<>(sandbox.connectorProperties(sf, mk));
        p.put("handoff.definition", DEFINITION.toAbsolutePath().toString());
        p.put("handoff.ledger.url", "jdbc:h2:file:" + ledgerFile.toAbsolutePath());
        p.put("handoff.marketo.intake-since", world.instant().minus(Duration.ofDays(365)).toString());
        p.put("handoff.marketo.rate-limit-calls", String.valueOf(mk.rateLimitCalls()));
        p.put("handoff.marketo.rate-limit-window", mk.rateWindow().toString());
        p.put("handoff.marketo.recycle.list-id", String.valueOf(NURTURE_LIST));
        p.put("handoff.salesforce.upsert-batch-size", String.valueOf(UPSERT_BATCH));
        // The smallest page Salesforce allows, so a poll of the first burst of verdicts spans several calls.
        p.put("handoff.salesforce.query-batch-size", "200");
        for (String flow : List.of("intake", "disposition", "outcome", "recycle")) {
            p.put("handoff." + flow + ".interval", "1s");
        }
        p.put("handoff.poll.tick", "50ms");
        p.put("handoff.http.port", "0");
        p.put("handoff.retry.initial-delay", "100ms");
        StringBuilder text = new StringBuilder("# CrashKillIT: handoff run against the test's emulators\n");
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        config = Files.writeString(dir.resolve("application.properties"), text.toString(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ observations

    /** Sales verdicts on the Marketo leads (an existing-Contact notice is not one). */
    private static long verdictsIn(MarketoEmulator map) {
        return map.countLeadsWith("handoffAcceptedAt") + map.countLeadsWith("handoffRejectReason");
    }

    private static Set<String> reasonsRecycledAtOnce(Definition definition) {
        return definition.rejectReasons().values().stream()
                .filter(r -> r.action() == RejectReason.Action.RECYCLE && r.afterDays() == 0).map(RejectReason::code)
                .collect(Collectors.toSet());
    }

    /** Leads rejected for one of {@code reasons} whose Marketo lead carries the disqualified flag. */
    private static int flaggedDisqualified(SalesforceEmulator crm, MarketoEmulator map, Set<String> reasons) {
        return (int) crm.leads().stream().filter(l -> reasons.contains(String.valueOf(l.get("reject_reason"))))
                .filter(l -> map.lead(Integer.parseInt(String.valueOf(l.get("external_id"))))
                        .map(f -> Boolean.TRUE.equals(f.get("handoffDisqualified"))).orElse(false))
                .count();
    }

    private static int rejectedWith(SalesforceEmulator crm, Set<String> reasons) {
        return (int) crm.leads().stream().filter(l -> reasons.contains(String.valueOf(l.get("reject_reason")))).count();
    }

    private static boolean between(double value, double low, double high) {
        return value >= low && value <= high;
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }

    /** The wall clock shifted by an offset the test moves forward once: the emulators' world. */
    static final class ShiftedClock extends Clock {
        private final AtomicReference<Duration> offset;

        ShiftedClock(Duration offset) {
            this.offset = new AtomicReference<>(offset);
        }

        /** From now on the world runs on the wall clock. */
        void catchUp() {
            offset.set(Duration.ZERO);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the world clock runs in UTC");
        }
    }
}
