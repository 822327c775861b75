package dev.handoff.marketo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.config.Settings;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.transport.JdkHttpTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MarketoClient} over a real HTTP transport against the stateful Marketo emulator. */
class MarketoClientIT {

    private static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
    private static final SalesforceEmulator.Settings SF = SalesforceEmulator.Settings.defaults();
    private static final MarketoEmulator.Settings MK = MarketoEmulator.Settings.defaults();
    private static final List<Integer> NEW_LEAD_VISIT_FORM = List.of(12, 1, 2);

    private final VirtualClock clock = new VirtualClock(START);
    private Sandbox sandbox;
    private MarketoEmulator emulator;

    @BeforeEach
    void startSandbox() {
        sandbox = new Sandbox(clock, SF, MK, 0).start();
        emulator = sandbox.marketo();
    }

    @AfterEach
    void everyRequestWasServedByTheEmulator() {
        try {
            assertThat(sandbox.unmatchedRequests()).isEmpty();
        } finally {
            sandbox.close();
        }
    }

    @Test
    void activityPagesDeliverEveryActivityOnceAndTheLastPageHasNoMoreResult() {
        seedLeadsWithActivities(250);
        MarketoClient client = client();
        String token = client.pagingToken(START.minus(Duration.ofDays(30)));

        List<Long> ids = new ArrayList<>();
        List<Boolean> moreResults = new ArrayList<>();
        MarketoClient.ActivityPage page;
        do {
            page = client.activities(token, NEW_LEAD_VISIT_FORM);
            page.activities().forEach(a -> ids.add(a.get("id").asLong()));
            moreResults.add(page.moreResult());
            token = page.nextPageToken();
        } while (page.moreResult());

        assertThat(ids).hasSize(750).doesNotHaveDuplicates();
        assertThat(moreResults).containsExactly(true, true, false);
    }

    @Test
    void storedNextPageTokenResumesWithOnlyTheNewerActivities() {
        List<Integer> leadIds = seedLeadsWithActivities(120);
        MarketoClient client = client();
        String stored = drain(client, client.pagingToken(START.minus(Duration.ofDays(30))));

        MarketoClient.ActivityPage idle = client.activities(stored, NEW_LEAD_VISIT_FORM);
        assertThat(idle.activities()).isEmpty();
        assertThat(idle.moreResult()).isFalse();

        clock.advance(Duration.ofMinutes(10));
        emulator.addActivity(leadIds.get(7), 2, "Newsletter Signup", clock.instant());
        emulator.addActivity(leadIds.get(9), 1, "/pricing", clock.instant().plusSeconds(1));
        MarketoClient.ActivityPage fresh = client.activities(stored, NEW_LEAD_VISIT_FORM);

        assertThat(fresh.activities()).extracting(a -> a.get("leadId").asInt())
                .containsExactly(leadIds.get(7), leadIds.get(9));
        assertThat(fresh.activities()).extracting(a -> a.get("primaryAttributeValue").asText())
                .containsExactly("Newsletter Signup", "/pricing");
        assertThat(fresh.moreResult()).isFalse();
    }

    @Test
    void leadsByIdReadsThreeHundredLeadsWithTheRequestedFieldsInOneCall() {
        List<Integer> leadIds = seedLeads(300);
        MarketoClient client = client();
        long before = emulator.apiCalls();

        List<JsonNode> leads = client.leadsById(leadIds.stream().map(String::valueOf).toList(),
                List.of("email", "company", "title"));

        assertThat(emulator.apiCalls() - before).isEqualTo(1);
        assertThat(leads).extracting(l -> l.get("id").asInt()).containsExactlyInAnyOrderElementsOf(leadIds);
        for (JsonNode lead : leads) {
            int n = leadIds.indexOf(lead.get("id").asInt());
            assertThat(lead.get("email").asText()).isEqualTo("lead" + n + "@acme.example");
            assertThat(lead.get("company").asText()).isEqualTo("Acme " + n);
            assertThat(lead.get("title").asText()).isEqualTo("VP Marketing");
            assertThat(lead.has("firstName") || lead.has("lastName")).as("unrequested fields in %s", lead).isFalse();
        }
    }

    @Test
    void updateLeadsByIdWritesFeedbackToThreeHundredLeadsInOneCallAndSkipsAnUnknownId() {
        List<Integer> leadIds = seedLeads(299);
        int unknownId = 9_999_999;
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("id", i == 150 ? unknownId : leadIds.get(i < 150 ? i : i - 1));
            input.put("handoffSalesStatus", i % 2 == 0 ? "accepted" : "rejected");
            input.put("handoffRejectReason", i % 2 == 0 ? null : "NO_BUDGET");
            input.put("handoffSalesOwner", "005000000000101");
            inputs.add(input);
        }
        MarketoClient client = client();
        long before = emulator.apiCalls();

        List<MarketoClient.SyncResult> results = client.updateLeadsById(inputs);

        assertThat(emulator.apiCalls() - before).isEqualTo(1);
        assertThat(results).hasSize(300);
        MarketoClient.SyncResult skipped = results.get(150);
        assertThat(skipped.ok()).isFalse();
        assertThat(skipped.status()).isEqualTo("skipped");
        assertThat(skipped.reasonCode()).isEqualTo("1004");
        assertThat(MarketoErrorClassifier.classify(skipped.reasonCode())).isEqualTo(ErrorClass.PERMANENT_RECORD);
        for (int i = 0; i < 300; i++) {
            if (i == 150) {
                continue;
            }
            MarketoClient.SyncResult r = results.get(i);
            assertThat(r.ok()).as("result %d: %s", i, r).isTrue();
            assertThat(r.status()).isEqualTo("updated");
            assertThat(r.id()).isEqualTo(((Number) inputs.get(i).get("id")).longValue());
            Map<String, Object> lead = emulator.lead((Integer) inputs.get(i).get("id")).orElseThrow();
            assertThat(lead.get("handoffSalesStatus")).isEqualTo(inputs.get(i).get("handoffSalesStatus"));
            assertThat(lead.get("handoffRejectReason")).isEqualTo(inputs.get(i).get("handoffRejectReason"));
            assertThat(lead.get("handoffSalesOwner")).isEqualTo("005000000000101");
        }
        assertThat(emulator.lead(unknownId)).isEmpty();
    }

    @Test
    void manyCallsShareOneToken() {
        seedLeads(3);
        MarketoClient client = client();

        client.pagingToken(START);
        for (int i = 0; i < 9; i++) {
            client.leadsById(List.of("1", "2", "3"), List.of("email"));
        }

        assertThat(emulator.apiCalls()).isEqualTo(10);
        assertThat(emulator.authCalls()).isEqualTo(1);
    }

    @Test
    void tokenPastItsExpiryIsReplacedBeforeTheCallWithoutAFailedRequest() {
        MarketoClient client = client();
        client.pagingToken(START);
        clock.advance(Duration.ofHours(1));

        client.pagingToken(START);

        assertThat(emulator.authCalls()).isEqualTo(2);
        assertThat(emulator.apiCalls()).as("no call was rejected with 602").isEqualTo(2);
    }

    /** Marketo hands out the same token with its remaining lifetime while it is still valid. */
    @Test
    void tokenRenewedInItsLastMinuteIsReusedRatherThanFetchedForEveryCall() {
        MarketoClient client = client();
        client.pagingToken(START);
        clock.advance(Duration.ofSeconds(3550));

        for (int i = 0; i < 5; i++) {
            client.pagingToken(START);
        }
        assertThat(emulator.authCalls()).as("one renewal, which got the old token back").isEqualTo(2);

        clock.advance(Duration.ofSeconds(60));
        client.pagingToken(START);

        assertThat(emulator.authCalls()).isEqualTo(3);
        assertThat(emulator.apiCalls()).as("no call was rejected with 602").isEqualTo(7);
    }

    @Test
    void tokenTheServerNoLongerKnowsIsRenewedOnceAndTheCallSucceeds() {
        MarketoClient client = client();
        client.pagingToken(START);
        restartSandboxOnTheSamePort();

        String token = client.pagingToken(START);

        assertThat(token).isNotBlank();
        assertThat(emulator.authCalls()).as("one renewal after the 601").isEqualTo(1);
        assertThat(emulator.apiCalls()).as("the rejected call and its replay").isEqualTo(2);
    }

    @Test
    void tokenExpiredByTheServersClockIsRenewedOnceAndTheCallSucceeds() {
        VirtualClock lagging = new VirtualClock(START);
        MarketoClient client = client(Map.of(), lagging);
        client.pagingToken(START);
        clock.advance(Duration.ofHours(1));

        client.pagingToken(START);

        assertThat(emulator.authCalls()).isEqualTo(2);
        assertThat(emulator.apiCalls()).as("first call, the 602 and its replay").isEqualTo(3);
    }

    @Test
    void httpUnauthorizedIsRenewedOnceAndTheCallReplayed() {
        sandbox.server().addStubMapping(get(urlPathEqualTo("/rest/v1/activities/pagingtoken.json")).atPriority(1)
                .inScenario("401 once").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willSetStateTo("served")
                .willReturn(aResponse().withStatus(401).withBody("Unauthorized"))
                .build());
        MarketoClient client = client();

        String token = client.pagingToken(START);

        assertThat(token).isNotBlank();
        assertThat(emulator.authCalls()).isEqualTo(2);
        assertThat(sandbox.server().findAll(getRequestedFor(urlPathEqualTo("/rest/v1/activities/pagingtoken.json"))))
                .hasSize(2);
    }

    @Test
    void tokenRejectedAgainAfterRenewalFailsFatallyWithoutAThirdAttempt() {
        sandbox.server().addStubMapping(get(urlPathEqualTo("/rest/v1/activities/pagingtoken.json")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"requestId\":\"e42b#1\",\"success\":false,"
                                + "\"errors\":[{\"code\":\"601\",\"message\":\"Access token invalid\"}]}"))
                .build());
        MarketoClient client = client();

        ConnectorException e = catchThrowableOfType(() -> client.pagingToken(START), ConnectorException.class);

        assertThat(e.code()).isEqualTo("601");
        assertThat(e.errorClass()).isEqualTo(ErrorClass.FATAL);
        assertThat(emulator.authCalls()).isEqualTo(2);
        assertThat(sandbox.server().findAll(getRequestedFor(urlPathEqualTo("/rest/v1/activities/pagingtoken.json"))))
                .hasSize(2);
    }

    @Test
    void wrongClientSecretIsFatalAndTheErrorNeverShowsTheSecret() {
        String wrong = "wrong-secret-7f3a9c";
        MarketoClient client = client(Map.of("handoff.marketo.client-secret", wrong), clock);

        ConnectorException e = catchThrowableOfType(() -> client.pagingToken(START), ConnectorException.class);

        assertThat(e.errorClass()).isEqualTo(ErrorClass.FATAL);
        assertThat(e.system()).isEqualTo(MarketoClient.SYSTEM);
        assertThat(e.getMessage()).contains(MK.clientId()).doesNotContain(wrong).doesNotContain(MK.clientSecret());
        assertThat(e.toString()).doesNotContain(wrong);
        assertThat(emulator.apiCalls()).isZero();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private MarketoClient client() {
        return client(Map.of(), clock);
    }

    private MarketoClient client(Map<String, String> overrides, Clock clientClock) {
        Map<String, String> p = new HashMap<>(sandbox.connectorProperties(SF, MK));
        p.putAll(overrides);
        return new MarketoClient(MarketoConfig.from(new Settings(p)), new JdkHttpTransport(Duration.ofSeconds(10)),
                clientClock);
    }

    /** A Marketo restart as far as tokens go: same address, none of the tokens it handed out. */
    private void restartSandboxOnTheSamePort() {
        int port = sandbox.server().port();
        assertThat(sandbox.unmatchedRequests()).isEmpty();
        sandbox.close();
        sandbox = new Sandbox(clock, SF, MK, port).start();
        emulator = sandbox.marketo();
    }

    private List<Integer> seedLeads(int count) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(emulator.addLead(Map.of("email", "lead" + i + "@acme.example", "firstName", "F" + i,
                    "lastName", "L" + i, "company", "Acme " + i, "title", "VP Marketing"),
                    START.minus(Duration.ofDays(2)).plusSeconds(i * 60L)));
        }
        return ids;
    }

    /** Each lead: its New Lead activity, a web page visit and a form fill. */
    private List<Integer> seedLeadsWithActivities(int count) {
        List<Integer> ids = seedLeads(count);
        for (int i = 0; i < count; i++) {
            Instant created = START.minus(Duration.ofDays(2)).plusSeconds(i * 60L);
            emulator.addActivity(ids.get(i), 1, "/pricing", created.plusSeconds(3600));
            emulator.addActivity(ids.get(i), 2, "Contact Us", created.plusSeconds(7200));
        }
        return ids;
    }

    private static String drain(MarketoClient client, String token) {
        MarketoClient.ActivityPage page;
        do {
            page = client.activities(token, NEW_LEAD_VISIT_FORM);
            token = page.nextPageToken();
        } while (page.moreResult());
        return token;
    }
}
