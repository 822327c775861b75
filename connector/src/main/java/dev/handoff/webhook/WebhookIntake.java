package dev.handoff.webhook;

import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of webhook intake, in the order the route calls them: size, signature, payload, ledger.
 * Each step either hands its result to the next or throws {@link WebhookRejection} with the status
 * to answer. The lead is committed to the ledger before {@link #record} returns, so the 202 the
 * caller sees means it is durable.
 */
public final class WebhookIntake {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    /** One HTTP request as received. Header names are matched case-insensitively; toString shows neither body nor headers. */
    public record Request(String source, String method, String uri, Map<String, String> headers, byte[] body) {
        public Request {
            Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            h.putAll(headers);
            headers = java.util.Collections.unmodifiableMap(h);
            body = body == null ? new byte[0] : body;
        }

        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return "Request[" + method + " " + source + ", " + body.length + " bytes]";
        }
    }

    /** What a verified, well-formed delivery carries. */
    public sealed interface Delivery permits PushedLeadDelivery, TouchedLeadsDelivery {
        String source();
    }

    /** A whole lead (generic source). */
    public record PushedLeadDelivery(String source, WebhookLeadParser.PushedLead lead) implements Delivery {
    }

    /** Ids of leads that changed (HubSpot); their fields are read from the MAP at qualification. */
    public record TouchedLeadsDelivery(String source, List<String> mapIds) implements Delivery {
    }

    private final WebhookConfig config;
    private final Ledger ledger;
    private final WebhookVerifier verifier;
    private final WebhookLeadParser parser = new WebhookLeadParser();
    private final Runnable onRecorded;

    public WebhookIntake(WebhookConfig config, Ledger ledger, Clock clock) {
        this(config, ledger, clock, () -> { });
    }

    /**
     * @param onRecorded told after each delivery is committed (the application asks for a handoff
     *                   cycle within {@link WebhookConfig#batchWindow()})
     */
    public WebhookIntake(WebhookConfig config, Ledger ledger, Clock clock, Runnable onRecorded) {
        this.config = config;
        this.ledger = ledger;
        this.verifier = new WebhookVerifier(clock, config.tolerance());
        this.onRecorded = onRecorded;
    }

    /** Refuses unknown sources (404) and bodies over {@code handoff.webhook.max-body-bytes} (413). */
    public Request checkSize(Request request) {
        String source = request.source() == null ? "" : request.source().toLowerCase(Locale.ROOT);
        if (!config.sources().contains(source)) {
            throw new WebhookRejection("unknown", 404, "UNKNOWN_SOURCE", "no webhook source is configured under this path",
                    List.of());
        }
        if (request.body().length > config.maxBodyBytes()) {
            throw new WebhookRejection(source, 413, "TOO_LARGE", "body is " + request.body().length
                    + " bytes; the limit is " + config.maxBodyBytes(), List.of());
        }
        return new Request(source, request.method(), request.uri(), request.headers(), request.body());
    }

    /** Refuses a missing, wrong or stale signature (401). */
    public Request verify(Request request) {
        var secret = config.secret(request.source()).orElseThrow();
        Optional<String> problem = WebhookConfig.HUBSPOT.equals(request.source())
                ? verifier.verifyHubSpot(secret, request.method(), signedUri(request), request.body(),
                        request.header(WebhookVerifier.HUBSPOT_SIGNATURE_HEADER),
                        request.header(WebhookVerifier.HUBSPOT_TIMESTAMP_HEADER))
                : verifier.verifyGeneric(secret, request.header(WebhookVerifier.SIGNATURE_HEADER),
                        request.header(WebhookVerifier.TIMESTAMP_HEADER), request.body());
        if (problem.isPresent()) {
            throw new WebhookRejection(request.source(), 401, "UNAUTHENTICATED", problem.get(), List.of());
        }
        return request;
    }

    /** Refuses malformed payloads with field-level errors (400). */
    public Delivery parse(Request request) {
        try {
            if (WebhookConfig.HUBSPOT.equals(request.source())) {
                return new TouchedLeadsDelivery(request.source(), parser.parseHubSpotEvents(request.body()));
            }
            return new PushedLeadDelivery(request.source(), parser.parseLead(request.body()));
        } catch (WebhookLeadParser.MalformedPayloadException e) {
            throw new WebhookRejection(request.source(), 400, "MALFORMED", "the payload has " + e.errors().size()
                    + " error(s)", e.errors());
        }
    }

    /** Commits the delivery to the ledger; returns the 202 body, {@code {"accepted":"<id>"}} (HubSpot: a list of ids). */
    public String record(Delivery delivery) {
        if (delivery instanceof PushedLeadDelivery pushed) {
            WebhookLeadParser.PushedLead lead = pushed.lead();
            ledger.recordPushedLead(lead.id(), lead.fields(), lead.activities());
            onRecorded.run();
            LOG.info("webhook {}: lead {} ({}) recorded with {} activities", pushed.source(), lead.id(),
                    LedgerLead.maskEmail(lead.fields().get("email")), lead.activities().size());
            return "{\"accepted\":" + WebhookRejection.quote(lead.id()) + "}";
        }
        TouchedLeadsDelivery touched = (TouchedLeadsDelivery) delivery;
        if (!touched.mapIds().isEmpty()) {
            ledger.recordTouchedLeads(touched.mapIds());
            onRecorded.run();
        }
        LOG.info("webhook {}: {} changed contacts recorded", touched.source(), touched.mapIds().size());
        StringBuilder out = new StringBuilder("{\"accepted\":[");
        for (int i = 0; i < touched.mapIds().size(); i++) {
            out.append(i == 0 ? "" : ",").append(WebhookRejection.quote(touched.mapIds().get(i)));
        }
        return out.append("]}").toString();
    }

    /** HubSpot signs the URL it called: behind a proxy that is the public URL, not the one we see. */
    private String signedUri(Request request) {
        if (config.publicUrl().isEmpty()) {
            return request.uri();
        }
        URI seen = URI.create(request.uri());
        URI base = config.publicUrl().get();
        return base.getScheme() + "://" + base.getRawAuthority() + (base.getRawPath() == null ? "" : base.getRawPath())
                + seen.getRawPath() + (seen.getRawQuery() == null ? "" : "?" + seen.getRawQuery());
    }
}
