package dev.handoff.sla;

import dev.handoff.definition.AgreementDocument;
import dev.handoff.definition.Definition;
import dev.handoff.definition.Sla;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SLA report as a document: JSON (the numbers) or one self-contained HTML page with the four
 * SLA components (quantity, quality, the qualification definition in words, feedback
 * completeness), the trends per period as inline SVG charts, and the worst reject reasons,
 * sources and campaigns. The page has no scripts and loads nothing: it reads the same offline and printed.
 */
public final class SlaReport {

    private SlaReport() {
    }

    // ---- JSON -------------------------------------------------------------------------------

    /** The report's numbers as plain maps and lists (Jackson-ready); durations in milliseconds. */
    public static Map<String, Object> json(SlaMetrics.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("definition", r.definition());
        m.put("period", r.period().name().toLowerCase(Locale.ROOT));
        m.put("as_of", r.asOf().toString());
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("min", r.range().min());
        range.put("max", r.range().max());
        range.put("agreed_per", r.range().agreedPer().name().toLowerCase(Locale.ROOT));
        range.put("scaled", r.range().scaled());
        m.put("quantity_range", range);
        Map<String, Object> quality = new LinkedHashMap<>();
        quality.put("metric", r.quality().metric().name().toLowerCase(Locale.ROOT));
        quality.put("target", r.quality().target());
        quality.put("window_days", r.quality().windowDays());
        m.put("quality_target", quality);
        m.put("accept_within_ms", r.acceptWithin().toMillis());
        m.put("feedback_required", r.feedbackRequired());
        m.put("overall", totals(r.overall()));
        List<Object> periods = new ArrayList<>();
        for (SlaMetrics.PeriodRow p : r.periods()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("start", p.start().toString());
            row.put("label", p.label());
            row.put("in_progress", p.inProgress());
            row.put("quantity", p.quantity().name().toLowerCase(Locale.ROOT));
            row.putAll(totals(p.totals()));
            periods.add(row);
        }
        m.put("periods", periods);
        Map<String, Object> sources = new LinkedHashMap<>();
        r.bySource().forEach((k, v) -> sources.put(k, totals(v)));
        m.put("by_source", sources);
        Map<String, Object> campaigns = new LinkedHashMap<>();
        r.byCampaign().forEach((k, v) -> campaigns.put(k, totals(v)));
        m.put("by_campaign", campaigns);
        Map<String, Object> versions = new LinkedHashMap<>();
        r.byVersion().forEach((k, v) -> versions.put(k, totals(v)));
        m.put("by_definition_version", versions);
        return m;
    }

    private static Map<String, Object> totals(SlaMetrics.Totals t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mqls", t.mqls());
        m.put("handed_off", t.handedOff());
        m.put("decided", t.decided());
        m.put("accepted", t.accepted());
        m.put("rejected", t.rejected());
        m.put("open", t.open());
        m.put("acceptance_rate", t.acceptanceRate());
        m.put("speed_to_accept_median_ms", t.speedMedianMs());
        m.put("speed_to_accept_p90_ms", t.speedP90Ms());
        m.put("sla_breached", t.breached());
        m.put("converted", t.converted());
        m.put("won", t.won());
        m.put("conversion_rate", t.conversionRate());
        m.put("won_rate", t.wonRate());
        m.put("quality_hits", t.qualityHits());
        m.put("quality_rate", t.qualityRate());
        m.put("quality_final", t.qualityFinal());
        m.put("feedback_owed", t.feedbackOwed());
        m.put("feedback_complete", t.feedbackComplete());
        m.put("feedback_completeness", t.feedbackCompleteness());
        m.put("system_delay_median_ms", t.systemDelayMedianMs());
        m.put("system_delay_p90_ms", t.systemDelayP90Ms());
        m.put("human_delay_median_ms", t.humanDelayMedianMs());
        m.put("human_delay_p90_ms", t.humanDelayP90Ms());
        m.put("reject_reasons", t.rejectReasons());
        return m;
    }

    // ---- HTML -------------------------------------------------------------------------------

    /** The whole report as one self-contained HTML page. */
    public static String html(SlaMetrics.Report r, Definition definition) {
        AgreementDocument agreement = AgreementDocument.of(definition);
        SlaMetrics.Totals all = r.overall();
        StringBuilder sb = new StringBuilder(32_768);
        String title = "Lead handoff SLA report — " + r.definition();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n");
        sb.append("<p class=\"meta\">As of ").append(esc(r.asOf().toString())).append(" · periods: ")
                .append(esc(r.period().name().toLowerCase(Locale.ROOT))).append(" · ").append(all.mqls()).append(" MQLs, ")
                .append(all.handedOff()).append(" handed to sales, ").append(all.decided()).append(" decided, ")
                .append(all.open()).append(" waiting for a verdict</p>\n");

        // summary cards: the four components at a glance
        sb.append("<div class=\"cards\">\n");
        card(sb, "Quantity", quantitySummary(r), quantityOk(r));
        card(sb, "Quality", pct(all.qualityRate()) + " " + r.quality().metric().name().toLowerCase(Locale.ROOT)
                + " within " + r.quality().windowDays() + " d (target " + pct(r.quality().target()) + ")"
                + (all.qualityFinal() ? "" : ", provisional"), all.qualityRate() == null ? null
                : all.qualityRate() >= r.quality().target());
        card(sb, "Speed to accept", "median " + SlaText.millis(all.speedMedianMs()) + ", p90 " + SlaText.millis(all.speedP90Ms())
                + " (agreed " + SlaText.duration(r.acceptWithin()) + "); " + all.breached() + " breached",
                all.speedP90Ms() == null ? null : all.breached() == 0);
        card(sb, "Feedback completeness", pct(all.feedbackCompleteness()) + " (" + all.feedbackComplete() + " of "
                + all.feedbackOwed() + " owed verdicts complete)", all.feedbackCompleteness() == null ? null
                : all.feedbackCompleteness() >= 0.999);
        sb.append("</div>\n");

        // 1. quantity
        sb.append("<section id=\"quantity\">\n<h2>1. Quantity: MQLs per period</h2>\n");
        sb.append("<p>Marketing agreed to deliver ").append(r.range().min()).append("–").append(r.range().max())
                .append(" MQLs per ").append(esc(r.period().name().toLowerCase(Locale.ROOT)));
        if (r.range().scaled()) {
            sb.append(" (scaled from the agreed range per ").append(esc(r.range().agreedPer().name().toLowerCase(Locale.ROOT)))
                    .append(")");
        }
        sb.append(". The band shows the range; bars below it are red, above it amber.</p>\n");
        sb.append(quantityChart(r));
        sb.append("</section>\n");

        // 2. quality
        sb.append("<section id=\"quality\">\n<h2>2. Quality: acceptance, conversion and speed</h2>\n");
        sb.append("<p>Target: ").append(pct(r.quality().target())).append(" of handed-off MQLs ")
                .append(esc(metricWords(r.quality().metric()))).append(" within ").append(r.quality().windowDays())
                .append(" days. Overall: acceptance ").append(pct(all.acceptanceRate())).append(", converted to an opportunity ")
                .append(pct(all.conversionRate())).append(", won ").append(pct(all.wonRate())).append(".</p>\n");
        sb.append(speedChart(r));
        sb.append(periodTable(r));
        sb.append("<h3>Where the wait is</h3>\n<p>System delay (MAP change to the Salesforce write, our pipeline): median ")
                .append(SlaText.millis(all.systemDelayMedianMs())).append(", p90 ").append(SlaText.millis(all.systemDelayP90Ms()))
                .append(". Human delay (Salesforce write to the sales verdict): median ").append(SlaText.millis(all.humanDelayMedianMs()))
                .append(", p90 ").append(SlaText.millis(all.humanDelayP90Ms())).append(".</p>\n");
        sb.append("<h3>Worst-offending reject reasons</h3>\n");
        sb.append(reasonChart(all));
        sb.append("<h3>Sources, worst first</h3>\n");
        sb.append(groupTable("source", worstFirst(r.bySource())));
        sb.append("<h3>Campaigns, worst first</h3>\n");
        sb.append(groupTable("campaign", worstFirst(r.byCampaign())));
        sb.append("<h3>By definition version</h3>\n");
        sb.append(groupTable("definition version", r.byVersion()));
        sb.append("</section>\n");

        // 3. the definition in words
        sb.append("<section id=\"definition\" class=\"agreement\">\n<h2>3. Qualification definition: ")
                .append(esc(agreement.title())).append("</h2>\n");
        sb.append(agreement.htmlBody().replace("<h2>", "<h3>").replace("</h2>", "</h3>"));
        sb.append("</section>\n");

        // 4. feedback completeness
        sb.append("<section id=\"feedback\">\n<h2>4. Feedback completeness</h2>\n");
        sb.append("<p>Every verdict must carry: ").append(esc(String.join(", ", r.feedbackRequired())))
                .append(". A lead owes a verdict once it is decided or its ").append(SlaText.duration(r.acceptWithin()))
                .append(" accept window has passed; ").append(all.feedbackComplete()).append(" of ").append(all.feedbackOwed())
                .append(" owed verdicts are complete (").append(pct(all.feedbackCompleteness())).append("), ")
                .append(all.breached()).append(" leads breached the accept window, ").append(all.open())
                .append(" are still waiting.</p>\n");
        sb.append(feedbackChart(r));
        sb.append("</section>\n");
        sb.append("<p class=\"meta\">Generated by handoff report from the ledger. Medians average the two middle values; "
                + "p90 is the nearest-rank 90th percentile.</p>\n");
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static final String CSS = String.join("\n",
            "@page { size: auto; margin: 12mm; }",
            "* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }",
            "body { font: 10pt/1.35 -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; color: #111; max-width: 200mm; margin: 0 auto; padding: 10px; }",
            "h1 { font-size: 16pt; margin: 0 0 4px; }",
            "h2 { font-size: 12pt; margin: 16px 0 4px; border-bottom: 1px solid #999; }",
            "h3 { font-size: 10.5pt; margin: 10px 0 3px; }",
            "p { margin: 4px 0; }",
            ".meta { color: #555; font-size: 9pt; }",
            ".cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }",
            ".card { flex: 1 1 40%; border: 1px solid #bbb; border-left: 6px solid #999; padding: 4px 8px; }",
            ".card.ok { border-left-color: #2e7d32; } .card.bad { border-left-color: #c62828; }",
            ".card b { display: block; }",
            "table { border-collapse: collapse; width: 100%; margin: 4px 0; font-size: 9pt; }",
            "th, td { border: 1px solid #bbb; padding: 1px 5px; text-align: left; vertical-align: top; }",
            "td.n { text-align: right; font-variant-numeric: tabular-nums; }",
            "th { background: #eee; font-weight: 600; }",
            "svg.chart { display: block; width: 100%; max-width: 680px; height: auto; margin: 6px 0; font-size: 10px; }",
            "svg.chart text { fill: #333; font-family: inherit; }",
            "code { font: 8.5pt ui-monospace, Menlo, Consolas, monospace; }",
            ".cols { display: flex; gap: 12px; } .cols > div { flex: 1; }",
            ".sigs { display: flex; gap: 24px; margin-top: 22px; } .sig { flex: 1; border-top: 1px solid #111; padding-top: 2px; }",
            "@media print { body { padding: 0; max-width: none; } h2, h3 { break-after: avoid; } svg.chart, table, .card { break-inside: avoid; } section { break-before: auto; } }",
            "");

    private static void card(StringBuilder sb, String name, String text, Boolean ok) {
        sb.append("<div class=\"card").append(ok == null ? "" : ok ? " ok" : " bad").append("\"><b>").append(esc(name))
                .append("</b>").append(esc(text)).append("</div>\n");
    }

    private static String quantitySummary(SlaMetrics.Report r) {
        long below = r.periods().stream().filter(p -> !p.inProgress() && p.quantity() == SlaMetrics.Verdict.BELOW).count();
        long above = r.periods().stream().filter(p -> !p.inProgress() && p.quantity() == SlaMetrics.Verdict.ABOVE).count();
        long closed = r.periods().stream().filter(p -> !p.inProgress()).count();
        return r.overall().mqls() + " MQLs over " + r.periods().size() + " periods; of " + closed + " closed periods "
                + below + " below and " + above + " above the agreed " + r.range().min() + "–" + r.range().max();
    }

    private static Boolean quantityOk(SlaMetrics.Report r) {
        List<SlaMetrics.PeriodRow> closed = r.periods().stream().filter(p -> !p.inProgress()).toList();
        return closed.isEmpty() ? null : closed.stream().allMatch(p -> p.quantity() == SlaMetrics.Verdict.WITHIN);
    }

    private static String metricWords(Sla.Metric m) {
        return switch (m) {
            case ACCEPTED -> "are accepted by sales";
            case CONVERTED -> "convert to an opportunity";
            case WON -> "become won deals";
        };
    }

    /** Sources or campaigns with the most rejections first, then the lowest acceptance rate. */
    private static Map<String, SlaMetrics.Totals> worstFirst(Map<String, SlaMetrics.Totals> groups) {
        Map<String, SlaMetrics.Totals> out = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Comparator
                .comparing((Map.Entry<String, SlaMetrics.Totals> e) -> e.getValue().rejected(), Comparator.reverseOrder())
                .thenComparing(e -> e.getValue().acceptanceRate() == null ? 1.0 : e.getValue().acceptanceRate())
                .thenComparing(Map.Entry::getKey))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static String periodTable(SlaMetrics.Report r) {
        StringBuilder sb = new StringBuilder("<table class=\"periods\">\n<tr><th>period</th><th>MQLs</th><th>handed off</th>"
                + "<th>accepted</th><th>acceptance</th><th>to accept, median</th><th>p90</th><th>breached</th>"
                + "<th>converted</th><th>won</th><th>quality vs target</th><th>feedback complete</th></tr>\n");
        for (SlaMetrics.PeriodRow p : r.periods()) {
            SlaMetrics.Totals t = p.totals();
            sb.append("<tr><td>").append(esc(p.label())).append(p.inProgress() ? " (running)" : "").append("</td>");
            num(sb, t.mqls());
            num(sb, t.handedOff());
            num(sb, t.accepted());
            cell(sb, pct(t.acceptanceRate()));
            cell(sb, SlaText.millis(t.speedMedianMs()));
            cell(sb, SlaText.millis(t.speedP90Ms()));
            num(sb, t.breached());
            cell(sb, pct(t.conversionRate()));
            cell(sb, pct(t.wonRate()));
            cell(sb, pct(t.qualityRate()) + " / " + pct(r.quality().target()) + (t.qualityFinal() || t.handedOff() == 0 ? "" : " (open)"));
            cell(sb, pct(t.feedbackCompleteness()));
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    private static String groupTable(String what, Map<String, SlaMetrics.Totals> groups) {
        StringBuilder sb = new StringBuilder("<table class=\"groups\">\n<tr><th>").append(esc(what)).append("</th><th>MQLs</th>"
                + "<th>handed off</th><th>rejected</th><th>acceptance</th><th>converted</th><th>won</th>"
                + "<th>to accept, median</th><th>breached</th><th>top reject reason</th></tr>\n");
        groups.forEach((name, t) -> {
            sb.append("<tr><td>").append(esc(name)).append("</td>");
            num(sb, t.mqls());
            num(sb, t.handedOff());
            num(sb, t.rejected());
            cell(sb, pct(t.acceptanceRate()));
            cell(sb, pct(t.conversionRate()));
            cell(sb, pct(t.wonRate()));
            cell(sb, SlaText.millis(t.speedMedianMs()));
            num(sb, t.breached());
            cell(sb, t.rejectReasons().isEmpty() ? "–" : t.rejectReasons().keySet().iterator().next());
            sb.append("</tr>\n");
        });
        return sb.append("</table>\n").toString();
    }

    private static void num(StringBuilder sb, long n) {
        sb.append("<td class=\"n\">").append(n).append("</td>");
    }

    private static void cell(StringBuilder sb, String text) {
        sb.append("<td class=\"n\">").append(esc(text)).append("</td>");
    }

    // ---- charts (inline SVG) ----------------------------------------------------------------

    private static final int W = 680;
    private static final int LEFT = 44;
    private static final int RIGHT = 12;
    private static final int TOP = 14;

    private static String open(String id, int height, String label) {
        return "<svg class=\"chart\" id=\"" + id + "\" viewBox=\"0 0 " + W + " " + height
                + "\" role=\"img\" aria-label=\"" + esc(label) + "\">\n<title>" + esc(label) + "</title>\n";
    }

    private static String quantityChart(SlaMetrics.Report r) {
        int h = 230;
        int bottom = h - 40;
        List<SlaMetrics.PeriodRow> rows = r.periods();
        long max = Math.max(r.range().max(), rows.stream().mapToLong(p -> p.totals().mqls()).max().orElse(0));
        double top = niceMax(max);
        StringBuilder sb = new StringBuilder(open("chart-quantity", h, "MQLs per period against the agreed range"));
        axes(sb, bottom, top, "MQLs");
        double plot = W - LEFT - RIGHT;
        double yMin = y(r.range().min(), top, bottom);
        double yMax = y(r.range().max(), top, bottom);
        sb.append(String.format(Locale.ROOT, "<rect class=\"band\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                + "fill=\"#c8e6c9\" fill-opacity=\"0.7\"/>\n", LEFT, yMax, plot, Math.max(1, yMin - yMax)));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">agreed %d–%d</text>\n",
                (double) W - RIGHT - 2, yMax - 3, r.range().min(), r.range().max()));
        int n = Math.max(1, rows.size());
        double slot = plot / n;
        double bw = Math.max(1, slot * 0.7);
        int every = Math.max(1, (int) Math.ceil(n / 12.0));
        for (int i = 0; i < rows.size(); i++) {
            SlaMetrics.PeriodRow p = rows.get(i);
            double x = LEFT + i * slot + (slot - bw) / 2;
            double yv = y(p.totals().mqls(), top, bottom);
            String fill = p.quantity() == SlaMetrics.Verdict.BELOW ? "#e57373" : p.quantity() == SlaMetrics.Verdict.ABOVE
                    ? "#ffb74d" : "#42a5f5";
            sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"%s\"%s><title>%s: %d MQLs</title></rect>\n", x, yv, bw, Math.max(0, bottom - yv), fill,
                    p.inProgress() ? " fill-opacity=\"0.5\"" : "", esc(p.label()), p.totals().mqls()));
            if (i % every == 0) {
                xLabel(sb, x + bw / 2, bottom, shortLabel(p));
            }
        }
        return sb.append("</svg>\n").toString();
    }

    private static String speedChart(SlaMetrics.Report r) {
        int h = 230;
        int bottom = h - 40;
        List<SlaMetrics.PeriodRow> rows = r.periods();
        double agreedH = r.acceptWithin().toMillis() / 3_600_000.0;
        double max = agreedH;
        for (SlaMetrics.PeriodRow p : rows) {
            if (p.totals().speedP90Ms() != null) {
                max = Math.max(max, p.totals().speedP90Ms() / 3_600_000.0);
            }
        }
        double top = niceMax(max);
        StringBuilder sb = new StringBuilder(open("chart-speed", h, "Speed to accept per period, median and 90th percentile, hours"));
        axes(sb, bottom, top, "hours");
        double plot = W - LEFT - RIGHT;
        double yA = y(agreedH, top, bottom);
        sb.append(String.format(Locale.ROOT, "<line class=\"agreed\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" "
                + "stroke-dasharray=\"5 4\"/>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#c62828\">agreed %s</text>\n",
                LEFT, yA, (double) W - RIGHT, yA, (double) W - RIGHT - 2, yA - 3, SlaText.duration(r.acceptWithin())));
        int n = Math.max(1, rows.size());
        double slot = plot / n;
        int every = Math.max(1, (int) Math.ceil(n / 12.0));
        line(sb, rows, slot, top, bottom, true, "#1565c0", "median");
        line(sb, rows, slot, top, bottom, false, "#ef6c00", "p90");
        for (int i = 0; i < rows.size(); i += every) {
            xLabel(sb, LEFT + i * slot + slot / 2, bottom, shortLabel(rows.get(i)));
        }
        sb.append(String.format(Locale.ROOT, "<g class=\"legend\"><rect x=\"%d\" y=\"2\" width=\"10\" height=\"3\" fill=\"#1565c0\"/>"
                + "<text x=\"%d\" y=\"8\">median</text><rect x=\"%d\" y=\"2\" width=\"10\" height=\"3\" fill=\"#ef6c00\"/>"
                + "<text x=\"%d\" y=\"8\">p90</text></g>\n", LEFT + 4, LEFT + 18, LEFT + 70, LEFT + 84));
        return sb.append("</svg>\n").toString();
    }

    private static void line(StringBuilder sb, List<SlaMetrics.PeriodRow> rows, double slot, double top, int bottom,
            boolean median, String colour, String name) {
        StringBuilder d = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < rows.size(); i++) {
            Double ms = median ? rows.get(i).totals().speedMedianMs() : rows.get(i).totals().speedP90Ms();
            if (ms == null) {
                pen = false;
                continue;
            }
            double x = LEFT + i * slot + slot / 2;
            double yv = y(ms / 3_600_000.0, top, bottom);
            d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(String.format(Locale.ROOT, "%.1f %.1f", x, yv));
            pen = true;
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s %s: %s</title></circle>\n",
                    x, yv, colour, esc(rows.get(i).label()), name, esc(SlaText.millis(ms))));
        }
        if (d.length() > 0) {
            sb.append("<path class=\"line ").append(name).append("\" d=\"").append(d).append("\" fill=\"none\" stroke=\"")
                    .append(colour).append("\" stroke-width=\"2\"/>\n");
        }
        sb.append(dots);
    }

    private static String reasonChart(SlaMetrics.Totals t) {
        Map<String, Long> mix = t.rejectReasons();
        int rowH = 20;
        int h = Math.max(1, mix.size()) * rowH + 12;
        StringBuilder sb = new StringBuilder(open("chart-reasons", h, "Reject reasons, most frequent first"));
        long max = mix.values().stream().mapToLong(Long::longValue).max().orElse(0);
        int labelW = 150;
        double plot = W - labelW - 60;
        if (mix.isEmpty()) {
            sb.append("<text x=\"4\" y=\"16\">No rejections yet.</text>\n");
        }
        int i = 0;
        for (Map.Entry<String, Long> e : mix.entrySet()) {
            double yv = 6 + i * rowH;
            double w = max == 0 ? 0 : plot * e.getValue() / max;
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", labelW - 6, yv + 12,
                    esc(e.getKey())));
            sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"#8e24aa\">"
                    + "<title>%s: %d</title></rect>\n", labelW, yv, Math.max(1, w), esc(e.getKey()), e.getValue()));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%d (%s)</text>\n", labelW + Math.max(1, w) + 4, yv + 12,
                    e.getValue(), esc(pct(t.rejected() == 0 ? null : (double) e.getValue() / t.rejected()))));
            i++;
        }
        return sb.append("</svg>\n").toString();
    }

    private static String feedbackChart(SlaMetrics.Report r) {
        int h = 200;
        int bottom = h - 40;
        List<SlaMetrics.PeriodRow> rows = r.periods();
        StringBuilder sb = new StringBuilder(open("chart-feedback", h, "Feedback completeness per period, percent"));
        axes(sb, bottom, 100, "%");
        double plot = W - LEFT - RIGHT;
        int n = Math.max(1, rows.size());
        double slot = plot / n;
        double bw = Math.max(1, slot * 0.7);
        int every = Math.max(1, (int) Math.ceil(n / 12.0));
        for (int i = 0; i < rows.size(); i++) {
            SlaMetrics.PeriodRow p = rows.get(i);
            double x = LEFT + i * slot + (slot - bw) / 2;
            Double c = p.totals().feedbackCompleteness();
            if (c != null) {
                double yv = y(c * 100, 100, bottom);
                sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\"><title>%s: %s of %d</title></rect>\n", x, yv, bw, Math.max(0, bottom - yv),
                        c >= 0.999 ? "#66bb6a" : "#ffa726", esc(p.label()), esc(pct(c)), p.totals().feedbackOwed()));
            }
            if (i % every == 0) {
                xLabel(sb, x + bw / 2, bottom, shortLabel(p));
            }
        }
        return sb.append("</svg>\n").toString();
    }

    /** Axis numbers: whole numbers plain, others with one decimal (12.5). */
    private static String tick(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void axes(StringBuilder sb, int bottom, double top, String unit) {
        for (int k = 0; k <= 4; k++) {
            double v = top * k / 4;
            double yv = y(v, top, bottom);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT, yv, W - RIGHT, yv, LEFT - 4, yv + 3,
                    tick(v)));
        }
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n"
                + "<text x=\"4\" y=\"%d\">%s</text>\n", LEFT, bottom, W - RIGHT, bottom, TOP - 4, esc(unit)));
    }

    private static void xLabel(StringBuilder sb, double x, int bottom, String text) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x, bottom + 14, esc(text)));
    }

    /** Days and weeks as {@code MM-DD} under the bars; months and quarters as labelled. */
    private static String shortLabel(SlaMetrics.PeriodRow p) {
        boolean dayOrWeek = p.label().startsWith("week of ") || p.label().equals(p.start().toString());
        return dayOrWeek ? p.start().toString().substring(5) : p.label();
    }

    private static double y(double v, double top, int bottom) {
        return bottom - (bottom - TOP) * (top == 0 ? 0 : Math.min(v, top) / top);
    }

    /** A round axis maximum at or above {@code v}: 1, 2, 2.5 or 5 times a power of ten. */
    static double niceMax(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String pct(Double share) {
        return share == null ? "–" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String esc(String s) {
        return dev.handoff.html.Html.escape(s);
    }
}
