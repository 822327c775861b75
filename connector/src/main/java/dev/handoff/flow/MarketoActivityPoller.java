package dev.handoff.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.engine.Activity;
import dev.handoff.ledger.Ledger;
import dev.handoff.marketo.MarketoClient;
import dev.handoff.marketo.MarketoConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake, step one: follows Marketo's activity feed with a paging token. Each page's activities
 * and the leads they touch are recorded together with a token that resumes after everything
 * recorded so far, so a crash replays what came after that token and the replay changes nothing
 * (activities are recorded once by id).
 *
 * <p>The feed is a chain (each page names the next), so the next page is requested as soon as a
 * page has arrived, while that page is still being recorded: one page ahead per chain.
 *
 * <p><b>A large backlog is read as several chains.</b> A chain's pages cannot go faster than one
 * call after the other, and at Marketo's latency that pace, not the rate limit, would decide how
 * long a backlog takes. So when the first page shows that the rest of the backlog is many pages
 * long ({@link #MIN_PAGES_PER_CHAIN} per chain or more, estimated from the time the first page
 * covers), the time from that page to now is cut into up to {@code handoff.marketo.feed-chains}
 * equal parts, and each later part gets its own chain from a paging token at its start. A chain
 * stops after the first page that reaches past the start of the next part; that page's later
 * activities are recorded twice, which changes nothing. Each extra chain costs one paging-token
 * call and at most one page read twice. The stored token only ever moves to a point before which
 * every activity is recorded: the first unfinished chain's position (a later chain's pages are
 * recorded at once, but the token reaches them only when every chain before is done). This relies
 * on the feed being in activity-date order, which Marketo's date-based paging token gives.
 */
public final class MarketoActivityPoller implements dev.handoff.map.MapIntake {

    public static final String WATERMARK = "marketo.activities";
    private static final Logger LOG = LoggerFactory.getLogger(MarketoActivityPoller.class);
    private static final int MAX_PAGES_PER_POLL = 10_000;
    /** A backlog is split only where every chain would still read at least this many pages. */
    static final int MIN_PAGES_PER_CHAIN = 8;

    private final MarketoClient client;
    private final MarketoConfig config;
    private final Ledger ledger;
    private final Clock clock;
    /** One thread per chain at most, only while a poll runs: each fetches its chain's next page. */
    private final ExecutorService fetches;

    public MarketoActivityPoller(MarketoClient client, MarketoConfig config, Ledger ledger, Clock clock) {
        this.client = client;
        this.config = config;
        this.ledger = ledger;
        this.clock = clock;
        this.fetches = Prefetch.executor("handoff-intake-feed", config.feedChains());
    }

    /** @return the number of activities recorded */
    @Override
    public int poll() {
        Optional<String> stored = ledger.watermark(WATERMARK);
        String token = stored.isPresent() ? stored.get() : client.pagingToken(config.intakeSince());
        int recorded = new Poll(token).run();
        if (recorded > 0) {
            LOG.info("intake: recorded {} Marketo activities", recorded);
        }
        return recorded;
    }

    /** One part of the feed: from its start to the page that reaches past {@code until} (null: to the end). */
    private static final class Chain {
        final Instant from;
        Instant until;
        /** The token after this chain's last recorded page; null until its first page is recorded. */
        String position;
        boolean done;
        Future<Fetched> inFlight;

        Chain(Instant from, String position) {
            this.from = from;
            this.position = position;
        }
    }

    private record Fetched(Chain chain, MarketoClient.ActivityPage page) {
    }

    /** The state of one poll: its chains, in feed order, and which of them the stored token is in. */
    private final class Poll {
        private final List<Chain> chains = new ArrayList<>();
        private final CompletionService<Fetched> arrivals = new ExecutorCompletionService<>(fetches);
        private int frontier;
        private int pages;
        private int inFlight;
        private boolean splitDecided = config.feedChains() == 1;

        Poll(String token) {
            chains.add(new Chain(null, token));
        }

        int run() {
            int recorded = 0;
            Chain first = chains.get(0);
            fetch(first, first.position);
            try {
                while (inFlight > 0) {
                    Fetched arrived;
                    try {
                        arrived = Prefetch.await(arrivals.take());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while reading the Marketo activity feed", e);
                    }
                    inFlight--;
                    arrived.chain.inFlight = null;
                    recorded += record(arrived.chain, arrived.page);
                }
            } finally {
                // an error or the page cap ended the poll early: pages in flight are read again next time
                chains.stream().filter(c -> c.inFlight != null).forEach(c -> c.inFlight.cancel(true));
            }
            if (chains.size() > 1) {
                LOG.info("intake: read the Marketo activity backlog as {} chains, {} pages", chains.size(), pages);
            }
            return recorded;
        }

        private int record(Chain chain, MarketoClient.ActivityPage page) {
            pages++;
            List<Activity> activities = new ArrayList<>();
            Set<String> touched = new LinkedHashSet<>();
            Instant earliest = null;
            Instant latest = null;
            for (JsonNode a : page.activities()) {
                toActivity(a, touched).ifPresent(activities::add);
                Optional<Instant> at = date(a);
                if (at.isPresent()) {
                    earliest = earliest == null || at.get().isBefore(earliest) ? at.get() : earliest;
                    latest = latest == null || at.get().isAfter(latest) ? at.get() : latest;
                }
            }
            if (!splitDecided && chain == chains.get(0) && latest != null) {
                splitDecided = true;
                if (page.moreResult()) {
                    split(earliest, latest);
                }
            }
            boolean reachedEnd = !page.moreResult()
                    || (chain.until != null && latest != null && latest.isAfter(chain.until));
            if (!reachedEnd) {
                if (pages + inFlight < MAX_PAGES_PER_POLL) {
                    fetch(chain, page.nextPageToken());
                }
            }
            chain.position = page.nextPageToken();
            chain.done = reachedEnd;
            while (frontier + 1 < chains.size() && chains.get(frontier).done && chains.get(frontier + 1).position != null) {
                frontier++;
            }
            ledger.recordActivityPage(activities, touched, WATERMARK, chains.get(frontier).position);
            return activities.size();
        }

        /**
         * Cuts the rest of the backlog, from {@code latest} (where the first page ended) to now,
         * into equal parts, when the first page's span says it is long enough for more chains.
         */
        private void split(Instant earliest, Instant latest) {
            Duration rest = Duration.between(latest, clock.instant());
            Duration span = Duration.between(earliest, latest);
            if (rest.isNegative() || rest.isZero()) {
                return;
            }
            long estimatedPages = span.isZero() ? Long.MAX_VALUE : rest.toMillis() / Math.max(1, span.toMillis());
            int parts = (int) Math.min(config.feedChains(), estimatedPages / MIN_PAGES_PER_CHAIN);
            Chain previous = chains.get(0);
            for (int i = 1; i < parts; i++) {
                Instant from = latest.plus(rest.multipliedBy(i).dividedBy(parts)).truncatedTo(ChronoUnit.SECONDS);
                if (!from.isAfter(previous.from == null ? latest : previous.from)) {
                    continue;
                }
                Chain next = new Chain(from, null);
                previous.until = from;
                chains.add(next);
                fetch(next, null);
                previous = next;
            }
        }

        /** Asks for a chain's next page; a new chain's first task asks for its paging token first. */
        private void fetch(Chain chain, String token) {
            inFlight++;
            chain.inFlight = arrivals.submit(() -> new Fetched(chain,
                    client.activities(token != null ? token : client.pagingToken(chain.from), config.activityTypeIds())));
        }
    }

    private static Optional<Instant> date(JsonNode a) {
        try {
            return Optional.of(OffsetDateTime.parse(a.path("activityDate").asText("")).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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
        Optional<Instant> at = date(a);
        if (at.isEmpty()) {
            LOG.warn("intake: skipped Marketo activity {} with unreadable activityDate", id);
            return Optional.empty();
        }
        return Optional.of(new Activity("mkto-" + id, leadId, definitionType.get(), at.get()));
    }
}
