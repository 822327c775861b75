package dev.handoff.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HubSpotClientTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final String RATE_LIMITED = "{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
            + "\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"c-429\",\"policyName\":\"TEN_SECONDLY_ROLLING\",\"groupName\":\"g\"}";

    private final FakeHubSpot hubspot = new FakeHubSpot();
    private final List<Duration> sleeps = new ArrayList<>();
    private final HubSpotConfig config = TestConfigs.config();
    private final HubSpotClient client = TestConfigs.client(config, hubspot, Clock.fixed(NOW, ZoneOffset.UTC), sleeps);

    @Test
    void everyCallCarriesThePrivateAppTokenAsBearer() {
        hubspot.contact("1", NOW, "email", "a@x.com");
        client.readContacts(List.of("1"), List.of("email"));
        client.listContactProperties();
        assertThat(hubspot.sent).hasSize(2).allSatisfy(s -> {
            assertThat(s.headers()).containsEntry("Authorization", "Bearer " + FakeHubSpot.TOKEN);
            assertThat(s.headers()).containsEntry("Accept", "application/json");
        });
        assertThat(hubspot.sent.get(0).path()).isEqualTo("/crm/v3/objects/contacts/batch/read");
        assertThat(hubspot.sent.get(0).headers()).containsEntry("Content-Type", "application/json");
    }

    @Test
    void aRejectedTokenIsFatalAndNeverQuoted() {
        HubSpotClient wrong = TestConfigs.client(TestConfigs.config("handoff.hubspot.token", "pat-wrong-token"), hubspot);
        ConnectorException e = catchThrowableOfType(() -> wrong.listContactProperties(), ConnectorException.class);
        assertThat(e.errorClass()).isEqualTo(ErrorClass.FATAL);
        assertThat(e.code()).isEqualTo("HTTP_401");
        assertThat(e.getMessage()).contains("INVALID_AUTHENTICATION", "c-401").doesNotContain("pat-wrong-token");
        assertThat(hubspot.sent).hasSize(1);
    }

    @Test
    void rateLimitWithoutRetryAfterIsTransientAndNotWaitedOut() {
        hubspot.script(429, RATE_LIMITED);
        ConnectorException e = catchThrowableOfType(() -> client.readContacts(List.of("1"), List.of("email")),
                ConnectorException.class);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.code()).isEqualTo("HTTP_429");
        assertThat(e.getMessage()).contains("TEN_SECONDLY_ROLLING", "c-429");
        assertThat(sleeps).isEmpty();
        assertThat(hubspot.sent).hasSize(1);
    }

    @Test
    void rateLimitWithRetryAfterIsWaitedOutAndRetried() {
        hubspot.contact("1", NOW, "email", "a@x.com");
        hubspot.script(429, RATE_LIMITED, "Retry-After", "2");
        List<HubSpotClient.Contact> read = client.readContacts(List.of("1"), List.of("email"));
        assertThat(read).extracting(HubSpotClient.Contact::id).containsExactly("1");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(hubspot.sent).hasSize(2);
    }

    @Test
    void retryAfterAsAnHttpDateIsWaitedOutFromTheClock() {
        hubspot.script(429, RATE_LIMITED, "retry-after", "Fri, 20 Nov 2026 10:00:05 GMT");
        client.listContactProperties();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterLongerThanTheTimeoutIsLeftToTheRoute() {
        hubspot.script(429, RATE_LIMITED, "Retry-After", "3600");
        assertThatThrownBy(client::listContactProperties).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.isTransient()).isTrue());
        assertThat(sleeps).isEmpty();
    }

    @Test
    void repeatedRetryAfterIsWaitedOutOnlyTwice() {
        for (int i = 0; i < 3; i++) {
            hubspot.script(429, RATE_LIMITED, "Retry-After", "1");
        }
        assertThatThrownBy(client::listContactProperties).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.code()).isEqualTo("HTTP_429"));
        assertThat(sleeps).hasSize(2);
        assertThat(hubspot.sent).hasSize(3);
    }

    @Test
    void serverErrorsAndBrokenConnectionsAreTransient() {
        hubspot.script(502, "<html>Bad gateway</html>");
        assertThatThrownBy(client::listContactProperties).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.isTransient()).isTrue());
        hubspot.failWith(new SocketTimeoutException("read timed out"));
        assertThatThrownBy(client::listContactProperties).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.code()).isEqualTo("IO"));
        hubspot.script(200, "not json");
        assertThatThrownBy(client::listContactProperties).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.code()).isEqualTo("MALFORMED_RESPONSE"));
    }

    @Test
    void missingScopeIsFatal() {
        hubspot.script(403, "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes\","
                + "\"category\":\"MISSING_SCOPES\",\"context\":{\"requiredScopes\":[\"crm.objects.contacts.write\"]}}");
        assertThatThrownBy(client::listContactProperties).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.errorClass()).isEqualTo(ErrorClass.FATAL);
            assertThat(e.getMessage()).contains("MISSING_SCOPES");
        });
    }

    @Test
    void searchSendsTheContractBody() {
        hubspot.contact("7", NOW, "email", "a@x.com");
        HubSpotClient.SearchPage page = client.searchContacts(new HubSpotClient.SearchRequest(
                List.of(List.of(new HubSpotClient.Filter("lastmodifieddate", "GTE", "0"))),
                List.of("lastmodifieddate", "hs_object_id"), List.of("email"), 100, null));
        assertThat(page.results()).extracting(HubSpotClient.Contact::id).containsExactly("7");
        assertThat(page.results().get(0).properties()).containsEntry("email", "a@x.com");
        assertThat(page.nextAfter()).isNull();
        assertThat(hubspot.sent.get(0).body().toString()).isEqualTo("{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
                + "\"lastmodifieddate\",\"operator\":\"GTE\",\"value\":\"0\"}]}],\"sorts\":[{\"propertyName\":\"lastmodifieddate\","
                + "\"direction\":\"ASCENDING\"},{\"propertyName\":\"hs_object_id\",\"direction\":\"ASCENDING\"}],"
                + "\"properties\":[\"email\"],\"limit\":100}");
    }

    @Test
    void searchHandsBackTheNextPageCursor() {
        IntStream.rangeClosed(1, 3).forEach(i -> hubspot.contact(String.valueOf(i), NOW.plusMillis(i)));
        HubSpotClient.SearchPage page = client.searchContacts(new HubSpotClient.SearchRequest(List.of(), List.of("hs_object_id"),
                List.of(), 2, null));
        assertThat(page.nextAfter()).isEqualTo("2");
        assertThat(page.total()).isEqualTo(3);
        assertThat(client.searchContacts(new HubSpotClient.SearchRequest(List.of(), List.of("hs_object_id"), List.of(), 2,
                page.nextAfter())).results()).extracting(HubSpotClient.Contact::id).containsExactly("3");
    }

    @Test
    void batchReadLeavesOutContactsHubSpotDoesNotHave() {
        hubspot.contact("1", NOW, "email", "a@x.com").contact("3", NOW, "email", "c@x.com");
        List<HubSpotClient.Contact> read = client.readContacts(List.of("1", "2", "3"), List.of("email", "company"));
        assertThat(read).extracting(HubSpotClient.Contact::id).containsExactly("1", "3");
        assertThat(read.get(0).properties()).containsEntry("email", "a@x.com").doesNotContainKey("company");
    }

    @Test
    void batchReadErrorOtherThanNotFoundStopsTheCall() {
        hubspot.script(207, "{\"status\":\"COMPLETE\",\"results\":[],\"errors\":[{\"status\":\"error\",\"category\":"
                + "\"VALIDATION_ERROR\",\"message\":\"bad id\"}]}");
        assertThatThrownBy(() -> client.readContacts(List.of("x"), List.of("email")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo("VALIDATION_ERROR"));
    }

    @Test
    void partialBatchUpdateIsMappedToEachInputInOrder() {
        hubspot.withFeedbackProperties().contact("1", NOW).contact("3", NOW);
        List<HubSpotClient.UpdateResult> results = client.updateContacts(List.of(
                new HubSpotClient.Update("1", Map.of("handoff_sales_status", "Accepted")),
                new HubSpotClient.Update("2", Map.of("handoff_sales_status", "Accepted")),
                new HubSpotClient.Update("3", Map.of("handoff_sales_status", ""))));
        assertThat(results).extracting(HubSpotClient.UpdateResult::id).containsExactly("1", "2", "3");
        assertThat(results).extracting(HubSpotClient.UpdateResult::ok).containsExactly(true, false, true);
        assertThat(results.get(1).code()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(results.get(1).errorClass()).isEqualTo(ErrorClass.PERMANENT_RECORD);
        assertThat(hubspot.contacts.get("1")).containsEntry("handoff_sales_status", "Accepted");
        assertThat(hubspot.contacts.get("3")).containsEntry("handoff_sales_status", "");
    }

    @Test
    void unknownPropertyIn207AppliesToEveryInputWithoutAResult() {
        hubspot.script(207, "{\"status\":\"COMPLETE\",\"results\":[],\"numErrors\":1,\"errors\":[{\"status\":\"error\","
                + "\"category\":\"PROPERTY_DOESNT_EXIST\",\"message\":\"Property values were not valid\","
                + "\"context\":{\"propertyName\":[\"handoff_sales_status\"]}}]}");
        List<HubSpotClient.UpdateResult> results = client.updateContacts(List.of(
                new HubSpotClient.Update("1", Map.of("handoff_sales_status", "x")),
                new HubSpotClient.Update("2", Map.of("handoff_sales_status", "y"))));
        assertThat(results).allSatisfy(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.code()).isEqualTo("PROPERTY_DOESNT_EXIST");
            assertThat(r.errorClass()).isEqualTo(ErrorClass.FATAL);
            assertThat(r.message()).contains("handoff_sales_status");
        });
    }

    @Test
    void batchesOverTheLimitAreRefusedBeforeAnyCall() {
        List<String> ids = IntStream.rangeClosed(1, 101).mapToObj(String::valueOf).toList();
        assertThatThrownBy(() -> client.readContacts(ids, List.of("email"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 100");
        List<HubSpotClient.Update> updates = ids.stream().map(id -> new HubSpotClient.Update(id, Map.of())).toList();
        assertThatThrownBy(() -> client.updateContacts(updates)).isInstanceOf(IllegalArgumentException.class);
        HubSpotClient small = TestConfigs.client(TestConfigs.config("handoff.hubspot.write-batch-size", "10"), hubspot);
        assertThatThrownBy(() -> small.updateContacts(updates.subList(0, 11))).hasMessageContaining("at most 10");
        assertThatThrownBy(() -> client.searchContacts(new HubSpotClient.SearchRequest(List.of(), List.of(), List.of(), 101,
                null))).isInstanceOf(IllegalArgumentException.class);
        assertThat(hubspot.sent).isEmpty();
        assertThat(client.readContacts(List.of(), List.of("email"))).isEmpty();
        assertThat(client.updateContacts(Collections.emptyList())).isEmpty();
        assertThat(hubspot.sent).isEmpty();
    }

    @Test
    void fullBatchOfAHundredGoesInOneCall() {
        List<String> ids = IntStream.rangeClosed(1, 100).mapToObj(String::valueOf).toList();
        ids.forEach(id -> hubspot.contact(id, NOW));
        assertThat(client.readContacts(ids, List.of("email"))).hasSize(100);
        assertThat(hubspot.sent).hasSize(1);
        assertThat(hubspot.sent.get(0).body().path("inputs")).hasSize(100);
    }

    @Test
    void errorMessagesCarryNoPersonalDataFromTheBody() throws IOException {
        hubspot.script(400, "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"" + "x".repeat(1000) + "\"}");
        ConnectorException e = catchThrowableOfType(() -> client.updateContacts(List.of(
                new HubSpotClient.Update("1", Map.of("email", "jane.doe@example.com")))), ConnectorException.class);
        assertThat(e.errorClass()).isEqualTo(ErrorClass.FATAL);
        assertThat(e.getMessage()).doesNotContain("jane.doe").doesNotContain(FakeHubSpot.TOKEN).hasSizeLessThan(600);
    }

    @Test
    void propertiesAndGroupsAreCreatedOnceAndReportedWhenAlreadyThere() {
        assertThat(client.createContactPropertyGroup("handoff", "Handoff")).isTrue();
        assertThat(client.createContactPropertyGroup("handoff", "Handoff")).isFalse();
        HubSpotClient.Property outcome = new HubSpotClient.Property("handoff_outcome", "Handoff outcome", "enumeration", "select",
                "handoff", List.of("opportunity", "won", "lost"));
        assertThat(client.createContactProperty(outcome, "from Handoff")).isTrue();
        assertThat(client.createContactProperty(outcome, "from Handoff")).isFalse();
        assertThat(client.contactProperty("handoff_outcome")).get().satisfies(p -> {
            assertThat(p.type()).isEqualTo("enumeration");
            assertThat(p.options()).containsExactly("opportunity", "won", "lost");
            assertThat(p.groupName()).isEqualTo("handoff");
        });
        assertThat(client.contactProperty("nope")).isEmpty();
        assertThat(client.listContactProperties()).extracting(HubSpotClient.Property::name).contains("email", "handoff_outcome");
    }
}
