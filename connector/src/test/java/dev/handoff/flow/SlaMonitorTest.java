package dev.handoff.flow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.handoff.config.Secret;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.error.ErrorClass;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.Records;
import dev.handoff.ledger.SlaFact;
import dev.handoff.map.MapGateway;
import dev.handoff.salesforce.SalesforceGateway;
import dev.handoff.sla.SlaAlert;
import dev.handoff.transport.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The SLA monitor against a real (H2) ledger, with Salesforce, the MAP and the alert webhook as recording fakes. */
class SlaMonitorTest {

    private static final Instant T0 = Instant.parse("2026-11-04T09:00:00Z");
    private static final Definition DEFINITION = DefinitionLoader.load(Path.of("../config/qualification.yaml"));

    @TempDir
    Path dir;

    private Ledger ledger;
    private final List<List<SalesforceGateway.LeadUpdate>> crmCalls = new ArrayList<>();
    private final Map<String, SalesforceGateway.UpdateOutcome> crmFailures = new HashMap<>();
    private final List<List<String>> mapCalls = new ArrayList<>();
    private final Set<String> mapRefuses = new HashSet<>();
    private final List<String> alerts = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger monitorLog = (Logger) LoggerFactory.getLogger("dev.handoff");

    @BeforeEach
    void openLedger() {
        ledger = Ledger.open("jdbc:h2:file:" + dir.resolve("ledger-" + UUID.randomUUID()), "sa", Secret.of(""),
                Clock.fixed(T0, ZoneOffset.UTC));
        logs.start();
        monitorLog.addAppender(logs);
    }

    @AfterEach
    void close() {
        monitorLog.detachAppender(logs);
        ledger.close();
    }

    /** Leads handed off a day and more ago, each due {@code dueAgo} before T0. */
    private void handedOff(Duration dueAgo, String... ids) {
        ledger.recordActivityPage(List.of(), List.of(ids), "w", "t-" + ids[0]);
        List<Records.Qualified> q = new ArrayList<>();
        List<Records.HandedOff> h = new ArrayList<>();
        for (String id : ids) {
            q.add(new Records.Qualified(id, "rep" + id + "@globex.example", Map.of(), 60, 40, "B2", true, null, "MQL",
                    "acme-mql@v3"));
            h.add(new Records.HandedOff(id, "00Q" + id, T0.minus(Duration.ofDays(1)).minus(dueAgo), T0.minus(dueAgo)));
        }
        ledger.recordQualifications(q, T0.minus(Duration.ofDays(2)));
        ledger.recordHandoffs(h);
    }

    private MapGateway map(int batch) {
        return new MapGateway() {
            @Override
            public String system() {
                return "marketo";
            }

            @Override
            public int readBatchSize() {
                return batch;
            }

            @Override
            public int writeBatchSize() {
                return batch;
            }

            @Override
            public Map<String, Map<String, String>> readLeads(List<String> ids) {
                throw new AssertionError("the monitor reads nothing from the MAP");
            }

            @Override
            public List<FeedbackResult> writeFeedback(List<Feedback> feedback) {
                throw new AssertionError("the monitor writes only the SLA flag");
            }

            @Override
            public List<FeedbackResult> flagSlaBreached(List<String> mapIds) {
                assertThat(mapIds.size()).isLessThanOrEqualTo(batch);
                mapCalls.add(List.copyOf(mapIds));
                return mapIds.stream().map(id -> mapRefuses.contains(id)
                        ? new FeedbackResult(id, false, "1004", "Lead not found") : new FeedbackResult(id, true, null, null)).toList();
            }
        };
    }

    private SlaMonitor monitor(int crmBatch, int mapBatch, Duration grace, SlaAlert alert) {
        return new SlaMonitor(updates -> {
            crmCalls.add(List.copyOf(updates));
            return updates.stream().map(u -> crmFailures.getOrDefault(u.crmId(),
                    new SalesforceGateway.UpdateOutcome(u.crmId(), true, null, null, null))).toList();
        }, crmBatch, map(mapBatch), ledger, DEFINITION, alert, Clock.fixed(T0, ZoneOffset.UTC), grace);
    }

    private static SlaAlert noAlert() {
        return new SlaAlert(Optional.empty(), r -> {
            throw new AssertionError("no alert expected");
        }, d -> { }, Duration.ZERO);
    }

    private Map<String, Instant> flaggedInLedger() {
        Map<String, Instant> out = new HashMap<>();
        ledger.forEachSlaFact(100, (SlaFact f) -> {
            if (f.slaBreachedAt() != null) {
                out.put(f.mapId(), f.slaBreachedAt());
            }
        });
        return out;
    }

    @Test
    void overdueLeadsAreFlaggedInSalesforceTheMapAndTheLedgerInBatchesOnce() {
        handedOff(Duration.ofHours(2), "1", "2", "3");
        handedOff(Duration.ofHours(-1), "4");
        SlaMonitor monitor = monitor(2, 300, Duration.ZERO, noAlert());

        assertThat(monitor.check()).isEqualTo(3);
        assertThat(crmCalls).extracting(List::size).containsExactly(2, 1);
        assertThat(crmCalls.get(0)).allSatisfy(u -> assertThat(u.fields())
                .containsExactly(Map.entry(SalesforceLeadWriter.SLA_BREACHED_FIELD, Boolean.TRUE)));
        assertThat(crmCalls.stream().flatMap(List::stream).map(SalesforceGateway.LeadUpdate::crmId))
                .containsExactly("00Q1", "00Q2", "00Q3");
        assertThat(mapCalls).containsExactly(List.of("1", "2"), List.of("3"));
        assertThat(flaggedInLedger()).containsOnlyKeys("1", "2", "3").containsValue(T0);
        assertThat(monitor.breachesFlagged()).isEqualTo(3);

        assertThat(monitor.check()).as("a flagged lead is not flagged again").isZero();
        assertThat(crmCalls).hasSize(2);
        List<String> warnings = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).anySatisfy(m -> assertThat(m).startsWith("sla: 2 leads past their accept window (24h)")
                .contains("r***@globex.example").doesNotContain("rep1@"));
    }

    @Test
    void aLeadSalesforceCannotUpdateNowWaitsAndOneItRefusesForGoodIsStillFlagged() {
        handedOff(Duration.ofHours(2), "1", "2", "3");
        crmFailures.put("00Q1", new SalesforceGateway.UpdateOutcome("00Q1", false, "UNABLE_TO_LOCK_ROW", "locked",
                ErrorClass.TRANSIENT));
        crmFailures.put("00Q2", new SalesforceGateway.UpdateOutcome("00Q2", false, "ENTITY_IS_DELETED", "deleted",
                ErrorClass.PERMANENT_RECORD));
        mapRefuses.add("3");
        SlaMonitor monitor = monitor(200, 300, Duration.ZERO, noAlert());

        assertThat(monitor.check()).isEqualTo(2);
        assertThat(mapCalls).containsExactly(List.of("2", "3"));
        assertThat(flaggedInLedger()).containsOnlyKeys("2", "3");

        crmFailures.clear();
        assertThat(monitor.check()).isEqualTo(1);
        assertThat(mapCalls).containsExactly(List.of("2", "3"), List.of("1"));
        assertThat(flaggedInLedger()).containsOnlyKeys("1", "2", "3");
    }

    @Test
    void aLeadIsJudgedOnlyOnceTheGracePeriodAfterItsDueTimeHasPassed() {
        handedOff(Duration.ofMinutes(10), "1");
        handedOff(Duration.ofHours(1), "2");
        assertThat(monitor(200, 300, Duration.ofMinutes(30), noAlert()).check()).isEqualTo(1);
        assertThat(flaggedInLedger()).containsOnlyKeys("2");
    }

    @Test
    void theAlertWebhookHearsOfEachBatchAndItsFailureDoesNotStopTheFlow() {
        handedOff(Duration.ofHours(2), "1", "2", "3");
        SlaAlert alert = new SlaAlert(Optional.of(URI.create("https://chat.example.test/hook/secret")), request -> {
            alerts.add(new String(request.body(), java.nio.charset.StandardCharsets.UTF_8));
            if (alerts.size() <= 3) {
                throw new IOException("connection refused");
            }
            return new HttpResponse(200, Map.of(), new byte[0]);
        }, d -> { }, Duration.ofMillis(1));
        SlaMonitor monitor = monitor(2, 300, Duration.ZERO, alert);

        assertThat(monitor.check()).isEqualTo(3);
        // first batch: three failed attempts, then given up; second batch delivered at once
        assertThat(alerts).hasSize(4);
        assertThat(alerts.get(0)).contains("\"count\":2", "\"text\":\"2 leads handed to sales").doesNotContain("@globex");
        assertThat(alerts.get(3)).contains("\"count\":1", "00Q3");
        assertThat(monitor.alertsSent()).isEqualTo(1);
        assertThat(flaggedInLedger()).containsOnlyKeys("1", "2", "3");
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("alert webhook https://chat.example.test failed 3 times").doesNotContain("secret"));
    }
}
