package dev.handoff.ops;

import java.util.List;
import java.util.Map;

/**
 * {@code /status} as one self-contained, read-only HTML page (no scripts, no external assets):
 * the same figures as {@code /status.json}, every value escaped. It refreshes itself every 30 s.
 */
final class StatusPage {

    private StatusPage() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> status) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"30\"><title>Handoff status</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:20px}")
                .append("h2{font-size:16px;margin-top:1.5em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}td.n{text-align:right}")
                .append(".muted{color:#666}</style></head><body>");
        h.append("<h1>Handoff status</h1><p class=\"muted\">").append(esc(status.get("at"))).append(" · definition ")
                .append(esc(status.get("definition"))).append(" · ").append(esc(status.get("map"))).append("</p>");

        h.append("<h2>Flows</h2><table><tr><th>flow</th><th>every</th><th>running</th><th>last started</th>")
                .append("<th>last finished</th></tr>");
        ((Map<String, Map<String, Object>>) status.get("flows")).forEach((flow, f) -> h.append("<tr><td>").append(esc(flow))
                .append("</td><td>").append(esc(f.get("interval"))).append("</td><td>").append(esc(f.get("running")))
                .append("</td><td>").append(esc(orDash(f.get("last_started")))).append("</td><td>")
                .append(esc(orDash(f.get("last_finished")))).append("</td></tr>"));
        h.append("</table>");

        h.append("<h2>Queues</h2>");
        table(h, (Map<String, Object>) status.get("queues"));
        h.append("<h2>Leads by state</h2>");
        table(h, (Map<String, Object>) status.get("by_state"));

        Map<String, Object> q = (Map<String, Object>) status.get("quarantine");
        h.append("<h2>Quarantine: ").append(esc(q.get("total"))).append("</h2>");
        List<Map<String, Object>> buckets = (List<Map<String, Object>>) q.get("by_reason");
        if (buckets.isEmpty()) {
            h.append("<p>Nothing parked.</p>");
        } else {
            h.append("<table><tr><th>system</th><th>stage</th><th>code</th><th>leads</th></tr>");
            for (Map<String, Object> b : buckets) {
                h.append("<tr><td>").append(esc(b.get("system"))).append("</td><td>").append(esc(b.get("stage")))
                        .append("</td><td>").append(esc(b.get("code"))).append("</td><td class=\"n\">")
                        .append(esc(b.get("leads"))).append("</td></tr>");
            }
            h.append("</table><p class=\"muted\">handoff quarantine list · replay ID · discard ID</p>");
        }

        h.append("<h2>API usage</h2>");
        ((Map<String, Map<String, Object>>) status.get("api")).forEach((system, usage) -> {
            h.append("<h3>").append(esc(system)).append("</h3>");
            table(h, usage);
        });
        h.append("<h2>SLA today</h2>");
        table(h, (Map<String, Object>) status.get("sla_today"));
        return h.append("</body></html>").toString();
    }

    private static void table(StringBuilder h, Map<String, Object> rows) {
        h.append("<table>");
        rows.forEach((k, v) -> h.append("<tr><th>").append(esc(k.replace('_', ' '))).append("</th><td class=\"n\">")
                .append(esc(v)).append("</td></tr>"));
        h.append("</table>");
    }

    private static Object orDash(Object o) {
        return o == null ? "–" : o;
    }

    static String esc(Object o) {
        return dev.handoff.html.Html.escape(String.valueOf(o));
    }
}
