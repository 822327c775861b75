package dev.handoff.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two versions of the lead agreement, in words both signatories can review:
 * most important first (version, MQL thresholds, required fields, fit criteria, disqualifiers,
 * engagement, grades, SLA, reject reasons). Compares meaning, not text: reordering criteria or
 * rewriting a value's case is not a change, reordering disqualifiers is (the first match decides
 * the reason).
 */
public final class DefinitionDiff {

    /** What part of the agreement a change touches, in the order changes are listed. */
    public enum Kind {
        METADATA, THRESHOLD, REQUIRED_FIELD, CRITERION, DISQUALIFIER, ENGAGEMENT, GRADE, SLA, REJECT_REASON
    }

    /**
     * One difference.
     *
     * @param kind     the part of the agreement
     * @param what     the key that changed, e.g. {@code mql.when.fit} or {@code fit.criteria.revenue.points}
     * @param before   the old value in words, null when the thing was added
     * @param after    the new value in words, null when the thing was removed
     * @param sentence the change as a sentence, e.g. {@code MQL fit threshold raised from ≥ 40 to ≥ 50.}
     */
    public record Change(Kind kind, String what, String before, String after, String sentence) {
        public Change {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(sentence, "sentence");
        }
    }

    /** Said when two definitions mean the same. */
    public static final String NO_DIFFERENCES = "No differences.";

    private final List<Change> changes = new ArrayList<>();

    private DefinitionDiff() {
    }

    /** The changes from {@code before} to {@code after}; empty when they mean the same. */
    public static List<Change> compare(Definition before, Definition after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        DefinitionDiff diff = new DefinitionDiff();
        diff.thresholds(before.mql(), after.mql());
        diff.requiredFields(before.mql().requiredFields(), after.mql().requiredFields());
        diff.criteria(before.fit().criteria(), after.fit().criteria());
        diff.disqualifiers(before.fit().disqualifiers(), after.fit().disqualifiers());
        diff.engagement(before.engagement(), after.engagement());
        diff.grades(before.grades(), after.grades());
        diff.sla(before.sla(), after.sla());
        diff.rejectReasons(before.rejectReasons(), after.rejectReasons());
        List<Change> rules = List.copyOf(diff.changes);
        diff.changes.clear();
        diff.metadata(before, after, !rules.isEmpty());
        diff.changes.addAll(rules);
        return List.copyOf(diff.changes);
    }

    /** One sentence per line, or {@value #NO_DIFFERENCES}. */
    public static String text(List<Change> changes) {
        if (changes.isEmpty()) {
            return NO_DIFFERENCES + "\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            sb.append(c.sentence()).append('\n');
        }
        return sb.toString();
    }

    private void add(Kind kind, String what, String before, String after, String sentence) {
        changes.add(new Change(kind, what, before, after, sentence));
    }

    // ---------------------------------------------------------------------------------------------

    private void metadata(Definition a, Definition b, boolean rulesChanged) {
        if (!a.name().equals(b.name())) {
            add(Kind.METADATA, "definition", a.name(), b.name(), "Agreement renamed from " + a.name() + " to " + b.name() + ".");
        }
        if (a.version() != b.version()) {
            add(Kind.METADATA, "version", Integer.toString(a.version()), Integer.toString(b.version()),
                    "Version " + a.version() + " → " + b.version() + (b.version() < a.version() ? " (lower than before)." : "."));
        } else if (rulesChanged) {
            // every lead records the version that qualified it; two rule sets under one number make that record useless
            add(Kind.METADATA, "version", Integer.toString(a.version()), Integer.toString(b.version()),
                    "The rules changed but the version is still " + b.version() + "; bump it so each lead records which rules qualified it.");
        }
        if (!a.effective().equals(b.effective())) {
            add(Kind.METADATA, "effective", a.effective().toString(), b.effective().toString(),
                    "Effective date moved from " + a.effective() + " to " + b.effective() + ".");
        }
        Map<String, String> x = a.agreedBy();
        Map<String, String> y = b.agreedBy();
        for (Map.Entry<String, String> e : y.entrySet()) {
            String old = x.get(e.getKey());
            if (old == null) {
                add(Kind.METADATA, "agreed_by." + e.getKey(), null, e.getValue(),
                        "Now also agreed by " + e.getValue() + " for " + e.getKey() + ".");
            } else if (!old.equals(e.getValue())) {
                add(Kind.METADATA, "agreed_by." + e.getKey(), old, e.getValue(),
                        "Signatory for " + e.getKey() + " changed from " + old + " to " + e.getValue() + ".");
            }
        }
        for (Map.Entry<String, String> e : x.entrySet()) {
            if (!y.containsKey(e.getKey())) {
                add(Kind.METADATA, "agreed_by." + e.getKey(), e.getValue(), null,
                        "No longer agreed by " + e.getValue() + " for " + e.getKey() + ".");
            }
        }
    }

    private void thresholds(MqlRule a, MqlRule b) {
        threshold("fit", a.fit(), b.fit());
        threshold("engagement", a.engagement(), b.engagement());
    }

    private void threshold(String name, Threshold a, Threshold b) {
        if (a.equals(b)) {
            return;
        }
        int x = Wording.lowestPassing(a);
        int y = Wording.lowestPassing(b);
        String verb = y > x ? "raised" : y < x ? "lowered" : "rewritten";
        add(Kind.THRESHOLD, "mql.when." + name, Wording.symbol(a), Wording.symbol(b),
                "MQL " + name + " threshold " + verb + " from " + Wording.symbol(a) + " to " + Wording.symbol(b)
                        + (y == x ? " (same effect)." : "."));
    }

    private void requiredFields(List<String> a, List<String> b) {
        for (String f : b) {
            if (!a.contains(f)) {
                add(Kind.REQUIRED_FIELD, "mql.required_fields", null, f,
                        "Leads now need " + Wording.field(f) + " filled in to go to sales.");
            }
        }
        for (String f : a) {
            if (!b.contains(f)) {
                add(Kind.REQUIRED_FIELD, "mql.required_fields", f, null,
                        "Leads no longer need " + Wording.field(f) + " filled in to go to sales.");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private void criteria(List<Criterion> a, List<Criterion> b) {
        Map<String, Criterion> old = byId(a, Criterion::id);
        Map<String, Criterion> now = byId(b, Criterion::id);
        for (Criterion c : b) {
            if (!old.containsKey(c.id())) {
                String what = describe(c);
                add(Kind.CRITERION, "fit.criteria." + c.id(), null, what, "Fit criterion " + c.id() + " added: " + what + ".");
            }
        }
        for (Criterion c : a) {
            if (!now.containsKey(c.id())) {
                String what = describe(c);
                add(Kind.CRITERION, "fit.criteria." + c.id(), what, null, "Fit criterion " + c.id() + " removed (was: " + what + ").");
            }
        }
        for (Criterion c : b) {
            Criterion o = old.get(c.id());
            if (o == null) {
                continue;
            }
            String subject = "Fit criterion " + c.id();
            String key = "fit.criteria." + c.id();
            if (predicate(Kind.CRITERION, key, subject, o.field(), o.condition(), c.field(), c.condition())
                    && !(c.condition() instanceof Condition.Bands) && o.points() != c.points()) {
                add(Kind.CRITERION, key + ".points", Integer.toString(o.points()), Integer.toString(c.points()),
                        subject + " points " + (c.points() > o.points() ? "raised" : "lowered") + " from " + o.points()
                                + " to " + c.points() + ".");
            }
        }
    }

    private static String describe(Criterion c) {
        String condition = Wording.condition(c.field(), c.condition());
        return c.condition() instanceof Condition.Bands ? condition : condition + " → " + Wording.points(c.points());
    }

    private void disqualifiers(List<Disqualifier> a, List<Disqualifier> b) {
        Map<String, Disqualifier> old = byId(a, Disqualifier::id);
        Map<String, Disqualifier> now = byId(b, Disqualifier::id);
        for (Disqualifier q : b) {
            if (!old.containsKey(q.id())) {
                String what = Wording.condition(q.field(), q.condition()) + " → " + q.reason();
                add(Kind.DISQUALIFIER, "fit.disqualify." + q.id(), null, what, "Disqualifier " + q.id() + " added: " + what + ".");
            }
        }
        for (Disqualifier q : a) {
            if (!now.containsKey(q.id())) {
                String what = Wording.condition(q.field(), q.condition()) + " → " + q.reason();
                add(Kind.DISQUALIFIER, "fit.disqualify." + q.id(), what, null, "Disqualifier " + q.id() + " removed (was: " + what + ").");
            }
        }
        for (Disqualifier q : b) {
            Disqualifier o = old.get(q.id());
            if (o == null) {
                continue;
            }
            String key = "fit.disqualify." + q.id();
            predicate(Kind.DISQUALIFIER, key, "Disqualifier " + q.id(), o.field(), o.condition(), q.field(), q.condition());
            if (!o.reason().equals(q.reason())) {
                add(Kind.DISQUALIFIER, key + ".reason", o.reason(), q.reason(),
                        "Disqualifier " + q.id() + " now records " + q.reason() + " instead of " + o.reason() + ".");
            }
        }
        List<String> oldOrder = new ArrayList<>();
        for (Disqualifier q : a) {
            if (now.containsKey(q.id())) {
                oldOrder.add(q.id());
            }
        }
        List<String> newOrder = new ArrayList<>();
        for (Disqualifier q : b) {
            if (old.containsKey(q.id())) {
                newOrder.add(q.id());
            }
        }
        if (!oldOrder.equals(newOrder)) {
            // the first disqualifier that matches decides the reject reason, so order is part of the rule
            add(Kind.DISQUALIFIER, "fit.disqualify", String.join(", ", oldOrder), String.join(", ", newOrder),
                    "Disqualifiers are checked in a new order: " + String.join(", ", newOrder) + " (was "
                            + String.join(", ", oldOrder) + ").");
        }
    }

    /**
     * Compares field and condition; adds the changes and returns true when the kind of test stayed
     * the same (so a points change can still be reported on its own).
     */
    private boolean predicate(Kind kind, String key, String subject, String oldField, Condition o, String newField, Condition n) {
        if (!oldField.equals(newField)) {
            add(kind, key + ".field", oldField, newField,
                    subject + " now checks " + Wording.field(newField) + " instead of " + Wording.field(oldField) + ".");
        }
        if (o.getClass() != n.getClass()) {
            String before = Wording.condition(oldField, o);
            String after = Wording.condition(newField, n);
            add(kind, key, before, after, subject + " now checks: " + after + " (was: " + before + ").");
            return false;
        }
        if (o instanceof Condition.Bands x && n instanceof Condition.Bands y) {
            bands(key, subject, x.bands(), y.bands());
        } else if (o instanceof Condition.In x && n instanceof Condition.In y) {
            values(kind, key + ".in", subject, "", x.values(), y.values());
        } else if (o instanceof Condition.InList x && n instanceof Condition.InList y) {
            if (!x.list().equals(y.list())) {
                add(kind, key + ".in_list", x.list(), y.list(), subject + " now uses the list " + y.list() + " instead of " + x.list() + ".");
            } else {
                values(kind, key + ".in_list", subject, "list " + y.list() + ": ", List.copyOf(x.normalized()), List.copyOf(y.normalized()));
            }
        } else if (o instanceof Condition.Matches x && n instanceof Condition.Matches y) {
            if (!x.regex().equals(y.regex())) {
                add(kind, key + ".matches", x.regex(), y.regex(),
                        subject + " pattern changed from " + x.regex() + " to " + y.regex() + " (now " + Wording.pattern(y.regex()) + ").");
            }
        } else if (o instanceof Condition.Equals x && n instanceof Condition.Equals y) {
            if (!Condition.normalize(x.value()).equals(Condition.normalize(y.value()))) {
                add(kind, key + ".equals", x.value(), y.value(), subject + " now needs exactly " + y.value() + " instead of " + x.value() + ".");
            }
        } else if (o instanceof Condition.Exists x && n instanceof Condition.Exists y) {
            if (x.present() != y.present()) {
                add(kind, key + ".exists", Boolean.toString(x.present()), Boolean.toString(y.present()),
                        subject + " now checks: " + Wording.condition(newField, n) + " (was: " + Wording.condition(oldField, o) + ").");
            }
        } else if (!o.equals(n)) {
            // a condition kind without a specific comparison: still say that it changed
            add(kind, key, Wording.condition(oldField, o), Wording.condition(newField, n),
                    subject + " now checks: " + Wording.condition(newField, n) + " (was: " + Wording.condition(oldField, o) + ").");
        }
        return true;
    }

    private void bands(String key, String subject, List<Condition.Band> a, List<Condition.Band> b) {
        if (a.equals(b)) {
            return;
        }
        boolean sameMins = a.size() == b.size();
        for (int i = 0; sameMins && i < a.size(); i++) {
            sameMins = a.get(i).min() == b.get(i).min();
        }
        if (sameMins) {
            for (int i = 0; i < a.size(); i++) {
                int x = a.get(i).points();
                int y = b.get(i).points();
                if (x != y) {
                    add(Kind.CRITERION, key + ".bands[" + i + "].points", Integer.toString(x), Integer.toString(y),
                            subject + ": at least " + Wording.number(a.get(i).min()) + " now gives " + Wording.points(y)
                                    + " instead of " + x + ".");
                }
            }
            return;
        }
        String before = bandList(a);
        String after = bandList(b);
        add(Kind.CRITERION, key + ".bands", before, after, subject + " bands changed from " + before + " to " + after + ".");
    }

    private static String bandList(List<Condition.Band> bands) {
        List<String> parts = new ArrayList<>();
        for (Condition.Band band : bands) {
            parts.add("≥ " + Wording.number(band.min()) + " → " + band.points());
        }
        return String.join(", ", parts);
    }

    /** Values compared ignoring case and surrounding spaces, the way the engine compares them. */
    private void values(Kind kind, String key, String subject, String prefix, List<String> a, List<String> b) {
        Map<String, String> x = normalized(a);
        Map<String, String> y = normalized(b);
        List<String> added = new ArrayList<>();
        for (Map.Entry<String, String> e : y.entrySet()) {
            if (!x.containsKey(e.getKey())) {
                added.add(e.getValue());
            }
        }
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, String> e : x.entrySet()) {
            if (!y.containsKey(e.getKey())) {
                removed.add(e.getValue());
            }
        }
        if (added.isEmpty() && removed.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + sample(added));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + sample(removed));
        }
        add(kind, key, removed.isEmpty() ? null : String.join(", ", removed), added.isEmpty() ? null : String.join(", ", added),
                subject + ": " + prefix + String.join("; ", parts) + ".");
    }

    /** Long lists (list files) are summarised so one sentence stays readable. */
    private static String sample(List<String> values) {
        int show = 10;
        if (values.size() <= show) {
            return String.join(", ", values);
        }
        return String.join(", ", values.subList(0, show)) + " and " + (values.size() - show) + " more";
    }

    private static Map<String, String> normalized(List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            out.putIfAbsent(Condition.normalize(v), v);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------

    private void engagement(Engagement a, Engagement b) {
        if (a.halfLifeDays() != b.halfLifeDays()) {
            add(Kind.ENGAGEMENT, "engagement.half_life_days", Integer.toString(a.halfLifeDays()), Integer.toString(b.halfLifeDays()),
                    "Engagement points now halve every " + Wording.days(b.halfLifeDays()) + " instead of " + Wording.days(a.halfLifeDays())
                            + (b.halfLifeDays() > a.halfLifeDays() ? " (activities count longer)." : " (activities fade faster)."));
        }
        Map<String, ActivityRule> old = byId(a.activities(), ActivityRule::type);
        Map<String, ActivityRule> now = byId(b.activities(), ActivityRule::type);
        for (ActivityRule r : b.activities()) {
            if (!old.containsKey(r.type())) {
                add(Kind.ENGAGEMENT, "engagement.activities." + r.type(), null, Integer.toString(r.points()),
                        "Activity " + r.type() + " now scores " + Wording.points(r.points()) + limits(r) + ".");
            }
        }
        for (ActivityRule r : a.activities()) {
            if (!now.containsKey(r.type())) {
                add(Kind.ENGAGEMENT, "engagement.activities." + r.type(), Integer.toString(r.points()), null,
                        "Activity " + r.type() + " no longer scores (was " + Wording.points(r.points()) + ").");
            }
        }
        for (ActivityRule r : b.activities()) {
            ActivityRule o = old.get(r.type());
            if (o == null) {
                continue;
            }
            String key = "engagement.activities." + r.type();
            if (o.points() != r.points()) {
                add(Kind.ENGAGEMENT, key + ".points", Integer.toString(o.points()), Integer.toString(r.points()),
                        "Activity " + r.type() + " points " + (r.points() > o.points() ? "raised" : "lowered") + " from "
                                + o.points() + " to " + r.points() + ".");
            }
            if (!o.maxCount().equals(r.maxCount())) {
                String before = o.maxCount().isPresent() ? Integer.toString(o.maxCount().getAsInt()) : null;
                String after = r.maxCount().isPresent() ? Integer.toString(r.maxCount().getAsInt()) : null;
                add(Kind.ENGAGEMENT, key + ".max_count", before, after, "Activity " + r.type() + " now counts "
                        + (after == null ? "every one" : "only the " + after + " most recent") + " (was "
                        + (before == null ? "every one" : "the " + before + " most recent") + ").");
            }
            if (!o.windowDays().equals(r.windowDays())) {
                String before = o.windowDays().isPresent() ? Wording.days(o.windowDays().getAsInt()) : null;
                String after = r.windowDays().isPresent() ? Wording.days(r.windowDays().getAsInt()) : null;
                add(Kind.ENGAGEMENT, key + ".window_days", before, after, "Activity " + r.type() + " now counts "
                        + (after == null ? "at any age" : "within the last " + after) + " (was "
                        + (before == null ? "any age" : "within " + before) + ").");
            }
        }
    }

    private static String limits(ActivityRule r) {
        List<String> parts = new ArrayList<>();
        if (r.maxCount().isPresent()) {
            parts.add("the " + r.maxCount().getAsInt() + " most recent");
        }
        if (r.windowDays().isPresent()) {
            parts.add("within " + Wording.days(r.windowDays().getAsInt()));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private void grades(Grades a, Grades b) {
        grade("A", "fit", a.fitA(), b.fitA());
        grade("B", "fit", a.fitB(), b.fitB());
        grade("C", "fit", a.fitC(), b.fitC());
        grade("1", "engagement", a.engagement1(), b.engagement1());
        grade("2", "engagement", a.engagement2(), b.engagement2());
        grade("3", "engagement", a.engagement3(), b.engagement3());
    }

    private void grade(String step, String score, int x, int y) {
        if (x != y) {
            add(Kind.GRADE, "grades." + score + "." + step, "≥ " + x, "≥ " + y,
                    "Grade " + step + " now needs " + score + " ≥ " + y + " instead of ≥ " + x + ".");
        }
    }

    private void sla(Sla a, Sla b) {
        if (!a.acceptWithin().equals(b.acceptWithin())) {
            Duration x = a.acceptWithin();
            Duration y = b.acceptWithin();
            add(Kind.SLA, "sla.accept_within", Wording.duration(x), Wording.duration(y),
                    "Sales now has " + Wording.duration(y) + " instead of " + Wording.duration(x) + " to accept or reject a lead.");
        }
        Sla.Quantity qa = a.quantity();
        Sla.Quantity qb = b.quantity();
        if (!qa.equals(qb)) {
            String before = qa.min() + "–" + qa.max() + " " + Wording.period(qa.per());
            String after = qb.min() + "–" + qb.max() + " " + Wording.period(qb.per());
            add(Kind.SLA, "sla.quantity", before, after, "Marketing now commits to " + qb.min() + "–" + qb.max() + " sales-ready leads "
                    + Wording.period(qb.per()) + " instead of " + before + ".");
        }
        Sla.Quality la = a.quality();
        Sla.Quality lb = b.quality();
        if (!la.equals(lb)) {
            String before = quality(la);
            String after = quality(lb);
            add(Kind.SLA, "sla.quality", before, after, "Quality target now " + after + " (was " + before + ").");
        }
        for (String f : b.feedbackRequired()) {
            if (!a.feedbackRequired().contains(f)) {
                add(Kind.SLA, "sla.feedback_required", null, f, "Sales must now fill in " + Wording.field(f) + " on every lead.");
            }
        }
        for (String f : a.feedbackRequired()) {
            if (!b.feedbackRequired().contains(f)) {
                add(Kind.SLA, "sla.feedback_required", f, null, "Sales no longer has to fill in " + Wording.field(f) + ".");
            }
        }
    }

    private static String quality(Sla.Quality q) {
        return Wording.percent(q.target()) + " " + Wording.metric(q.metric()) + " within " + Wording.days(q.windowDays());
    }

    private void rejectReasons(Map<String, RejectReason> a, Map<String, RejectReason> b) {
        for (RejectReason r : b.values()) {
            if (!a.containsKey(r.code())) {
                add(Kind.REJECT_REASON, "reject_reasons." + r.code(), null, Wording.action(r),
                        "Reject reason " + r.code() + " added: the lead is " + Wording.action(r)
                                + (r.commentRequired() ? ", comment required." : "."));
            }
        }
        for (RejectReason r : a.values()) {
            if (!b.containsKey(r.code())) {
                add(Kind.REJECT_REASON, "reject_reasons." + r.code(), Wording.action(r), null,
                        "Reject reason " + r.code() + " removed (the lead was " + Wording.action(r) + ").");
            }
        }
        for (RejectReason r : b.values()) {
            RejectReason o = a.get(r.code());
            if (o == null) {
                continue;
            }
            if (o.action() != r.action() || o.afterDays() != r.afterDays()) {
                add(Kind.REJECT_REASON, "reject_reasons." + r.code() + ".action", Wording.action(o), Wording.action(r),
                        "Reject reason " + r.code() + ": the lead is now " + Wording.action(r) + " (was " + Wording.action(o) + ").");
            }
            if (o.commentRequired() != r.commentRequired()) {
                add(Kind.REJECT_REASON, "reject_reasons." + r.code() + ".comment_required", Boolean.toString(o.commentRequired()),
                        Boolean.toString(r.commentRequired()), "Reject reason " + r.code() + (r.commentRequired()
                                ? " now requires a comment." : " no longer requires a comment."));
            }
        }
    }

    private static <T> Map<String, T> byId(List<T> items, java.util.function.Function<T, String> id) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T t : items) {
            out.put(id.apply(t), t);
        }
        return out;
    }
}
