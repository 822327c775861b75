package dev.handoff.sla;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.definition.Sla;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.SlaFact;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report documents: the JSON carries the metrics' numbers, the HTML is self-contained, escaped and charted. */
class SlaReportTest {

    @Test
    void jsonCarriesTheSameNumbersAsTheMetrics() {
        SlaMetrics.Report r = SlaMetricsTest.weekly();
        Map<String, Object> json = SlaReport.json(r);
        assertThat(json).containsEntry("definition", "acme-mql@v3").containsEntry("period", "week");
        @SuppressWarnings("unchecked")
        Map<String, Object> overall = (Map<String, Object>) json.get("overall");
        assertThat(overall).containsEntry("mqls", 6L).containsEntry("sla_breached", 2L)
                .containsEntry("speed_to_accept_median_ms", r.overall().speedMedianMs())
                .containsEntry("feedback_completeness", 0.5);
        assertThat((List<?>) json.get("periods")).hasSize(3);
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) json.get("by_source")).keySet()))
                .containsExactly(SlaMetrics.NO_SOURCE, "Web", "Webinar");
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) json.get("by_definition_version")).keySet()))
                .containsExactly("acme-mql@v2", "acme-mql@v3");
    }

    @Test
    void campaignsAreInTheJsonAndInTheHtmlWorstFirst() {
        SlaMetrics.Report r = new SlaMetrics(SlaMetricsTest.SHIPPED, dev.handoff.definition.Sla.Period.WEEK, SlaMetricsTest.NOW)
                .addAll(SlaMetricsTest.historyWithCampaigns()).report();
        Map<String, Object> json = SlaReport.json(r);
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) json.get("by_campaign")).keySet()))
                .containsExactly(SlaMetrics.NO_SOURCE, "2201", "2501");
        String html = SlaReport.html(r, SlaMetricsTest.SHIPPED);
        String campaigns = html.substring(html.indexOf("<h3>Campaigns, worst first</h3>"));
        campaigns = campaigns.substring(0, campaigns.indexOf("</table>"));
        assertThat(campaigns).contains("<th>campaign</th>");
        // one rejection each; 2501 accepted none of its decided leads, 2201 half; no campaign rejected nothing
        assertThat(campaigns.indexOf("<td>2501</td>")).isPositive().isLessThan(campaigns.indexOf("<td>2201</td>"));
        assertThat(campaigns.indexOf("<td>2201</td>")).isLessThan(campaigns.indexOf("<td>" + SlaMetrics.NO_SOURCE + "</td>"));
    }

    @Test
    void htmlIsSelfContainedWithTheFourComponentsAndItsCharts() {
        String html = SlaReport.html(SlaMetricsTest.weekly(), SlaMetricsTest.SHIPPED);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("@media print")
                .contains("id=\"quantity\"", "id=\"quality\"", "id=\"definition\"", "id=\"feedback\"")
                .contains("id=\"chart-quantity\"", "id=\"chart-speed\"", "id=\"chart-reasons\"", "id=\"chart-feedback\"")
                .contains("class=\"band\"", "class=\"line median\"")
                // the definition in words, from the agreement document
                .contains("What makes a lead sales-ready")
                .doesNotContain("<script", "http://", "https://", "<link", "<img", "<h2>What makes");
        assertThat(html).doesNotContain("http:", "url(");
        // three weekly bars, one per period
        assertThat(html.split("<rect class=\"bar\"", -1).length - 1).isEqualTo(3 + 2 + 2);
    }

    @Test
    void textFromTheLedgerIsEscaped() {
        Instant at = Instant.parse("2026-11-02T10:00:00Z");
        SlaFact hostile = new SlaFact("1", "<script>alert('x')</script>", "v&<1>", LeadState.REJECTED, at, at,
                at.plusSeconds(86_400), at.plusSeconds(3600), "Closed", "\"><svg onload=alert(1)>", null, "005", null, null,
                null, 1L, 3_600_000L, null);
        String html = SlaReport.html(new SlaMetrics(SlaMetricsTest.SHIPPED, Sla.Period.DAY, SlaMetricsTest.NOW).add(hostile)
                .report(), SlaMetricsTest.SHIPPED);
        assertThat(html).doesNotContain("<script>", "<svg onload", "v&<1>")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "&quot;&gt;&lt;svg onload=alert(1)&gt;", "v&amp;&lt;1&gt;");
    }

    @Test
    void anEmptyLedgerStillRendersAPage() {
        String html = SlaReport.html(new SlaMetrics(SlaMetricsTest.SHIPPED, null, SlaMetricsTest.NOW).report(),
                SlaMetricsTest.SHIPPED);
        assertThat(html).contains("id=\"chart-quantity\"", "No rejections yet.").contains("0 MQLs");
    }

    @Test
    void axisMaximaAreRound() {
        assertThat(SlaReport.niceMax(0)).isEqualTo(1);
        assertThat(SlaReport.niceMax(145)).isEqualTo(200);
        assertThat(SlaReport.niceMax(24)).isEqualTo(25);
        assertThat(SlaReport.niceMax(33.1)).isEqualTo(50);
    }
}
