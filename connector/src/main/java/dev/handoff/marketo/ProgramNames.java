package dev.handoff.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.error.ConnectorException;
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
 * program created since, or one outside the API user's workspaces). A failed listing is logged and
 * leaves the ids as they are: a lead read never fails for a name.
 */
public final class ProgramNames {

    /** The Marketo field that holds a lead's acquisition program id. */
    static final String ACQUISITION_PROGRAM = "acquisitionProgramId";
    static final Duration RELIST_AFTER = Duration.ofHours(1);
    static final int PAGE = 200;
    /** 10,000 programs at the most per listing: a bound on the calls one listing can cost. */
    static final int MAX_PAGES = 50;
    /** The campaign field's limit (the lead validator's, Salesforce's text length). */
    static final int MAX_LABEL = 255;

    private static final Logger LOG = LoggerFactory.getLogger(ProgramNames.class);

    private final MarketoClient client;
    private final Clock clock;
    private final Map<String, String> names = new ConcurrentHashMap<>();
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
        String name = names.get(programId);
        if (name == null) {
            name = lookUp(programId);
        }
        if (name == null) {
            return programId;
        }
        String suffix = " (" + programId + ")";
        int room = MAX_LABEL - suffix.length();
        return (name.length() > room ? name.substring(0, room - 1) + "\u2026" : name) + suffix;
    }

    /**
     * A name the ledger and the report can carry as it is: no control characters, and no first
     * character a spreadsheet would run as a formula (the lead validator would quarantine the lead).
     */
    static boolean usable(String name) {
        if (name.isEmpty() || "=+-@".indexOf(name.charAt(0)) >= 0) {
            return false;
        }
        return name.chars().noneMatch(c -> c < 0x20 || c == 0x7F || c == 0xFFFE || c == 0xFFFF);
    }

    private synchronized String lookUp(String programId) {
        String name = names.get(programId);
        if (name != null) {
            return name;
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
                    String n = p.path("name").asText("").strip();
                    if (!id.isEmpty() && usable(n)) {
                        names.put(id, n);
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
        return names.get(programId);
    }
}
