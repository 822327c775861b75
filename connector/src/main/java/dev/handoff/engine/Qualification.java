package dev.handoff.engine;

import java.util.List;
import java.util.Optional;

/**
 * The result of qualifying one lead with one definition version.
 *
 * @param fitScore        sum of the points of the fit criteria that matched
 * @param engagementScore sum over activity types of their decayed points, each rounded half-up
 * @param grade           fit letter + engagement digit, e.g. {@code B2}
 * @param mql             whether the lead goes to sales
 * @param disqualification the first disqualifier that matched, if any
 * @param missingFields   required fields that are blank, in definition order
 * @param definitionLabel e.g. {@code acme-mql@v3}
 * @param explanation     why, line by line and as text for the CRM
 */
public record Qualification(int fitScore, int engagementScore, String grade, boolean mql,
        Optional<Disqualification> disqualification, List<String> missingFields, String definitionLabel,
        Explanation explanation) {
}
