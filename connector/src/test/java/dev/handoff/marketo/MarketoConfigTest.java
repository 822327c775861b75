package dev.handoff.marketo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.config.ConfigException;
import org.junit.jupiter.api.Test;

class MarketoConfigTest {

    @Test
    void firstMatchingRuleNamesTheDefinitionType() {
        var rules = MarketoConfig.parseActivityMap("k", MarketoConfig.DEFAULT_ACTIVITY_MAP);
        MarketoConfig c = new MarketoConfig(java.net.URI.create("http://x"), "id", dev.handoff.config.Secret.of("s"),
                java.time.Instant.EPOCH, rules, java.util.Map.of(), java.util.Map.of(), 300, 300, java.time.Duration.ofSeconds(1),
                100, java.time.Duration.ofSeconds(20), 10, true);
        assertThat(c.definitionType(2, "Newsletter Signup")).contains("newsletter_signup");
        assertThat(c.definitionType(2, "Whitepaper: Pipeline Math")).contains("content_download");
        assertThat(c.definitionType(1, "/pricing")).contains("pricing_page_visit");
        assertThat(c.definitionType(1, "/blog/why")).isEmpty();
        assertThat(c.definitionType(12, null)).contains("new_lead");
        assertThat(c.activityTypeIds()).containsExactly(12, 1, 2, 100001, 9);
    }

    @Test
    void malformedRuleIsReportedWithTheKey() {
        assertThatThrownBy(() -> MarketoConfig.parseActivityMap("handoff.marketo.activity-map", "abc=webinar"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.marketo.activity-map")
                .hasMessageContaining("abc");
        assertThatThrownBy(() -> MarketoConfig.parseActivityMap("handoff.marketo.activity-map", "1:([=x"))
                .hasMessageContaining("bad regex");
    }
}
