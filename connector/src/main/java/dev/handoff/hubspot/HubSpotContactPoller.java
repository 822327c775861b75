package dev.handoff.hubspot;

import dev.handoff.engine.Activity;
import dev.handoff.ledger.Ledger;
import dev.handoff.map.MapIntake;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake from HubSpot: finds contacts changed since the watermark with the search API, sorted by
 * ({@code lastmodifieddate}, {@code hs_object_id}), and records per page the engagement the
 * contacts' date properties show, the contacts themselves, and the watermark
 * {@code <epochMillis>:<lastId>} of the page's last contact, in one ledger transaction. A crash
 * replays at most one page, and the replay changes nothing (activity ids are derived from the data).
 *
 * <p>Every page is a new query that starts after the last contact seen (keyset paging) rather than
 * an {@code after} offset into one query. The offset is over a live result: a contact modified while
 * we walk moves to the end, everything behind it shifts one place forward, and the contact that
 * slides across the page boundary would never be read. Keyset paging costs the same calls, and a
 * query never comes near the 10,000 results HubSpot lets one query page through.
 *
 * <p>Contacts modified within {@code index-lag} of now are left for the next poll: the search
 * index trails writes, and a contact indexed after the watermark passed its timestamp would be lost.
 *
 * <p>Echoes: every feedback write bumps {@code lastmodifieddate}, so each contact we wrote comes
 * back here once. Re-reading it is harmless: the ledger only re-opens NEW/NOT_QUALIFIED leads for
 * scoring, and a contact with feedback is past that (handed off, accepted, rejected); its derived
 * activities have the ids already recorded, so nothing is added. HubSpot's search cannot say which
 * property changed, so the echo costs one search-result slot per feedback write (a hundredth of a
 * call) and never a write, which is what keeps it from becoming a loop.
 */
public final class HubSpotContactPoller implements MapIntake {

    public static final String WATERMARK = "hubspot.contacts";
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotContactPoller.class);
    private static final int MAX_PAGES_PER_POLL = 10_000;
    private static final List<String> SORTS = List.of("lastmodifieddate", "hs_object_id");

    private final HubSpotClient client;
    private final HubSpotConfig config;
    private final Ledger ledger;
    private final Clock clock;

    /** Where the next query starts: after ({@code millis}, {@code lastId}), or at {@code millis} when no id yet. */
    record Cursor(long millis, String lastId) {
        static Cursor parse(String watermark) {
            int colon = watermark.indexOf(':');
            try {
                if (colon > 0 && colon < watermark.length() - 1) {
                    return new Cursor(Long.parseLong(watermark.substring(0, colon)), watermark.substring(colon + 1));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalStateException("HubSpot intake watermark '" + watermark + "' is not <epochMillis>:<contactId>");
        }

        String format() {
            return millis + ":" + lastId;
        }
    }

    public HubSpotContactPoller(HubSpotClient client, HubSpotConfig config, Ledger ledger, Clock clock) {
        this.client = client;
        this.config = config;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** @return the number of contact changes recorded */
    @Override
    public int poll() {
        Optional<String> stored = ledger.watermark(WATERMARK);
        Cursor cursor = stored.map(Cursor::parse).orElseGet(() -> new Cursor(config.intakeSince().toEpochMilli(), null));
        String before = config.indexLag().isZero() ? null : String.valueOf(clock.instant().minus(config.indexLag()).toEpochMilli());
        int touchedTotal = 0;
        int activitiesTotal = 0;
        for (int pages = 0; pages < MAX_PAGES_PER_POLL; pages++) {
            HubSpotClient.SearchPage page = client.searchContacts(new HubSpotClient.SearchRequest(filters(cursor, before), SORTS,
                    config.intakeProperties(), config.searchPageSize(), null));
            Set<String> touched = new LinkedHashSet<>();
            List<Activity> activities = new ArrayList<>();
            Cursor next = cursor;
            for (HubSpotClient.Contact c : page.results()) {
                if (c.id().isEmpty()) {
                    continue;
                }
                touched.add(c.id());
                activities.addAll(activitiesOf(c));
                Optional<Instant> modified = instant(c.properties().get("lastmodifieddate"));
                if (modified.isPresent()) {
                    next = new Cursor(modified.get().toEpochMilli(), c.id());
                } else {
                    LOG.warn("intake: HubSpot contact {} has no readable lastmodifieddate", c.id());
                }
            }
            if (touched.isEmpty()) {
                break;
            }
            activities = withoutRecordedTwice(activities, touched);
            if (next.equals(cursor)) {
                // No contact on the page had a usable timestamp: record them, but the watermark cannot move.
                ledger.recordActivityPage(activities, touched, WATERMARK, stored.orElse(cursor.millis() + ":0"));
                touchedTotal += touched.size();
                activitiesTotal += activities.size();
                break;
            }
            ledger.recordActivityPage(activities, touched, WATERMARK, next.format());
            touchedTotal += touched.size();
            activitiesTotal += activities.size();
            cursor = next;
            stored = Optional.of(next.format());
            if (page.nextAfter() == null) {
                break;
            }
        }
        if (touchedTotal > 0) {
            LOG.info("intake: recorded {} changed HubSpot contacts with {} engagement activities", touchedTotal, activitiesTotal);
        }
        return touchedTotal;
    }

    /**
     * The query for everything after the cursor: contacts modified later, or at the same millisecond
     * with a higher id (two groups, ORed), and before the index-lag cutoff.
     */
    private static List<List<HubSpotClient.Filter>> filters(Cursor cursor, String before) {
        String at = String.valueOf(cursor.millis());
        List<List<HubSpotClient.Filter>> groups = new ArrayList<>();
        if (cursor.lastId() == null) {
            groups.add(group(before, new HubSpotClient.Filter("lastmodifieddate", "GTE", at)));
        } else {
            groups.add(group(before, new HubSpotClient.Filter("lastmodifieddate", "EQ", at),
                    new HubSpotClient.Filter("hs_object_id", "GT", cursor.lastId())));
            groups.add(group(before, new HubSpotClient.Filter("lastmodifieddate", "GT", at)));
        }
        return groups;
    }

    private static List<HubSpotClient.Filter> group(String before, HubSpotClient.Filter... filters) {
        List<HubSpotClient.Filter> group = new ArrayList<>(List.of(filters));
        if (before != null) {
            group.add(new HubSpotClient.Filter("lastmodifieddate", "LT", before));
        }
        return group;
    }

    /**
     * HubSpot keeps engagement as "when did it last/first happen" properties. Each mapped date
     * property with a value is one activity, typed by the first rule that matches, with an id made
     * of the contact, the property and the moment, so reading the same contact again adds nothing.
     * One moment is one event: when two properties hold the same moment (a contact's first
     * conversion is also its most recent), only the first property in map order counts.
     */
    List<Activity> activitiesOf(HubSpotClient.Contact c) {
        List<Activity> out = new ArrayList<>();
        Set<Long> moments = new HashSet<>();
        for (String property : config.dateProperties()) {
            String raw = c.properties().get(property);
            if (raw == null || raw.isBlank()) {
                continue;
            }
            Optional<Instant> at = instant(raw);
            if (at.isEmpty()) {
                LOG.warn("intake: HubSpot contact {} has an unreadable {}; not scored", c.id(), property);
                continue;
            }
            Optional<String> type = config.definitionType(property, c.properties());
            long millis = at.get().toEpochMilli();
            if (type.isEmpty() || !moments.add(millis)) {
                continue;
            }
            out.add(new Activity("hs:" + c.id() + ":" + property + ":" + millis, c.id(), type.get(), at.get()));
        }
        return out;
    }

    /**
     * Drops activities whose moment the ledger already holds for that contact under another
     * property: the first conversion recorded while it was the recent one shows up again later as
     * {@code first_conversion_date}, and must not count twice.
     */
    private List<Activity> withoutRecordedTwice(List<Activity> activities, Set<String> touched) {
        if (activities.isEmpty()) {
            return activities;
        }
        Map<String, List<Activity>> recorded = ledger.activitiesOf(touched);
        List<Activity> out = new ArrayList<>(activities.size());
        for (Activity a : activities) {
            boolean twice = recorded.getOrDefault(a.leadId(), List.of()).stream()
                    .anyMatch(r -> !r.id().equals(a.id()) && r.occurredAt().toEpochMilli() == a.occurredAt().toEpochMilli());
            if (!twice) {
                out.add(a);
            }
        }
        return out;
    }

    /** HubSpot datetimes: ISO-8601 in responses; epoch milliseconds are accepted too. */
    static Optional<Instant> instant(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String v = raw.trim();
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                return Optional.of(Instant.ofEpochMilli(Long.parseLong(v)));
            }
            return Optional.of(java.time.OffsetDateTime.parse(v).toInstant());
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
