package dev.handoff.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.config.Secret;
import dev.handoff.engine.Activity;
import dev.handoff.ledger.Ledger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSpotContactPollerTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-19T08:00:00.123Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final FakeHubSpot hubspot = new FakeHubSpot();
    private Ledger ledger;

    @BeforeEach
    void openLedger() {
        ledger = Ledger.open("jdbc:h2:file:" + dir + "/l", "sa", Secret.of(""), CLOCK);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private HubSpotContactPoller poller(String... settings) {
        HubSpotConfig config = TestConfigs.config(settings);
        return new HubSpotContactPoller(TestConfigs.client(config, hubspot), config, ledger, CLOCK);
    }

    private List<JsonNode> searches() {
        return hubspot.sent("/search").stream().map(FakeHubSpot.Sent::body).toList();
    }

    @Test
    void firstPollStartsAtIntakeSinceAndAsksForEveryMappedProperty() {
        poller("handoff.hubspot.intake-since", "2026-11-01T00:00:00Z").poll();
        JsonNode search = searches().get(0);
        assertThat(search.path("filterGroups").toString()).isEqualTo("[{\"filters\":[{\"propertyName\":\"lastmodifieddate\","
                + "\"operator\":\"GTE\",\"value\":\"" + Instant.parse("2026-11-01T00:00:00Z").toEpochMilli() + "\"}]}]");
        assertThat(search.path("sorts").toString()).isEqualTo("[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"ASCENDING\"},"
                + "{\"propertyName\":\"hs_object_id\",\"direction\":\"ASCENDING\"}]");
        assertThat(search.path("properties").toString()).contains("\"email\"", "\"jobtitle\"", "\"recent_conversion_event_name\"",
                "\"hs_analytics_last_url\"", "\"hs_email_optout_date\"", "\"lastmodifieddate\"");
        assertThat(search.path("limit").asInt()).isEqualTo(100);
        assertThat(search.has("after")).isFalse();
    }

    @Test
    void pagesThroughEveryChangedContactAndKeepsTheLastAsWatermark() {
        IntStream.rangeClosed(1, 250).forEach(i -> hubspot.contact(String.valueOf(i), T1.plusSeconds(i)));
        assertThat(poller().poll()).isEqualTo(250);
        assertThat(searches()).hasSize(3);
        assertThat(ledger.counts().leads()).isEqualTo(250);
        assertThat(ledger.watermark(HubSpotContactPoller.WATERMARK)).contains(T1.plusSeconds(250).toEpochMilli() + ":250");

        assertThat(poller().poll()).isZero();
        assertThat(searches()).hasSize(4);
        JsonNode resumed = searches().get(3).path("filterGroups");
        long last = T1.plusSeconds(250).toEpochMilli();
        assertThat(resumed.toString()).isEqualTo("[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"EQ\","
                + "\"value\":\"" + last + "\"},{\"propertyName\":\"hs_object_id\",\"operator\":\"GT\",\"value\":\"250\"}]},"
                + "{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"GT\",\"value\":\"" + last + "\"}]}]");
    }

    @Test
    void contactsChangedInTheSameMillisecondAreNeitherSkippedNorRepeatedAcrossPages() {
        IntStream.rangeClosed(1, 250).forEach(i -> hubspot.contact(String.valueOf(i), T1));
        hubspot.contact("251", T1.plusMillis(1));
        assertThat(poller().poll()).isEqualTo(251);
        assertThat(ledger.counts().leads()).isEqualTo(251);
        assertThat(ledger.watermark(HubSpotContactPoller.WATERMARK)).contains(T1.plusMillis(1).toEpochMilli() + ":251");
    }

    @Test
    void slidesTheWindowInsteadOfPagingPastTenThousandResults() {
        // 10,050 contacts, 201 to each millisecond, so page boundaries fall inside ties as well.
        IntStream.rangeClosed(1, 10_050).forEach(i -> hubspot.contact(String.valueOf(i), T1.plusMillis(i / 201)));
        assertThat(poller().poll()).isEqualTo(10_050);
        assertThat(searches()).hasSize(101).allSatisfy(s -> assertThat(s.has("after")).isFalse());
        assertThat(hubspot.sent).hasSize(101);
        assertThat(ledger.counts().leads()).isEqualTo(10_050);
        assertThat(ledger.watermark(HubSpotContactPoller.WATERMARK)).contains(T1.plusMillis(50).toEpochMilli() + ":10050");
    }

    @Test
    void engagementIsDerivedFromTheMappedDateProperties() {
        Instant webinar = Instant.parse("2026-11-10T15:00:00Z");
        Instant firstDownload = Instant.parse("2026-10-01T09:30:00Z");
        Instant visit = Instant.parse("2026-11-18T12:00:00.250Z");
        hubspot.contact("42", T1, "recent_conversion_date", webinar.toString(), "recent_conversion_event_name", "Webinar: Pipeline math",
                "first_conversion_date", firstDownload.toString(), "first_conversion_event_name", "Ebook",
                "hs_analytics_last_visit_timestamp", visit.toString(), "hs_analytics_last_url", "https://acme.example/pricing");
        hubspot.contact("43", T1, "hs_analytics_last_visit_timestamp", visit.toString(), "hs_analytics_last_url", "https://acme.example/blog",
                "hs_email_optout_date", String.valueOf(webinar.toEpochMilli()), "hs_email_optout", "true");
        poller().poll();
        assertThat(ledger.activitiesOf(List.of("42")).get("42")).containsExactly(
                new Activity("hs:42:first_conversion_date:" + firstDownload.toEpochMilli(), "42", "content_download", firstDownload),
                new Activity("hs:42:recent_conversion_date:" + webinar.toEpochMilli(), "42", "webinar_attended", webinar),
                new Activity("hs:42:hs_analytics_last_visit_timestamp:" + visit.toEpochMilli(), "42", "pricing_page_visit", visit));
        assertThat(ledger.activitiesOf(List.of("43")).get("43")).containsExactly(
                new Activity("hs:43:hs_email_optout_date:" + webinar.toEpochMilli(), "43", "unsubscribed", webinar));
    }

    @Test
    void oneConversionInTwoDatePropertiesCountsOnceNowAndLater() {
        Instant first = Instant.parse("2026-11-01T10:00:00Z");
        hubspot.contact("7", T1, "recent_conversion_date", first.toString(), "first_conversion_date", first.toString(),
                "recent_conversion_event_name", "Newsletter");
        poller().poll();
        assertThat(ledger.activitiesOf(List.of("7")).get("7")).extracting(Activity::id, Activity::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hs:7:recent_conversion_date:" + first.toEpochMilli(),
                        "newsletter_signup"));

        Instant second = Instant.parse("2026-11-19T11:00:00Z");
        hubspot.contact("7", T1.plusSeconds(3600), "recent_conversion_date", second.toString(), "recent_conversion_event_name",
                "Whitepaper");
        poller().poll();
        assertThat(ledger.activitiesOf(List.of("7")).get("7")).extracting(Activity::id).containsExactly(
                "hs:7:recent_conversion_date:" + first.toEpochMilli(), "hs:7:recent_conversion_date:" + second.toEpochMilli());
    }

    @Test
    void replayingAPageAfterACrashChangesNothing() {
        IntStream.rangeClosed(1, 150).forEach(i -> hubspot.contact(String.valueOf(i), T1.plusSeconds(i),
                "recent_conversion_date", T1.minusSeconds(i).toString()));
        poller().poll();
        String mark = ledger.watermark(HubSpotContactPoller.WATERMARK).orElseThrow();
        long activities = ledger.activityCount();
        assertThat(activities).isEqualTo(150);

        // As if the process died after recording page one but before the watermark of page two was durable.
        ledger.putWatermark(HubSpotContactPoller.WATERMARK, T1.plusSeconds(100).toEpochMilli() + ":100");
        assertThat(poller().poll()).isEqualTo(50);
        ledger.putWatermark(HubSpotContactPoller.WATERMARK, T1.toEpochMilli() + ":0");
        assertThat(poller().poll()).isEqualTo(150);
        assertThat(ledger.activityCount()).isEqualTo(activities);
        assertThat(ledger.counts().leads()).isEqualTo(150);
        assertThat(ledger.watermark(HubSpotContactPoller.WATERMARK)).contains(mark);
    }

    @Test
    void ourOwnFeedbackComingBackAddsNothing() {
        hubspot.withFeedbackProperties().contact("9", T1, "recent_conversion_date", T1.minusSeconds(60).toString());
        poller().poll();
        long activities = ledger.activityCount();
        // The echo: only our feedback property changed, but lastmodifieddate moved, so search returns the contact again.
        hubspot.contact("9", T1.plusSeconds(5), "handoff_sales_status", "Accepted");
        assertThat(poller().poll()).isEqualTo(1);
        assertThat(ledger.activityCount()).isEqualTo(activities);
        assertThat(ledger.counts().leads()).isEqualTo(1);
        assertThat(poller().poll()).as("and it comes back only once").isZero();
    }

    @Test
    void contactsInsideTheIndexLagWaitForTheNextPoll() {
        hubspot.contact("1", NOW.minusSeconds(120)).contact("2", NOW.minusSeconds(30));
        assertThat(poller("handoff.hubspot.index-lag", "60s").poll()).isEqualTo(1);
        String cutoff = String.valueOf(NOW.minusSeconds(60).toEpochMilli());
        assertThat(searches().get(0).path("filterGroups").get(0).path("filters").get(1).toString())
                .isEqualTo("{\"propertyName\":\"lastmodifieddate\",\"operator\":\"LT\",\"value\":\"" + cutoff + "\"}");
        assertThat(ledger.leadsToFetch("", 10)).containsExactly("1");

        HubSpotConfig config = TestConfigs.config("handoff.hubspot.index-lag", "60s");
        Clock later = Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC);
        assertThat(new HubSpotContactPoller(TestConfigs.client(config, hubspot), config, ledger, later).poll()).isEqualTo(1);
        assertThat(ledger.leadsToFetch("", 10)).containsExactly("1", "2");
    }

    @Test
    void unreadableDatesAreSkippedWithoutLosingTheContact() {
        hubspot.contact("5", T1, "recent_conversion_date", "last tuesday", "hs_email_optout_date", "");
        assertThat(poller().poll()).isEqualTo(1);
        assertThat(ledger.activityCount()).isZero();
        assertThat(ledger.leadsToFetch("", 10)).containsExactly("5");
    }

    @Test
    void datetimesAreReadInBothShapesHubSpotUses() {
        assertThat(HubSpotContactPoller.instant("2026-11-20T10:00:00.000Z")).contains(NOW);
        assertThat(HubSpotContactPoller.instant(String.valueOf(NOW.toEpochMilli()))).contains(NOW);
        assertThat(HubSpotContactPoller.instant("")).isEmpty();
        assertThat(HubSpotContactPoller.instant("20/11/2026")).isEmpty();
    }
}
