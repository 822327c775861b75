package dev.handoff.it.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.it.process.HandoffProcess;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code handoff backfill} as an admin runs it, in its own small-heap JVM against the emulators,
 * with the ledger on PostgreSQL so the test can watch it: SIGKILLed mid-run and started again, it
 * finishes with every lead in the ledger exactly once and every MQL in Salesforce exactly once.
 */
class BackfillIT {

    private static final int LEADS = 3000;
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path dir;

    private final String schema = "backfill_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private Sandbox sandbox;

    @BeforeEach
    void createSchema() throws Exception {
        sql("CREATE SCHEMA " + schema);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void killedMidRunAndStartedAgainItHandsOffEveryMqlExactlyOnce() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant since = now.minus(Duration.ofDays(40));
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults();
        MarketoEmulator.Settings mk = MarketoEmulator.Settings.defaults();
        sandbox = new Sandbox(Clock.systemUTC(), sf, mk, 0).start();
        sandbox.marketo().generateHistory(21, LEADS, since, now);

        Properties p = new Properties();
        p.putAll(sandbox.connectorProperties(sf, mk));
        p.put("handoff.definition", Path.of("config/qualification.yaml").toAbsolutePath().toString());
        p.put("handoff.ledger.url", PG + "?currentSchema=" + schema);
        p.put("handoff.ledger.user", "postgres");
        p.put("handoff.backfill.since", since.toString());
        p.put("handoff.backfill.window-days", "10");
        p.put("handoff.backfill.batch-size", "200");
        p.put("handoff.backfill.download-chunk-kb", "256");
        p.put("handoff.backfill.poll-interval", "100ms");
        Path config = dir.resolve("application.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        List<String> jvm = List.of("-Xmx96m");

        // First run: killed (SIGKILL, no shutdown hook) once it is well into the leads.
        try (HandoffProcess first = HandoffProcess.start(dir.resolve("first.log"), Map.of(), jvm,
                "backfill", "--config", config.toString(), "--json")) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !first.isAlive() || count("SELECT COUNT(*) FROM lead") >= 800);
            assertThat(first.isAlive()).as("still running when killed; output:%n%s", first.output()).isTrue();
            first.kill();
        }
        long afterKill = count("SELECT COUNT(*) FROM lead");
        assertThat(afterKill).isBetween(800L, (long) LEADS);

        // Second run: resumes, skipping the windows the first one completed.
        JsonNode result;
        try (HandoffProcess second = HandoffProcess.start(dir.resolve("second.log"), Map.of(), jvm,
                "backfill", "--config", config.toString(), "--json")) {
            assertThat(second.waitFor(Duration.ofSeconds(180))).as(second.output()).isZero();
            String[] lines = second.output().strip().split("\\R");
            result = new ObjectMapper().readTree(lines[lines.length - 1]);
        }
        // The first run finished all four activity windows before it read a single lead.
        assertThat(result.path("windows_skipped").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(result.path("max_heap_mb").asDouble()).isLessThanOrEqualTo(96);

        // Every lead once in the ledger, none waiting, and Salesforce holds exactly the handed-off ones.
        assertThat(count("SELECT COUNT(*) FROM lead")).isEqualTo(LEADS);
        assertThat(count("SELECT COUNT(DISTINCT map_id) FROM lead")).isEqualTo(LEADS);
        assertThat(count("SELECT COUNT(*) FROM lead WHERE state IN ('NEW', 'MQL')")).isZero();
        long handedOff = count("SELECT COUNT(*) FROM lead WHERE state = 'HANDED_OFF'");
        assertThat(handedOff).isGreaterThan(LEADS / 20);
        assertThat(count("SELECT COUNT(*) FROM lead WHERE state = 'HANDED_OFF' AND mql")).isEqualTo(handedOff);
        List<Map<String, Object>> crm = sandbox.salesforce().leads();
        List<String> externalIds = new ArrayList<>();
        crm.forEach(l -> externalIds.add(String.valueOf(l.get("external_id"))));
        assertThat(new HashSet<>(externalIds)).hasSize(externalIds.size());
        assertThat(new HashSet<>(externalIds)).isEqualTo(ids("SELECT map_id FROM lead WHERE state = 'HANDED_OFF'"));
        assertThat(sandbox.marketo().rateLimitViolations()).isZero();
        assertThat(sandbox.salesforce().limitViolations()).isZero();

        // Campaigns are recorded as the sidecar records them: the acquisition program's name and id.
        assertThat(count("SELECT COUNT(*) FROM lead WHERE snapshot LIKE '%\"campaign\":\"Webinar - %(22__)\"%'"))
                .as("webinar leads named by their program").isPositive();
        assertThat(count("SELECT COUNT(*) FROM lead WHERE snapshot LIKE '%\"campaign\":\"2___\"%'"))
                .as("leads whose campaign is a bare program id").isZero();
        assertThat(sandbox.marketo().callsTo("programs.browse")).as("one program listing per run").isBetween(1L, 2L);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private long count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "?currentSchema=" + schema, "postgres", "");
             Statement st = c.createStatement()) {
            if (!exists(c)) {
                return 0;
            }
            try (ResultSet rs = st.executeQuery(query)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private boolean exists(Connection c) throws Exception {
        try (ResultSet rs = c.getMetaData().getTables(null, schema, "lead", null)) {
            return rs.next();
        }
    }

    private Set<String> ids(String query) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection(PG + "?currentSchema=" + schema, "postgres", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
