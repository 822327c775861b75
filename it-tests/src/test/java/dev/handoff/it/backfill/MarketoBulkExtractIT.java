package dev.handoff.it.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.config.Settings;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.error.ConnectorException;
import dev.handoff.marketo.BulkCsvReader;
import dev.handoff.marketo.MarketoBulkExtract;
import dev.handoff.marketo.MarketoClient;
import dev.handoff.marketo.MarketoConfig;
import dev.handoff.transport.JdkHttpTransport;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Marketo emulator's Bulk Lead and Activity Extract, through the connector's client: the job
 * state machine, the published limits with Marketo's error codes, and files that come back intact
 * whether read whole or in byte ranges.
 */
class MarketoBulkExtractIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final ObjectMapper json = new ObjectMapper();
    private Sandbox sandbox;
    private MarketoClient client;
    private MarketoBulkExtract bulk;

    @BeforeEach
    void start() {
        SalesforceEmulator.Settings sf = SalesforceEmulator.Settings.defaults();
        MarketoEmulator.Settings mk = MarketoEmulator.Settings.defaults();
        sandbox = new Sandbox(Clock.systemUTC(), sf, mk, 0).start();
        MarketoConfig config = MarketoConfig.from(new Settings(sandbox.connectorProperties(sf, mk)));
        client = new MarketoClient(config, new JdkHttpTransport(Duration.ofSeconds(30)), Clock.systemUTC());
        // Between status polls, wait (bounded) until the emulator has no job whose status can still
        // change by itself, instead of sleeping: the next poll then sees the job's final state.
        bulk = new MarketoBulkExtract(client, Duration.ofMillis(50), Duration.ofSeconds(60), 8192, Clock.systemUTC(),
                d -> org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> marketo().exportsInProgress() == 0));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private MarketoEmulator marketo() {
        return sandbox.marketo();
    }

    private static List<Map<String, String>> rows(InputStream in) throws Exception {
        List<Map<String, String>> out = new ArrayList<>();
        try (BulkCsvReader r = new BulkCsvReader(in)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void leadExportStreamsStoredAndGeneratedLeadsAsCsvInRanges() throws Exception {
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("email", "odd@quotes.example");
        odd.put("lastName", "Müller 東京");
        odd.put("company", "Acme, \"Quoted\"\nInc");
        odd.put("annualRevenue", 12_500_000);
        int oddId = marketo().addLead(odd, NOW.minus(Duration.ofDays(2)));
        marketo().generateHistory(11, 500, NOW.minus(Duration.ofDays(10)), NOW);

        MarketoBulkExtract.Job created = bulk.createLeadExport(List.of("id", "email", "lastName", "company", "annualRevenue"),
                NOW.minus(Duration.ofDays(31)), NOW);
        assertThat(created.status()).isEqualTo("Created");
        bulk.enqueue(created);
        MarketoBulkExtract.Job done = bulk.await(created);
        assertThat(done.status()).isEqualTo("Completed");
        assertThat(done.numberOfRecords()).isEqualTo(501);
        assertThat(done.fileSize()).isGreaterThan(8192 * 3); // read in several ranges

        List<Map<String, String>> rows = rows(bulk.open(done));
        assertThat(rows).hasSize(501);
        Set<String> ids = new HashSet<>();
        rows.forEach(r -> ids.add(r.get("id")));
        assertThat(ids).hasSize(501);
        Map<String, String> back = rows.stream().filter(r -> r.get("id").equals(String.valueOf(oddId))).findFirst().orElseThrow();
        assertThat(back).containsEntry("lastName", "Müller 東京").containsEntry("company", "Acme, \"Quoted\"\nInc")
                .containsEntry("email", "odd@quotes.example");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("email")).contains("@"));

        // A range is exactly that slice of the file.
        byte[] whole = bulk.open(done).readAllBytes();
        assertThat(client.bulkFileRange("leads", done.exportId(), 100, 199))
                .isEqualTo(java.util.Arrays.copyOfRange(whole, 100, 200));
        assertThat(marketo().maxConcurrentExportsSeen()).isEqualTo(1);
    }

    @Test
    void activityExportHasTheDocumentedColumnsAndHonoursTypeAndDateFilters() throws Exception {
        marketo().generateHistory(5, 300, NOW.minus(Duration.ofDays(20)), NOW);
        Instant from = NOW.minus(Duration.ofDays(10));
        MarketoBulkExtract.Job created = bulk.createActivityExport(List.of(1, 100001), from, NOW);
        bulk.enqueue(created);
        MarketoBulkExtract.Job done = bulk.await(created);
        List<Map<String, String>> rows = rows(bulk.open(done));
        assertThat(rows).hasSize((int) done.numberOfRecords()).isNotEmpty();
        assertThat(rows.get(0).keySet()).containsExactly("marketoGUID", "leadId", "activityDate", "activityTypeId", "campaignId",
                "primaryAttributeValueId", "primaryAttributeValue", "attributes");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("activityTypeId")).isIn("1", "100001");
            Instant at = OffsetDateTime.parse(r.get("activityDate")).toInstant();
            assertThat(at).isAfterOrEqualTo(from).isBefore(NOW);
        });
        assertThat(rows.stream().map(r -> r.get("marketoGUID")).distinct().count()).isEqualTo(rows.size());
        assertThat(rows.stream().filter(r -> r.get("activityTypeId").equals("1")))
                .allSatisfy(r -> assertThat(json.readTree(r.get("attributes")).path("Webpage URL").asText()).startsWith("/"));
    }

    @Test
    void rangesOver31DaysAndUnsupportedFiltersAreRefusedWithMarketosCodes() {
        assertThatThrownBy(() -> client.bulkCreate("leads", leadRequest(NOW.minus(Duration.ofDays(32)), NOW, "createdAt")))
                .isInstanceOf(ConnectorException.class).satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("1003"))
                .hasMessageContaining("31 days");
        assertThatThrownBy(() -> client.bulkCreate("leads", leadRequest(NOW.minus(Duration.ofDays(1)), NOW, "updatedAt")))
                .isInstanceOf(ConnectorException.class).satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("1035"));
        assertThatThrownBy(() -> bulk.createLeadExport(List.of("id"), NOW.minus(Duration.ofDays(32)), NOW))
                .isInstanceOf(IllegalArgumentException.class);
        JsonNode created = client.bulkCreate("leads", leadRequest(NOW.minus(Duration.ofDays(1)), NOW, "createdAt"));
        assertThatThrownBy(() -> client.bulkFileRange("leads", created.path("exportId").asText(), 0, 10))
                .isInstanceOf(ConnectorException.class).hasMessageContaining("not completed");
    }

    @Test
    void twoJobsProcessTenQueueAndTheEleventhIsRefused() throws Exception {
        marketo().generateHistory(3, 50, NOW.minus(Duration.ofDays(5)), NOW);
        marketo().holdBulkExports(true);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = client.bulkCreate("leads", leadRequest(NOW.minus(Duration.ofDays(5)), NOW, "createdAt"))
                    .path("exportId").asText();
            assertThat(client.bulkEnqueue("leads", id).path("status").asText()).isEqualTo("Queued");
            ids.add(id);
        }
        String eleventh = client.bulkCreate("leads", leadRequest(NOW.minus(Duration.ofDays(5)), NOW, "createdAt"))
                .path("exportId").asText();
        assertThatThrownBy(() -> client.bulkEnqueue("leads", eleventh)).isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("1029"))
                .hasMessageContaining("Too many jobs");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(statuses(ids))
                .containsEntry("Processing", 2L).containsEntry("Queued", 8L));

        marketo().holdBulkExports(false);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(statuses(ids)).containsOnlyKeys("Completed"));
        assertThat(marketo().maxConcurrentExportsSeen()).isEqualTo(2);
        JsonNode status = client.bulkStatus("leads", ids.get(0));
        assertThat(status.path("numberOfRecords").asLong()).isEqualTo(50);
        assertThat(status.path("fileChecksum").asText()).startsWith("sha256:");
        assertThat(status.has("queuedAt") && status.has("startedAt") && status.has("finishedAt")).isTrue();

        // The queue has room again: the eleventh goes in now.
        assertThat(client.bulkEnqueue("leads", eleventh).path("status").asText()).isEqualTo("Queued");
    }

    @Test
    void aUsedUpDailyExportAllowanceStopsNewJobsAndTheClientSaysWhen() throws Exception {
        marketo().generateHistory(3, 50, NOW.minus(Duration.ofDays(5)), NOW);
        marketo().setBulkExportDailyQuota(1);
        MarketoBulkExtract.Job first = bulk.createLeadExport(List.of("id", "email"), NOW.minus(Duration.ofDays(5)), NOW);
        MarketoBulkExtract.Job second = bulk.createLeadExport(List.of("id", "email"), NOW.minus(Duration.ofDays(5)), NOW);
        bulk.enqueue(first);
        bulk.await(first);
        assertThatThrownBy(() -> bulk.enqueue(second)).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("daily bulk export allowance");
        assertThatThrownBy(() -> client.bulkCreate("leads", leadRequest(NOW.minus(Duration.ofDays(1)), NOW, "createdAt")))
                .isInstanceOf(ConnectorException.class).hasMessageContaining("Export daily quota exceeded");
    }

    private Map<String, Long> statuses(List<String> ids) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.merge(client.bulkStatus("leads", id).path("status").asText(), 1L, Long::sum);
        }
        return out;
    }

    private ObjectNode leadRequest(Instant from, Instant to, String filter) {
        ObjectNode r = json.createObjectNode();
        r.putArray("fields").add("id").add("email");
        r.put("format", "CSV");
        ObjectNode range = r.putObject("filter").putObject(filter);
        range.put("startAt", from.toString());
        range.put("endAt", to.toString());
        return r;
    }
}
