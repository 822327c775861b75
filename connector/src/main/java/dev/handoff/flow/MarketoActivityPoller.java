package dev.handoff.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.engine.Activity;
import dev.handoff.ledger.Ledger;
import dev.handoff.marketo.MarketoClient;
import dev.handoff.marketo.MarketoConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake, step one: follows Marketo's activity feed with a paging token. Each page's activities
 * and the leads they touch are recorded together with the token that resumes after the page, so
 * a crash replays at most one page and the replay changes nothing.
 *
 * <p>The feed is a chain (each page names the next), so the next page is requested as soon as a
 * page has arrived, while that page is still being recorded: one page ahead, never more. Pages are
 * still recorded strictly in order, and a failed request surfaces only after every page before it
 * is recorded.
 */
public final class MarketoActivityPoller implements dev.handoff.map.MapIntake {

    public static final String WATERMARK = "marketo.activities";
    private static final Logger LOG = LoggerFactory.getLogger(MarketoActivityPoller.class);
    private static final int MAX_PAGES_PER_POLL = 10_000;

    private final MarketoClient client;
    private final MarketoConfig config;
    private final Ledger ledger;
    /** One thread at most, only while a poll runs: it fetches the page after the one being recorded. */
    private final ExecutorService prefetch = Prefetch.executor("handoff-intake-prefetch", 1);

    public MarketoActivityPoller(MarketoClient client, MarketoConfig config, Ledger ledger) {
        this.client = client;
        this.config = config;
        this.ledger = ledger;
    }

    /** @return the number of activities recorded */
    @Override
    public int poll() {
        Optional<String> stored = ledger.watermark(WATERMARK);
        String token = stored.isPresent() ? stored.get() : client.pagingToken(config.intakeSince());
        int recorded = 0;
        Future<MarketoClient.ActivityPage> next = fetch(token);
        try {
            for (int pages = 0; pages < MAX_PAGES_PER_POLL; pages++) {
                MarketoClient.ActivityPage page = Prefetch.await(next);
                next = page.moreResult() && pages + 1 < MAX_PAGES_PER_POLL ? fetch(page.nextPageToken()) : null;
                List<Activity> activities = new ArrayList<>();
                Set<String> touched = new LinkedHashSet<>();
                for (JsonNode a : page.activities()) {
                    toActivity(a, touched).ifPresent(activities::add);
                }
                ledger.recordActivityPage(activities, touched, WATERMARK, page.nextPageToken());
                recorded += activities.size();
                if (next == null) {
                    break;
                }
            }
        } finally {
            if (next != null) {
                // the poll ended early (an error, the page cap): the page fetched ahead is read again next time
                next.cancel(true);
            }
        }
        if (recorded > 0) {
            LOG.info("intake: recorded {} Marketo activities", recorded);
        }
        return recorded;
    }

    private Future<MarketoClient.ActivityPage> fetch(String token) {
        return prefetch.submit(() -> client.activities(token, config.activityTypeIds()));
    }

    /** Maps one feed item; the lead it names is re-read even when the item itself is unusable. */
    private Optional<Activity> toActivity(JsonNode a, Set<String> touched) {
        String leadId = a.path("leadId").asText("");
        String id = a.hasNonNull("marketoGUID") ? a.get("marketoGUID").asText() : a.path("id").asText("");
        int type = a.path("activityTypeId").asInt(-1);
        Optional<String> definitionType = config.definitionType(type, a.path("primaryAttributeValue").asText(null));
        if (definitionType.isEmpty()) {
            return Optional.empty();
        }
        if (leadId.isEmpty()) {
            LOG.warn("intake: skipped a Marketo activity of type {} that names no lead", type);
            return Optional.empty();
        }
        touched.add(leadId);
        if (id.isEmpty()) {
            LOG.warn("intake: Marketo activity of type {} on lead {} has no id; lead re-read, activity not scored", type, leadId);
            return Optional.empty();
        }
        try {
            Instant at = OffsetDateTime.parse(a.path("activityDate").asText("")).toInstant();
            return Optional.of(new Activity("mkto-" + id, leadId, definitionType.get(), at));
        } catch (DateTimeParseException e) {
            LOG.warn("intake: skipped Marketo activity {} with unreadable activityDate", id);
            return Optional.empty();
        }
    }
}
