package dev.handoff.emulator.salesforce;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The sales team: every new Lead gets an accept/reject verdict that lands after a think time; some
 * accepted Leads are later converted, and the Opportunity each conversion opens later closes won
 * or lost. Every draw comes from a Random seeded by (seed, external id), so a lead's fate does not
 * depend on the order or batch in which the connector happened to send it.
 */
final class SalesReps {

    static final List<String> REP_USER_IDS = List.of(
            Ids.of("005", 101), Ids.of("005", 102), Ids.of("005", 103), Ids.of("005", 104), Ids.of("005", 105));

    private static final Map<String, List<String>> COMMENTS = Map.of(
            "NOT_RIGHT_FIT", List.of("Consultancy reselling our competitor, not a buyer.",
                    "Student project, no commercial use."),
            "NOT_RIGHT_SIZE", List.of("Two-person shop, far below our minimum deal size.",
                    "Team of five, self-serve plan is enough for them."),
            "WRONG_CONTACT", List.of("Intern downloading content; asked for the finance lead instead.",
                    "Left the company last month according to LinkedIn."),
            "NOT_INTERESTED", List.of("Said they only wanted the whitepaper.",
                    "Just renewed with an incumbent for three years."),
            "NO_BUDGET", List.of("Budget frozen until next fiscal year.", "No budget approved for this quarter."),
            "OTHER", List.of("Asked us to call back after their reorg settles.",
                    "Existing customer of our partner, routed to the channel team.",
                    "Phone number invalid and no reply to two emails."));

    /** Opportunity stages a default org has for the conversion and the two closed outcomes. */
    static final String FIRST_OPEN_STAGE = "Prospecting";
    static final String CLOSED_WON = "Closed Won";
    static final String CLOSED_LOST = "Closed Lost";

    /** Salt for the lifecycle draws, so adding them left every accept/reject verdict unchanged. */
    private static final long LIFECYCLE_SALT = 0x6C69666563796C65L;

    sealed interface Event permits Decision, Conversion, Closing {
        Instant due();

        long sequence();
    }

    record Decision(Instant due, long sequence, String leadId, boolean rejected, String reason, String comment,
                    String repId, Random lifecycle) implements Event {
    }

    record Conversion(Instant due, long sequence, String leadId, String repId, Random lifecycle) implements Event {
    }

    record Closing(Instant due, long sequence, String opportunityId, boolean won, double amount, String repId)
            implements Event {
    }

    private static final Comparator<Event> ORDER = Comparator.comparing(Event::due)
            .thenComparingLong(Event::sequence);

    private final SalesforceEmulator.Settings settings;
    private final PriorityQueue<Event> pending = new PriorityQueue<>(ORDER);
    private final PriorityQueue<Event> pipeline = new PriorityQueue<>(ORDER);
    private long sequence;
    /** Extra decision delay per rep id: slow reps let leads pass their SLA. */
    private final Map<String, Duration> slowReps = new java.util.HashMap<>();

    SalesReps(SalesforceEmulator.Settings settings) {
        this.settings = settings;
    }

    void slowDown(String repId, Duration extra) {
        slowReps.put(repId, extra);
    }

    void schedule(Map<String, Object> lead, Instant createdAt) {
        Object ext = lead.get("Handoff_External_Id__c");
        String key = ext != null ? ext.toString() : (String) lead.get("Id");
        Random random = new Random(mix(settings.seed(), key));
        long spanMillis = Math.max(0, settings.repDelayMax().toMillis() - settings.repDelayMin().toMillis());
        Duration delay = settings.repDelayMin().plusMillis((long) (random.nextDouble() * spanMillis));
        String repId = REP_USER_IDS.get(random.nextInt(REP_USER_IDS.size()));
        // after every random draw, so a slow rep changes when a lead is decided, never how
        delay = delay.plus(slowReps.getOrDefault(repId, Duration.ZERO));
        Object grade = lead.get("Handoff_Grade__c");
        boolean rejected = random.nextDouble() < rejectProbability(grade == null ? "" : grade.toString());
        String reason = null;
        String comment = null;
        if (rejected) {
            reason = reason(random, grade == null ? "" : grade.toString());
            if (reason != null && ("OTHER".equals(reason) || random.nextDouble() < 0.3)) {
                List<String> options = COMMENTS.getOrDefault(reason, COMMENTS.get("OTHER"));
                comment = options.get(random.nextInt(options.size()));
            }
        }
        pending.add(new Decision(createdAt.plus(delay), sequence++, (String) lead.get("Id"), rejected, reason, comment,
                repId, new Random(mix(settings.seed() ^ LIFECYCLE_SALT, key))));
    }

    /** Applies every verdict, conversion and closing due at or before {@code now}, oldest first. */
    void applyDue(Instant now, OrgStore store) {
        while (true) {
            Event head = earliest();
            if (head == null || head.due().isAfter(now)) {
                return;
            }
            (head == pending.peek() ? pending : pipeline).poll();
            if (head instanceof Decision d) {
                decide(d, store);
            } else if (head instanceof Conversion c) {
                convert(c, store);
            } else if (head instanceof Closing c) {
                store.close(c.opportunityId(), c.won(), c.won() ? CLOSED_WON : CLOSED_LOST, c.won() ? c.amount() : null,
                        c.repId(), c.due());
            }
        }
    }

    private Event earliest() {
        Event a = pending.peek();
        Event b = pipeline.peek();
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return ORDER.compare(a, b) <= 0 ? a : b;
    }

    private void decide(Decision d, OrgStore store) {
        store.byId(SObjectSchema.LEAD, d.leadId()).filter(lead -> !OrgStore.isDeleted(lead))
                .filter(lead -> !Boolean.TRUE.equals(lead.get("IsConverted"))).ifPresent(lead -> {
                    lead.put("Status", d.rejected() ? settings.rejectedStatus() : settings.acceptedStatus());
                    if (d.rejected()) {
                        lead.put("Reject_Reason__c", d.reason());
                        lead.put("Reject_Comment__c", d.comment());
                    }
                    lead.put("OwnerId", d.repId());
                    lead.put("LastModifiedById", d.repId());
                    lead.put("LastModifiedDate", d.due());
                    lead.put("SystemModstamp", d.due());
                    SalesforceEmulator.Pipeline p = settings.pipeline();
                    Random r = d.lifecycle();
                    if (!d.rejected() && r.nextDouble() < p.conversionRate()) {
                        pipeline.add(new Conversion(d.due().plus(between(r, p.convertDelayMin(), p.convertDelayMax())),
                                sequence++, d.leadId(), d.repId(), r));
                    }
                });
    }

    private void convert(Conversion c, OrgStore store) {
        store.byId(SObjectSchema.LEAD, c.leadId()).filter(lead -> !OrgStore.isDeleted(lead))
                .filter(lead -> !Boolean.TRUE.equals(lead.get("IsConverted"))).ifPresent(lead -> {
                    SalesforceEmulator.Pipeline p = settings.pipeline();
                    Random r = c.lifecycle();
                    OrgStore.Conversion done = store.convert(lead, p.convertedStatus(), FIRST_OPEN_STAGE,
                            endOfQuarter(LocalDate.ofInstant(c.due(), ZoneOffset.UTC)), c.repId(), c.due());
                    boolean won = r.nextDouble() < p.winRate();
                    // Deal sizes in whole hundreds, as reps enter them.
                    double amount = 100.0 * (50 + r.nextInt(1_451));
                    pipeline.add(new Closing(c.due().plus(between(r, p.closeDelayMin(), p.closeDelayMax())), sequence++,
                            done.opportunityId(), won, amount, c.repId()));
                });
    }

    /** The conversion dialog proposes the last day of the current quarter as the close date. */
    private static LocalDate endOfQuarter(LocalDate day) {
        int lastMonth = ((day.getMonthValue() - 1) / 3) * 3 + 3;
        return LocalDate.of(day.getYear(), lastMonth, 1).plusMonths(1).minusDays(1);
    }

    private static Duration between(Random r, Duration min, Duration max) {
        long span = Math.max(0, max.toMillis() - min.toMillis());
        return min.plusMillis((long) (r.nextDouble() * span));
    }

    /** When the next accept/reject verdict lands. */
    Optional<Instant> nextDue() {
        return Optional.ofNullable(pending.peek()).map(Event::due);
    }

    /** Verdicts not yet given. */
    int size() {
        return pending.size();
    }

    /** When the next conversion or opportunity closing happens. */
    Optional<Instant> nextPipelineDue() {
        return Optional.ofNullable(pipeline.peek()).map(Event::due);
    }

    /** Conversions and closings still to happen. */
    int pipelineSize() {
        return pipeline.size();
    }

    private static double rejectProbability(String grade) {
        if (grade.isEmpty()) {
            return 0.5;
        }
        return switch (Character.toUpperCase(grade.charAt(0))) {
            case 'A' -> 0.10;
            case 'B' -> 0.25;
            case 'C' -> 0.50;
            case 'D' -> 0.70;
            default -> 0.5;
        };
    }

    /** Poor-fit grades are mostly turned down as poor fit; otherwise any reason but DUPLICATE. */
    private String reason(Random random, String grade) {
        List<String> poorFit = settings.poorFitReasons().stream().filter(settings.rejectReasons()::contains).toList();
        List<String> others = new ArrayList<>(settings.rejectReasons());
        others.remove("DUPLICATE");
        boolean poorGrade = !grade.isEmpty() && "CD".indexOf(Character.toUpperCase(grade.charAt(0))) >= 0;
        if (poorGrade && !poorFit.isEmpty() && random.nextDouble() < 0.8) {
            return poorFit.get(random.nextInt(poorFit.size()));
        }
        if (poorGrade) {
            List<String> nonPoorFit = others.stream().filter(r -> !poorFit.contains(r)).toList();
            if (!nonPoorFit.isEmpty()) {
                return nonPoorFit.get(random.nextInt(nonPoorFit.size()));
            }
        }
        if (others.isEmpty()) {
            return settings.rejectReasons().isEmpty() ? null : settings.rejectReasons().get(0);
        }
        return others.get(random.nextInt(others.size()));
    }

    /** FNV-1a of the key mixed with the seed: stable across JVMs, unlike identity-based hashes. */
    private static long mix(long seed, String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        long z = h ^ (seed * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
