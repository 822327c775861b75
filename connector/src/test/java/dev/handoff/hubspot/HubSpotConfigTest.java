package dev.handoff.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubSpotConfigTest {

    @Test
    void defaultsNeedOnlyTheToken() {
        HubSpotConfig c = HubSpotConfig.from(new Settings(Map.of("handoff.hubspot.token", "pat-1")));
        assertThat(c.baseUrl()).isEqualTo(URI.create("https://api.hubapi.com"));
        assertThat(c.intakeSince()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(c.readBatchSize()).isEqualTo(100);
        assertThat(c.writeBatchSize()).isEqualTo(100);
        assertThat(c.searchPageSize()).isEqualTo(100);
        assertThat(c.rateLimitCalls()).isEqualTo(100);
        assertThat(c.rateLimitWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.searchPerSecond()).isEqualTo(4);
        assertThat(c.indexLag()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.fieldMap()).containsEntry("title", "jobtitle").containsEntry("employees", "numemployees")
                .containsEntry("lead_source", "hs_analytics_source")
                .containsEntry("campaign", "hs_analytics_source_data_2").hasSize(11);
        assertThat(c.feedback()).containsEntry("sales_status", "handoff_sales_status")
                .containsEntry("outcome_amount", "handoff_outcome_amount")
                .containsEntry("sla_breached", "handoff_sla_breached").hasSize(8);
        assertThat(c.lifecycle()).isEqualTo(new HubSpotConfig.Lifecycle("salesqualifiedlead", null, "opportunity",
                "IN_PROGRESS", "UNQUALIFIED", false));
        assertThat(c.dateProperties()).containsExactly("recent_conversion_date", "first_conversion_date",
                "hs_analytics_last_visit_timestamp", "hs_email_optout_date");
    }

    @Test
    void toStringNeverShowsTheToken() {
        HubSpotConfig c = TestConfigs.config();
        assertThat(c.toString()).doesNotContain(FakeHubSpot.TOKEN).contains("******");
        assertThat(c.token().toString()).isEqualTo("******");
    }

    @Test
    void missingTokenIsReportedWithItsKey() {
        assertThatThrownBy(() -> HubSpotConfig.from(new Settings(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessage("handoff.hubspot.token: is required");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '#', value = {
            "handoff.hubspot.read-batch-size#101#101 is outside 1..100",
            "handoff.hubspot.write-batch-size#0#0 is outside 1..100",
            "handoff.hubspot.search-page-size#200#200 is outside 1..100",
            "handoff.hubspot.search-per-second#1#1 is outside 2..100",
            "handoff.hubspot.rate-limit-window#0s#must be longer than zero",
            "handoff.hubspot.timeout#soon#is not a duration",
            "handoff.hubspot.index-lag#-1s#must not be negative",
            "handoff.hubspot.base-url#not a url#is not a URL",
            "handoff.hubspot.intake-since#yesterday#is not an ISO-8601 instant",
            "handoff.hubspot.field.title#Job Title#is not a HubSpot property internal name",
            "handoff.hubspot.feedback.outcome#handoff_sales_status#is already the one for sales_status",
            "handoff.hubspot.lifecycle.accepted#qualified#is not a lifecycle stage",
            "handoff.hubspot.lead-status.rejected#not qualified#is not a lead status internal value",
            "handoff.hubspot.lifecycle.allow-backwards#sometimes#is not true or false",
            "handoff.hubspot.activity-map#recent_conversion_date#is not dateProperty[|nameProperty:regex]=definitionType",
            "handoff.hubspot.activity-map#recent_conversion_date|x=webinar#must be nameProperty:regex",
            "handoff.hubspot.activity-map#recent_conversion_date|x:([=webinar#bad regex",
            "handoff.hubspot.activity-map#Recent Date=webinar#is not a HubSpot property internal name"})
    void invalidValuesAreReportedWithTheirKey(String key, String value, String problem) {
        assertThatThrownBy(() -> TestConfigs.config(key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void noneLeavesAStageOrStatusAlone() {
        HubSpotConfig c = TestConfigs.config("handoff.hubspot.lifecycle.accepted", "none",
                "handoff.hubspot.lead-status.accepted", "NONE", "handoff.hubspot.lifecycle.rejected", "lead");
        assertThat(c.lifecycle().accepted()).isNull();
        assertThat(c.lifecycle().leadStatusAccepted()).isNull();
        assertThat(c.lifecycle().rejected()).isEqualTo("lead");
    }

    @Test
    void firstMatchingRulePerDatePropertyNamesTheType() {
        HubSpotConfig c = TestConfigs.config();
        assertThat(c.definitionType("recent_conversion_date", Map.of("recent_conversion_event_name", "Webinar: Q4 pipeline")))
                .contains("webinar_attended");
        assertThat(c.definitionType("recent_conversion_date", Map.of("recent_conversion_event_name", "Newsletter signup")))
                .contains("newsletter_signup");
        assertThat(c.definitionType("recent_conversion_date", Map.of("recent_conversion_event_name", "Ebook")))
                .contains("content_download");
        assertThat(c.definitionType("recent_conversion_date", Map.of())).contains("content_download");
        assertThat(c.definitionType("hs_analytics_last_visit_timestamp", Map.of("hs_analytics_last_url", "https://x.com/Pricing")))
                .contains("pricing_page_visit");
        assertThat(c.definitionType("hs_analytics_last_visit_timestamp", Map.of("hs_analytics_last_url", "https://x.com/blog")))
                .isEmpty();
        assertThat(c.intakeProperties()).startsWith("hs_object_id", "lastmodifieddate", "email")
                .contains("recent_conversion_event_name", "hs_analytics_last_url", "hs_email_optout_date")
                .doesNotHaveDuplicates();
    }

    @Test
    void lifecycleMovesOnlyForwardUnlessAllowed() {
        HubSpotConfig.Lifecycle forward = new HubSpotConfig.Lifecycle("salesqualifiedlead", null, "opportunity", null, null, false);
        assertThat(forward.allows(null, "salesqualifiedlead")).isTrue();
        assertThat(forward.allows("", "salesqualifiedlead")).isTrue();
        assertThat(forward.allows("marketingqualifiedlead", "salesqualifiedlead")).isTrue();
        assertThat(forward.allows("salesqualifiedlead", "salesqualifiedlead")).isFalse();
        assertThat(forward.allows("customer", "salesqualifiedlead")).isFalse();
        assertThat(forward.allows("1234567", "salesqualifiedlead")).as("custom stage, order unknown").isFalse();
        assertThat(forward.allows("lead", null)).isFalse();
        HubSpotConfig.Lifecycle anyway = new HubSpotConfig.Lifecycle("salesqualifiedlead", "lead", "opportunity", null, null, true);
        assertThat(anyway.allows("customer", "lead")).isTrue();
        assertThat(anyway.allows("lead", "lead")).isFalse();
    }
}
