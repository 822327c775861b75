package dev.handoff.engine;

import dev.handoff.definition.ActivityRule;
import dev.handoff.definition.Threshold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Why a lead was (not) qualified: structured {@link Line}s, a short text for a CRM field and a
 * full text for people. Built lazily from the evaluation's inputs, so evaluating stays cheap; the
 * same inputs always give the same text.
 */
public final class Explanation {

    /** What a line is about. */
    public enum Kind {
        /** The decision; always the first line. */
        VERDICT,
        /** A score compared with its MQL threshold; {@code points} is the score. */
        THRESHOLD,
        /** A required field; {@code hit} when filled in. */
        REQUIRED_FIELD,
        /** A disqualifier; {@code hit} when it matched. */
        DISQUALIFIER,
        /** A fit criterion; {@code points} added to the fit score (0 when missed). */
        FIT,
        /** An activity type; {@code points} added to the engagement score, {@code count} activities counted. */
        ENGAGEMENT,
        /** Activities that did not count: unknown type, after the evaluation time, or of another lead. */
        IGNORED
    }

    /**
     * One statement of the explanation.
     *
     * @param kind   what the line is about
     * @param id     criterion or disqualifier id, activity type, field or threshold name
     * @param hit    matched / met / present
     * @param points points contributed (FIT, ENGAGEMENT) or the score (THRESHOLD); 0 otherwise
     * @param count  activities counted (ENGAGEMENT) or ignored (IGNORED); 0 otherwise
     * @param detail the reason in words, e.g. {@code title "VP Marketing"} or {@code no annual_revenue}
     */
    public record Line(Kind kind, String id, boolean hit, int points, int count, String detail) {
        public Line {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private final QualificationEngine engine;
    private final Lead lead;
    private final Collection<Activity> activities;
    private final Instant now;
    private final int fit;
    private final int engagement;
    private final String grade;
    private final boolean mql;
    private final int disqualifiedBy;
    private final List<String> missing;
    private final int[] counts;
    private final int[] typePoints;
    private volatile List<Line> lines;

    Explanation(QualificationEngine engine, Lead lead, Collection<Activity> activities, Instant now, int fit, int engagement,
            String grade, boolean mql, int disqualifiedBy, List<String> missing, int[] counts, int[] typePoints) {
        this.engine = engine;
        this.lead = lead;
        this.activities = activities;
        this.now = now;
        this.fit = fit;
        this.engagement = engagement;
        this.grade = grade;
        this.mql = mql;
        this.disqualifiedBy = disqualifiedBy;
        this.missing = missing;
        this.counts = counts;
        this.typePoints = typePoints;
    }

    /** All lines: verdict, thresholds, required fields, disqualifiers, fit criteria, activity types, ignored activities. */
    public List<Line> lines() {
        List<Line> l = lines;
        if (l == null) {
            l = build();
            lines = l;
        }
        return l;
    }

    private List<Line> build() {
        Map<String, String> fields = lead.fields();
        List<Line> out = new ArrayList<>();
        out.add(new Line(Kind.VERDICT, mql ? "mql" : "not_mql", mql, 0, 0, verdict()));
        out.add(new Line(Kind.THRESHOLD, "fit", engine.fitThreshold.test(fit), fit, 0, comparison("fit", fit, engine.fitThreshold)));
        out.add(new Line(Kind.THRESHOLD, "engagement", engine.engagementThreshold.test(engagement), engagement, 0,
                comparison("engagement", engagement, engine.engagementThreshold)));
        for (String f : engine.requiredFields) {
            boolean present = !missing.contains(f);
            out.add(new Line(Kind.REQUIRED_FIELD, f, present, 0, 0, present ? "present" : "missing"));
        }
        for (int i = 0; i < engine.disqualifiers.length; i++) {
            CompiledCheck q = engine.disqualifiers[i];
            String value = QualificationEngine.value(fields, q.field);
            boolean hit = i == disqualifiedBy;
            String detail = i > disqualifiedBy && disqualifiedBy >= 0 ? "not checked" : describe(q, value, fields);
            if (hit) {
                detail = detail + " → " + reasonOf(i);
            }
            out.add(new Line(Kind.DISQUALIFIER, q.id, hit, 0, 0, detail));
        }
        for (CompiledCheck c : engine.criteria) {
            String value = QualificationEngine.value(fields, c.field);
            int p = c.score(value, fields);
            boolean hit = p != CompiledCheck.MISS;
            out.add(new Line(Kind.FIT, c.id, hit, hit ? p : 0, 0, describe(c, value, fields)));
        }
        ActivityRule[] rules = engine.rules;
        for (int i = 0; i < rules.length; i++) {
            out.add(new Line(Kind.ENGAGEMENT, rules[i].type(), counts[i] > 0, typePoints[i], counts[i], activityDetail(i)));
        }
        addIgnored(out);
        return List.copyOf(out);
    }

    /** The check's own words, plus for a numeric check how a loosely written value was read (or that it could not be). */
    private static String describe(CompiledCheck check, String value, Map<String, String> fields) {
        String detail = check.describe(value, fields);
        return check.kind == CompiledCheck.BANDS ? Numbers.withReading(check.field, value, detail) : detail;
    }

    private String reasonOf(int disqualifier) {
        return engine.definition.fit().disqualifiers().get(disqualifier).reason();
    }

    private String verdict() {
        if (mql) {
            return "MQL";
        }
        List<String> why = new ArrayList<>();
        if (disqualifiedBy >= 0) {
            why.add("disqualified by " + engine.disqualifiers[disqualifiedBy].id + " (" + reasonOf(disqualifiedBy) + ")");
        }
        if (!missing.isEmpty()) {
            why.add("missing " + String.join(", ", missing));
        }
        if (!engine.fitThreshold.test(fit)) {
            why.add(comparison("fit", fit, engine.fitThreshold));
        }
        if (!engine.engagementThreshold.test(engagement)) {
            why.add(comparison("engagement", engagement, engine.engagementThreshold));
        }
        return "Not MQL: " + String.join("; ", why);
    }

    private static String comparison(String name, int score, Threshold t) {
        if (t.test(score)) {
            return name + " " + score + " " + t.op().display() + " " + t.value();
        }
        return name + " " + score + (t.op() == Threshold.Op.AT_LEAST ? " < " : " ≤ ") + t.value();
    }

    private String activityDetail(int i) {
        ActivityRule r = engine.rules[i];
        StringBuilder sb = new StringBuilder();
        sb.append(counts[i]).append('×');
        List<String> limits = new ArrayList<>();
        if (r.windowDays().isPresent()) {
            limits.add("within " + r.windowDays().getAsInt() + " days");
        }
        if (r.maxCount().isPresent()) {
            limits.add("most recent " + r.maxCount().getAsInt() + " at most");
        }
        if (!limits.isEmpty()) {
            sb.append(" (").append(String.join(", ", limits)).append(')');
        }
        return sb.toString();
    }

    private void addIgnored(List<Line> out) {
        if (activities == null || activities.isEmpty()) {
            return;
        }
        TreeMap<String, Integer> unknown = new TreeMap<>();
        int future = 0;
        int otherLead = 0;
        long nowMillis = QualificationEngine.epochMillis(now);
        for (Activity a : activities) {
            if (a == null) {
                continue;
            }
            if (!QualificationEngine.sameLead(lead.id(), a)) {
                otherLead++;
            } else if (engine.definition.engagement().rule(a.type()).isEmpty()) {
                unknown.merge(a.type(), 1, Integer::sum);
            } else if (QualificationEngine.epochMillis(a.occurredAt()) > nowMillis) {
                future++;
            }
        }
        if (!unknown.isEmpty()) {
            List<String> parts = new ArrayList<>();
            int total = 0;
            for (Map.Entry<String, Integer> e : unknown.entrySet()) {
                parts.add(e.getKey() + " ×" + e.getValue());
                total += e.getValue();
            }
            out.add(new Line(Kind.IGNORED, "unknown_type", false, 0, total, "not in the definition: " + String.join(", ", parts)));
        }
        if (future > 0) {
            out.add(new Line(Kind.IGNORED, "after_evaluation", false, 0, future, "after the evaluation time " + now));
        }
        if (otherLead > 0) {
            out.add(new Line(Kind.IGNORED, "other_lead", false, 0, otherLead, "belong to another lead"));
        }
    }

    /**
     * The explanation for a CRM text field: verdict first, then the fit criteria and activity types
     * that scored, largest first, then the criteria that missed; never longer than {@code maxChars},
     * cut after a whole item.
     */
    public String shortText(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be >= 1");
        }
        String head = head();
        if (head.length() > maxChars) {
            return head.substring(0, maxChars - 1) + "…";
        }
        StringBuilder sb = new StringBuilder(Math.min(maxChars, 1024)).append(head);
        List<Line> all = lines();
        List<String> fitItems = new ArrayList<>();
        for (Line l : sortedHits(all, Kind.FIT)) {
            fitItems.add(l.id() + " " + Text.signed(l.points()) + " (" + l.detail() + ")");
        }
        List<String> engagementItems = new ArrayList<>();
        for (Line l : sortedHits(all, Kind.ENGAGEMENT)) {
            engagementItems.add(l.id() + " " + Text.signed(l.points()) + " (" + l.count() + "×)");
        }
        List<String> missedItems = new ArrayList<>();
        for (Line l : all) {
            if (l.kind() == Kind.FIT && !l.hit()) {
                missedItems.add(l.id() + " (" + l.detail() + ")");
            }
        }
        if (appendSection(sb, " Fit: ", fitItems, maxChars)
                && appendSection(sb, " Engagement: ", engagementItems, maxChars)) {
            appendSection(sb, " Not scored: ", missedItems, maxChars);
        }
        return sb.toString();
    }

    private String head() {
        StringBuilder sb = new StringBuilder();
        sb.append(mql ? "MQL" : "Not MQL").append(" (").append(engine.label).append("): ");
        if (disqualifiedBy >= 0) {
            Line d = null;
            for (Line l : lines()) {
                if (l.kind() == Kind.DISQUALIFIER && l.hit()) {
                    d = l;
                    break;
                }
            }
            sb.append("disqualified by ").append(engine.disqualifiers[disqualifiedBy].id)
                    .append(" (").append(d == null ? reasonOf(disqualifiedBy) : d.detail()).append("); ");
        }
        if (!missing.isEmpty()) {
            sb.append("missing ").append(String.join(", ", missing)).append("; ");
        }
        sb.append(comparison("fit", fit, engine.fitThreshold)).append(", ")
                .append(comparison("engagement", engagement, engine.engagementThreshold))
                .append(", grade ").append(grade).append('.');
        return sb.toString();
    }

    /** Appends {@code title} and as many whole items as fit, ending with '.' or '…'; false when something was cut. */
    private static boolean appendSection(StringBuilder sb, String title, List<String> items, int maxChars) {
        if (items.isEmpty()) {
            return true;
        }
        int added = 0;
        for (String item : items) {
            String piece = (added == 0 ? title : ", ") + item;
            if (sb.length() + piece.length() + 1 > maxChars) {
                if (added > 0) {
                    sb.append('…');
                } else if (sb.length() + 2 <= maxChars) {
                    sb.append(" …");
                }
                return false;
            }
            sb.append(piece);
            added++;
        }
        sb.append('.');
        return true;
    }

    private static List<Line> sortedHits(List<Line> all, Kind kind) {
        List<Line> hits = new ArrayList<>();
        for (Line l : all) {
            if (l.kind() == kind && l.hit()) {
                hits.add(l);
            }
        }
        // stable sort: ties keep definition order
        hits.sort((a, b) -> Integer.compare(Math.abs(b.points()), Math.abs(a.points())));
        return hits;
    }

    /** Every line, for people: the verdict, thresholds, required fields, disqualifiers, fit and engagement in full. */
    public String fullText() {
        List<Line> all = lines();
        StringBuilder sb = new StringBuilder(1024);
        sb.append(mql ? "MQL" : "Not MQL").append(" (").append(engine.label).append("), grade ").append(grade);
        if (!mql) {
            String verdict = all.get(0).detail();
            sb.append(": ").append(verdict.substring(verdict.indexOf(':') + 2));
        }
        sb.append('\n');
        sb.append("Thresholds:\n");
        for (Line l : all) {
            if (l.kind() == Kind.THRESHOLD) {
                sb.append("  ").append(l.hit() ? "met     " : "not met ").append(l.detail()).append('\n');
            }
        }
        section(sb, all, Kind.REQUIRED_FIELD, "Required fields:");
        section(sb, all, Kind.DISQUALIFIER, "Disqualifiers:");
        sb.append("Fit ").append(fit).append(":\n");
        for (Line l : all) {
            if (l.kind() == Kind.FIT) {
                sb.append("  ").append(l.hit() ? "+ " : "- ").append(l.id()).append(' ').append(Text.signed(l.points()))
                        .append(": ").append(l.detail()).append('\n');
            }
        }
        sb.append("Engagement ").append(engagement).append(" (points halve every ")
                .append(engine.definition.engagement().halfLifeDays()).append(" days, as of ").append(now).append("):\n");
        for (Line l : all) {
            if (l.kind() == Kind.ENGAGEMENT) {
                sb.append("  ").append(l.hit() ? "+ " : "- ").append(l.id()).append(' ').append(Text.signed(l.points()))
                        .append(": ").append(l.detail()).append('\n');
            }
        }
        section(sb, all, Kind.IGNORED, "Ignored activities:");
        return sb.toString();
    }

    private static void section(StringBuilder sb, List<Line> all, Kind kind, String title) {
        boolean any = false;
        for (Line l : all) {
            if (l.kind() != kind) {
                continue;
            }
            if (!any) {
                sb.append(title).append('\n');
                any = true;
            }
            sb.append("  ").append(l.id()).append(": ");
            if (kind == Kind.DISQUALIFIER) {
                sb.append(l.hit() ? "yes, " : "no, ");
            }
            if (kind == Kind.IGNORED) {
                sb.append(l.count()).append(' ');
            }
            sb.append(l.detail()).append('\n');
        }
    }

    @Override
    public String toString() {
        return shortText(1000);
    }
}
