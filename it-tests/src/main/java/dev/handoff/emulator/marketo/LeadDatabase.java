package dev.handoff.emulator.marketo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The leads and the append-only activity log of the emulated instance. Every method is
 * synchronized: requests arrive on Jetty's threads while the demo seeds and inspects state, and a
 * lead change and its Change Data Value activity must appear together.
 */
final class LeadDatabase {

    /** One field value that really changed, reported back so callers can count echoes. */
    record Change(LeadField field, Object oldValue, Object newValue) {
    }

    /** One page of the activity log and where the next read starts. */
    record Page(List<Activity> activities, Activity.Position next, boolean moreResult) {
    }

    private final NavigableMap<Integer, Map<String, Object>> leads = new TreeMap<>();
    private final Map<String, Set<Integer>> idsByEmail = new HashMap<>();
    private final NavigableMap<Activity.Position, Activity> log = new TreeMap<>();
    private int nextLeadId = 1001;
    private long nextActivityId = 1;

    synchronized int create(Map<LeadField, Object> values, Instant at, String sourceType) {
        int id = nextLeadId++;
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("id", (long) id);
        values.forEach((f, v) -> {
            if (v != null && !f.readOnly()) {
                lead.put(f.name(), v);
            }
        });
        String stamp = MarketoJson.formatInstant(at);
        lead.put("createdAt", stamp);
        lead.put("updatedAt", stamp);
        leads.put(id, lead);
        indexEmail(id, null, lead.get("email"));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("Source Type", sourceType);
        attrs.put("Created Date", stamp.substring(0, 10));
        append(id, ActivityType.NEW_LEAD, (long) id, fullName(lead), attrs, at);
        return id;
    }

    synchronized List<Change> update(int id, Map<LeadField, Object> values, Instant at, String reason) {
        Map<String, Object> lead = leads.get(id);
        if (lead == null) {
            throw new IllegalArgumentException("no lead " + id);
        }
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<LeadField, Object> e : values.entrySet()) {
            LeadField field = e.getKey();
            if (field.readOnly()) {
                continue;
            }
            Object old = lead.get(field.name());
            Object now = e.getValue();
            if (Objects.equals(comparable(old), comparable(now))) {
                continue;
            }
            if (now == null) {
                lead.remove(field.name());
            } else {
                lead.put(field.name(), now);
            }
            if (field.name().equals("email")) {
                indexEmail(id, old, now);
            }
            changes.add(new Change(field, old, now));
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("New Value", now == null ? null : now.toString());
            attrs.put("Old Value", old == null ? null : old.toString());
            attrs.put("Reason", reason);
            attrs.put("Source", reason);
            attrs.put("Api Method Name", "syncLead");
            append(id, ActivityType.CHANGE_DATA_VALUE, (long) field.id(), field.displayName(), attrs, at);
        }
        if (!changes.isEmpty()) {
            lead.put("updatedAt", MarketoJson.formatInstant(at));
        }
        return changes;
    }

    synchronized void addActivity(int leadId, int typeId, String primaryAttributeValue, Map<String, Object> attributes,
                                  Instant at) {
        if (!leads.containsKey(leadId)) {
            throw new IllegalArgumentException("no lead " + leadId);
        }
        append(leadId, typeId, null, primaryAttributeValue, attributes, at);
    }

    synchronized Optional<Map<String, Object>> lead(int id) {
        return Optional.ofNullable(leads.get(id)).map(LinkedHashMap::new);
    }

    synchronized List<Integer> idsByEmail(String email) {
        if (email == null) {
            return List.of();
        }
        return List.copyOf(idsByEmail.getOrDefault(email.toLowerCase(Locale.ROOT), Set.of()));
    }

    /** Leads whose field equals one of the values, in id order, copied. */
    synchronized List<Map<String, Object>> filter(LeadField field, Collection<String> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (field.name().equals("id")) {
            values.stream().map(LeadDatabase::parseIdOrNull).filter(Objects::nonNull).distinct().sorted()
                    .map(leads::get).filter(Objects::nonNull).forEach(l -> out.add(new LinkedHashMap<>(l)));
            return out;
        }
        if (field.name().equals("email")) {
            values.stream().flatMap(v -> idsByEmail(v).stream()).distinct().sorted()
                    .forEach(id -> out.add(new LinkedHashMap<>(leads.get(id))));
            return out;
        }
        Set<String> wanted = new LinkedHashSet<>(values);
        for (Map<String, Object> lead : leads.values()) {
            Object v = lead.get(field.name());
            if (v != null && wanted.contains(v.toString())) {
                out.add(new LinkedHashMap<>(lead));
            }
        }
        return out;
    }

    synchronized List<Map<String, Object>> allLeads() {
        return leads.values().stream().<Map<String, Object>>map(LinkedHashMap::new).toList();
    }

    synchronized int countWith(String field) {
        int n = 0;
        for (Map<String, Object> lead : leads.values()) {
            if (lead.get(field) != null) {
                n++;
            }
        }
        return n;
    }

    /** Copies of the leads created in [from, to), in id order. */
    synchronized List<Map<String, Object>> createdIn(Instant from, Instant to) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> lead : leads.values()) {
            Instant created = Instant.parse(lead.get("createdAt").toString());
            if (!created.isBefore(from) && created.isBefore(to)) {
                out.add(new LinkedHashMap<>(lead));
            }
        }
        return out;
    }

    /** The log entries dated in [from, to) of the given types (every type when empty), in log order. */
    synchronized List<Activity> activitiesIn(Instant from, Instant to, Set<Integer> types) {
        return log.subMap(new Activity.Position(from, Long.MIN_VALUE), true, new Activity.Position(to, Long.MIN_VALUE), false)
                .values().stream().filter(a -> types.isEmpty() || types.contains(a.activityTypeId())).toList();
    }

    synchronized int leadCount() {
        return leads.size();
    }

    /**
     * Reads the log after {@code after}: up to {@code batchSize} entries that pass the filter. The
     * returned position is that of the last entry returned when the page is full, otherwise of the
     * last entry in the log, so a client that stores it later sees only entries logged since.
     */
    synchronized Page read(Activity.Position after, Predicate<Activity> filter, int batchSize) {
        List<Activity> page = new ArrayList<>();
        Activity.Position next = after;
        for (Activity a : log.tailMap(after, false).values()) {
            if (page.size() == batchSize) {
                break;
            }
            next = a.position();
            if (filter.test(a)) {
                page.add(a);
            }
        }
        boolean more = log.tailMap(next, false).values().stream().anyMatch(filter);
        if (!more && !log.isEmpty() && log.lastKey().compareTo(next) > 0) {
            next = log.lastKey();
        }
        return new Page(page, next, more);
    }

    private void append(int leadId, int typeId, Long primaryId, String primary, Map<String, Object> attrs, Instant at) {
        Activity a = new Activity(nextActivityId++, leadId, at, typeId, primaryId, primary, Map.copyOf(nonNull(attrs)));
        log.put(a.position(), a);
    }

    private static Map<String, Object> nonNull(Map<String, Object> attrs) {
        Map<String, Object> copy = new LinkedHashMap<>();
        attrs.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        return copy;
    }

    private void indexEmail(int id, Object oldEmail, Object newEmail) {
        if (oldEmail != null) {
            Set<Integer> ids = idsByEmail.get(oldEmail.toString().toLowerCase(Locale.ROOT));
            if (ids != null) {
                ids.remove(id);
            }
        }
        if (newEmail != null) {
            idsByEmail.computeIfAbsent(newEmail.toString().toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>()).add(id);
        }
    }

    private static String fullName(Map<String, Object> lead) {
        String name = (Objects.toString(lead.get("firstName"), "") + " " + Objects.toString(lead.get("lastName"), ""))
                .trim();
        return name.isEmpty() ? Objects.toString(lead.get("email"), "") : name;
    }

    private static Object comparable(Object v) {
        // 5000000 and 5000000.00 are the same currency amount; Marketo does not log a change for it.
        if (v instanceof java.math.BigDecimal d) {
            return d.stripTrailingZeros();
        }
        return v;
    }

    private static Integer parseIdOrNull(String s) {
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
