package dev.handoff.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Qualification} and its {@link Explanation} as plain maps and lists that any JSON writer
 * serialises as is (keys in a fixed order, snake_case). Lives apart from {@link Explanation} so the
 * engine's hot path carries no serialisation concerns.
 *
 * <p>The FIT lines' points add up to {@code fit_score} and the ENGAGEMENT lines' points to
 * {@code engagement_score}, so a consumer can show exactly where a score came from.
 */
public final class ExplanationJson {

    /** Length of {@code short_text}: what the CRM explanation field holds. */
    public static final int SHORT_TEXT_CHARS = 1000;

    private ExplanationJson() {
    }

    /**
     * {@code {definition, mql, fit_score, engagement_score, grade, disqualification, missing_fields,
     * short_text, lines}}; {@code disqualification} is null or {@code {criterion, reason}}.
     */
    public static Map<String, Object> of(Qualification q) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("definition", q.definitionLabel());
        out.put("mql", q.mql());
        out.put("fit_score", q.fitScore());
        out.put("engagement_score", q.engagementScore());
        out.put("grade", q.grade());
        if (q.disqualification().isPresent()) {
            Disqualification d = q.disqualification().get();
            Map<String, Object> dq = new LinkedHashMap<>();
            dq.put("criterion", d.criterionId());
            dq.put("reason", d.reason());
            out.put("disqualification", dq);
        } else {
            out.put("disqualification", null);
        }
        out.put("missing_fields", List.copyOf(q.missingFields()));
        out.put("short_text", q.explanation().shortText(SHORT_TEXT_CHARS));
        out.put("lines", lines(q.explanation()));
        return out;
    }

    /** Each line as {@code {kind, id, hit, points, count, detail}}, kind in snake_case ({@code required_field}). */
    public static List<Map<String, Object>> lines(Explanation e) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Explanation.Line l : e.lines()) {
            out.add(line(l));
        }
        return out;
    }

    static Map<String, Object> line(Explanation.Line l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", l.kind().name().toLowerCase(Locale.ROOT));
        m.put("id", l.id());
        m.put("hit", l.hit());
        m.put("points", l.points());
        m.put("count", l.count());
        m.put("detail", l.detail());
        return m;
    }
}
