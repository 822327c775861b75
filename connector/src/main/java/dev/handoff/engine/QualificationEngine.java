package dev.handoff.engine;

import dev.handoff.definition.ActivityRule;
import dev.handoff.definition.Criterion;
import dev.handoff.definition.Definition;
import dev.handoff.definition.Disqualifier;
import dev.handoff.definition.Threshold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Qualifies leads with one {@link Definition}. The definition is compiled once here; {@link #evaluate}
 * does no regex compilation, no formatting and few allocations, and is safe to call from many
 * threads. Explanation text is rendered only when asked for.
 */
public final class QualificationEngine {

    static final String EMAIL_DOMAIN = "email_domain";
    static final long DAY_MILLIS = 86_400_000L;

    final Definition definition;
    final String label;
    final CompiledCheck[] criteria;
    final CompiledCheck[] disqualifiers;
    /** For each criterion a memo of its regex results, null for other kinds. */
    private final MatchMemo[] criterionMemos;
    private final List<Optional<Disqualification>> disqualifications;
    final ActivityRule[] rules;
    private final Map<String, Integer> ruleIndex;
    private final int[] rulePoints;
    private final int[] ruleMaxCount;
    private final long[] ruleWindowMillis;
    /** -ln 2 / half-life: the decay 0.5^(age / half-life) as one exp, which is several times cheaper than pow. */
    private final double decayPerMilli;
    final String[] requiredFields;
    final Threshold fitThreshold;
    final Threshold engagementThreshold;
    private final String[][] gradeNames;

    public QualificationEngine(Definition d) {
        this.definition = Objects.requireNonNull(d, "definition");
        this.label = d.label();
        List<Criterion> cs = d.fit().criteria();
        criteria = new CompiledCheck[cs.size()];
        for (int i = 0; i < criteria.length; i++) {
            Criterion c = cs.get(i);
            criteria[i] = new CompiledCheck(c.id(), c.field(), c.condition(), c.points());
        }
        criterionMemos = new MatchMemo[criteria.length];
        for (int i = 0; i < criteria.length; i++) {
            if (criteria[i].kind == CompiledCheck.MATCHES) {
                criterionMemos[i] = new MatchMemo(criteria[i]);
            }
        }
        List<Disqualifier> ds = d.fit().disqualifiers();
        disqualifiers = new CompiledCheck[ds.size()];
        List<Optional<Disqualification>> dqs = new ArrayList<>();
        for (int i = 0; i < disqualifiers.length; i++) {
            Disqualifier q = ds.get(i);
            disqualifiers[i] = new CompiledCheck(q.id(), q.field(), q.condition(), 0);
            dqs.add(Optional.of(new Disqualification(q.id(), q.reason())));
        }
        disqualifications = List.copyOf(dqs);
        rules = d.engagement().activities().toArray(new ActivityRule[0]);
        ruleIndex = new HashMap<>();
        rulePoints = new int[rules.length];
        ruleMaxCount = new int[rules.length];
        ruleWindowMillis = new long[rules.length];
        for (int i = 0; i < rules.length; i++) {
            ruleIndex.put(rules[i].type(), i);
            rulePoints[i] = rules[i].points();
            ruleMaxCount[i] = rules[i].maxCount().orElse(0);
            ruleWindowMillis[i] = rules[i].windowDays().isPresent() ? rules[i].windowDays().getAsInt() * DAY_MILLIS : Long.MAX_VALUE;
        }
        decayPerMilli = -Math.log(2) / (d.engagement().halfLifeDays() * (double) DAY_MILLIS);
        requiredFields = d.mql().requiredFields().toArray(new String[0]);
        fitThreshold = d.mql().fit();
        engagementThreshold = d.mql().engagement();
        gradeNames = new String[4][4];
        for (int l = 0; l < 4; l++) {
            for (int g = 0; g < 4; g++) {
                gradeNames[l][g] = "ABCD".charAt(l) + Integer.toString(g + 1);
            }
        }
    }

    public Definition definition() {
        return definition;
    }

    /**
     * Qualifies {@code lead} at {@code now}. Activities after {@code now}, of another lead, or of a
     * type the definition does not know are ignored (and listed in the full explanation).
     */
    public Qualification evaluate(Lead lead, Collection<Activity> activities, Instant now) {
        Objects.requireNonNull(lead, "lead");
        Objects.requireNonNull(now, "now");
        Map<String, String> fields = lead.fields();
        String derivedDomain = null;
        boolean domainDerived = false;

        int disqualifiedBy = -1;
        for (int i = 0; i < disqualifiers.length; i++) {
            CompiledCheck q = disqualifiers[i];
            String value;
            if (q.emailDomain) {
                if (!domainDerived) {
                    derivedDomain = emailDomain(fields);
                    domainDerived = true;
                }
                value = derivedDomain;
            } else {
                value = fields.get(q.field);
            }
            if (q.test(value, fields)) {
                disqualifiedBy = i;
                break;
            }
        }

        int fit = 0;
        for (int k = 0; k < criteria.length; k++) {
            CompiledCheck c = criteria[k];
            String value;
            if (c.emailDomain) {
                if (!domainDerived) {
                    derivedDomain = emailDomain(fields);
                    domainDerived = true;
                }
                value = derivedDomain;
            } else {
                value = fields.get(c.field);
            }
            MatchMemo memo = criterionMemos[k];
            if (memo == null) {
                int p = c.score(value, fields);
                if (p != CompiledCheck.MISS) {
                    fit += p;
                }
            } else if (memo.test(value)) {
                fit += c.points;
            }
        }

        int[] counts = new int[rules.length];
        int[] typePoints = new int[rules.length];
        int engagement = engagement(lead.id(), activities, epochMillis(now), counts, typePoints);

        List<String> missing = List.of();
        for (String f : requiredFields) {
            String v = EMAIL_DOMAIN.equals(f) ? emailDomain(fields) : fields.get(f);
            if (CompiledCheck.isBlank(v)) {
                if (missing.isEmpty()) {
                    missing = new ArrayList<>(requiredFields.length);
                }
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            missing = List.copyOf(missing);
        }

        boolean mql = disqualifiedBy < 0 && missing.isEmpty() && fitThreshold.test(fit) && engagementThreshold.test(engagement);
        String grade = gradeNames[definition.grades().letterIndex(fit)][definition.grades().digitIndex(engagement)];
        Optional<Disqualification> disqualification = disqualifiedBy < 0 ? Optional.empty() : disqualifications.get(disqualifiedBy);
        Explanation explanation = new Explanation(this, lead, activities, now, fit, engagement, grade, mql, disqualifiedBy,
                missing, counts, typePoints);
        return new Qualification(fit, engagement, grade, mql, disqualification, missing, label, explanation);
    }

    private int engagement(String leadId, Collection<Activity> activities, long nowMillis, int[] counts, int[] typePoints) {
        if (activities == null || activities.isEmpty()) {
            return 0;
        }
        double[] factors = new double[rules.length];
        double[][] recent = null;
        for (Activity a : activities) {
            if (a == null) {
                continue;
            }
            Integer index = ruleIndex.get(a.type());
            if (index == null || !sameLead(leadId, a)) {
                continue;
            }
            int i = index;
            long occurred = epochMillis(a.occurredAt());
            if (occurred > nowMillis) {
                continue;
            }
            long age = nowMillis - occurred;
            if (age < 0) {
                // overflowed: the activity is further in the past than a long of milliseconds reaches
                age = Long.MAX_VALUE;
            }
            if (age > ruleWindowMillis[i]) {
                continue;
            }
            double factor = Math.exp(age * decayPerMilli);
            int max = ruleMaxCount[i];
            if (max == 0) {
                factors[i] += factor;
                counts[i]++;
                continue;
            }
            if (recent == null) {
                recent = new double[rules.length][];
            }
            double[] top = recent[i];
            if (top == null) {
                top = new double[max];
                recent[i] = top;
            }
            // keep the max most recent (= largest factors), sorted descending
            int n = counts[i];
            if (n == max && factor <= top[n - 1]) {
                continue;
            }
            int pos = n == max ? n - 1 : n;
            while (pos > 0 && top[pos - 1] < factor) {
                top[pos] = top[pos - 1];
                pos--;
            }
            top[pos] = factor;
            if (n < max) {
                counts[i] = n + 1;
            }
        }
        int total = 0;
        for (int i = 0; i < rules.length; i++) {
            double sum = factors[i];
            if (recent != null && recent[i] != null) {
                for (int k = 0; k < counts[i]; k++) {
                    sum += recent[i][k];
                }
            }
            typePoints[i] = counts[i] == 0 ? 0 : Numbers.roundHalfUp(rulePoints[i] * sum);
            total += typePoints[i];
        }
        return total;
    }

    /**
     * {@link Instant#toEpochMilli()} clamped to the long range instead of throwing: a timestamp like
     * year 1,000,000,000 from bad data must not stop the evaluation.
     */
    static long epochMillis(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / 1000) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / 1000) {
            return Long.MIN_VALUE;
        }
        return t.toEpochMilli();
    }

    static boolean sameLead(String leadId, Activity a) {
        return a.leadId() == null || leadId == null || a.leadId().equals(leadId);
    }

    /** The lead's {@code email_domain}, or the part of {@code email} after the last '@'. */
    static String emailDomain(Map<String, String> fields) {
        String domain = fields.get(EMAIL_DOMAIN);
        if (!CompiledCheck.isBlank(domain)) {
            return domain;
        }
        String email = fields.get("email");
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        if (at < 0 || at == email.length() - 1) {
            return null;
        }
        return email.substring(at + 1);
    }

    /** The field value as the engine sees it (with {@code email_domain} derived). */
    static String value(Map<String, String> fields, String field) {
        return EMAIL_DOMAIN.equals(field) ? emailDomain(fields) : fields.get(field);
    }
}
