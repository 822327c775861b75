package dev.handoff.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.error.ConnectorException;
import dev.handoff.map.LeadValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names of Marketo programs, so a lead's acquisition program reads as a campaign both teams
 * recognise. The programs are listed with the Asset API (200 per call) the first time an unknown
 * program id is seen, and again at most once per {@link #RELIST_AFTER} while ids stay unknown (a
 * program created since, or one outside the API user's workspaces). Each program's label is made
 * once, at listing, and kept only if the {@link LeadValidator} accepts it as a campaign; a failed
 * listing is logged and leaves the ids as they are: a lead read never fails for a name.
 */
public final class ProgramNames {

    /** The Marketo field that holds a lead's acquisition program id. */
    static final String ACQUISITION_PROGRAM = "acquisitionProgramId";
    static final Duration RELIST_AFTER = Duration.ofHours(1);
    static final int PAGE = 200;
    /** 10,000 programs at the most per listing: a bound on the calls one listing can cost. */
    static final int MAX_PAGES = 50;
    /** The campaign field's limit (the lead validator's, Salesforce's text length). */
    static final int MAX_LABEL = LeadValidator.maxLength("campaign");
    private static final LeadValidator VALIDATOR = new LeadValidator();

    private static final Logger LOG = LoggerFactory.getLogger(ProgramNames.class);

    private final MarketoClient client;
    private final Clock clock;
    /** Program id → its finished label, "name (id)". */
    private final Map<String, String> labels = new ConcurrentHashMap<>();
    private Instant listedAt;

    ProgramNames(MarketoClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * What a lead's campaign value becomes when read from Marketo (by the sidecar or the
     * backfill): "program name (id)" when the campaign field is the acquisition program and
     * {@code handoff.marketo.campaign-names} is on, otherwise the value as it is.
     */
    public static UnaryOperator<String> campaignLabels(MarketoClient client, MarketoConfig config, Clock clock) {
        if (!config.campaignNames() || !ACQUISITION_PROGRAM.equals(config.fieldMap().get("campaign"))) {
            return UnaryOperator.identity();
        }
        return new ProgramNames(client, clock)::label;
    }

    /**
     * {@code "name (id)"} for a program id whose name is known, at most {@link #MAX_LABEL}
     * characters, otherwise the value as it is.
     */
    String label(String programId) {
        if (programId == null || programId.isEmpty() || !programId.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return programId;
        }
        String label = labels.get(programId);
        if (label == null) {
            label = lookUp(programId);
        }
        return label == null ? programId : label;
    }

    /**
     * The label of a listed program, shortened to the campaign field's length; none when the
     * validator would refuse it as a campaign (a control character, a formula trigger), since it
     * would take the lead to quarantine.
     */
    static java.util.Optional<String> labelOf(String programId, String name) {
        String suffix = " (" + programId + ")";
        int room = MAX_LABEL - suffix.length();
        String label = (name.length() > room ? name.substring(0, room - 1) + "\u2026" : name) + suffix;
        return VALIDATOR.checkField("campaign", label).isPresent() ? java.util.Optional.empty() : java.util.Optional.of(label);
    }

    private synchronized String lookUp(String programId) {
        String known = labels.get(programId);
        if (known != null) {
            return known;
        }
        Instant now = clock.instant();
        if (listedAt != null && now.isBefore(listedAt.plus(RELIST_AFTER))) {
            return null;
        }
        listedAt = now;
        try {
            int listed = 0;
            for (int page = 0; page < MAX_PAGES; page++) {
                List<JsonNode> programs = client.programs(page * PAGE, PAGE);
                for (JsonNode p : programs) {
                    String id = p.path("id").asText("");
                    String name = p.path("name").asText("").strip();
                    if (!id.isEmpty() && !name.isEmpty()) {
                        labelOf(id, name).ifPresent(l -> labels.put(id, l));
                        listed++;
                    }
                }
                if (programs.size() < PAGE) {
                    break;
                }
            }
            LOG.info("campaigns: listed {} Marketo programs to name acquisition programs", listed);
        } catch (ConnectorException e) {
            LOG.warn("campaigns: could not list Marketo programs ({}); campaigns stay program ids until the next try in {}",
                    e.getMessage(), RELIST_AFTER);
        }
        return labels.get(programId);
    }
}
