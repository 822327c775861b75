package dev.handoff.flow;

import dev.handoff.definition.Definition;
import dev.handoff.engine.Activity;
import dev.handoff.engine.Lead;
import dev.handoff.engine.Qualification;
import dev.handoff.engine.QualificationEngine;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.Records;
import dev.handoff.map.LeadValidator;
import dev.handoff.map.MapGateway;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake, step two, and qualification: reads the leads the intake touched, as many per call as
 * the MAP allows, checks them, scores them with the shared definition and records the result.
 * Bad leads are quarantined one by one; the rest of the batch goes on.
 */
public final class LeadQualifier {

    private static final Logger LOG = LoggerFactory.getLogger(LeadQualifier.class);
    private static final int EXPLANATION_CHARS = 1000;

    private final MapGateway map;
    private final Ledger ledger;
    private final Definition definition;
    private final QualificationEngine engine;
    /** {@code handoff.definition.shadow}: scores every lead too, recorded beside the live decision, never acted on. */
    private final QualificationEngine shadow;
    private final LeadValidator validator = new LeadValidator();
    private final Clock clock;
    /** {@code handoff.intake.read-ahead}: lead reads in flight while earlier batches are scored. */
    private final int readAhead;
    private final ExecutorService reads;

    public LeadQualifier(MapGateway map, Ledger ledger, Definition definition, Clock clock) {
        this(map, ledger, definition, null, clock, 1);
    }

    /**
     * With a shadow definition (nullable) that scores every lead too, for comparison only, and up
     * to {@code readAhead} MAP reads in flight at once (1: one batch at a time).
     */
    public LeadQualifier(MapGateway map, Ledger ledger, Definition definition, Definition shadowDefinition, Clock clock,
            int readAhead) {
        if (readAhead < 1) {
            throw new IllegalArgumentException("readAhead must be at least 1, got " + readAhead);
        }
        this.map = map;
        this.ledger = ledger;
        this.definition = definition;
        this.engine = new QualificationEngine(definition);
        this.shadow = shadowDefinition == null ? null : new QualificationEngine(shadowDefinition);
        this.clock = clock;
        this.readAhead = readAhead;
        this.reads = Prefetch.executor("handoff-lead-read", readAhead);
    }

    /**
     * Reads the touched leads a MAP batch at a time, up to {@code readAhead} batches in flight,
     * and scores and records each batch in key order as its answer arrives.
     *
     * @return the number of leads scored (quarantined ones not included)
     */
    public int qualifyNewLeads() {
        return qualifyNewLeads(() -> {
        });
    }

    /** The same, telling {@code afterBatch} each time a batch's results are in the ledger. */
    public int qualifyNewLeads(Runnable afterBatch) {
        return BatchDrain.drainAhead(map.readBatchSize(), readAhead, ledger::leadsToFetch, id -> id, reads, map::readLeads,
                (ids, found) -> {
                    int scored = qualify(ids, found);
                    afterBatch.run();
                    return scored;
                });
    }

    private int qualify(List<String> ids, Map<String, Map<String, String>> found) {
        Map<String, List<Activity>> activities = ledger.activitiesOf(ids);
        Instant now = clock.instant();
        List<Records.Qualified> results = new ArrayList<>();
        List<Records.Quarantine> refused = new ArrayList<>();
        List<Records.Shadow> shadows = new ArrayList<>();
        for (String id : ids) {
            Map<String, String> fields = found.get(id);
            if (fields == null) {
                refused.add(new Records.Quarantine(id, null, map.system(), "LEAD_NOT_FOUND",
                        map.system() + " has no lead " + id + " (deleted or merged after its change)", "INTAKE"));
                continue;
            }
            Optional<LeadValidator.Problem> problem = validator.check(fields);
            if (problem.isPresent()) {
                refused.add(new Records.Quarantine(id, fields.get("email"), map.system(), problem.get().code(),
                        problem.get().message(), "INTAKE"));
                continue;
            }
            Lead lead = new Lead(id, fields);
            List<Activity> seen = activities.getOrDefault(id, List.of());
            Qualification q = engine.evaluate(lead, seen, now);
            results.add(new Records.Qualified(id, fields.get("email"), fields, q.fitScore(), q.engagementScore(),
                    q.grade(), q.mql(), q.disqualification().map(d -> d.criterionId() + ":" + d.reason()).orElse(null),
                    q.explanation().shortText(EXPLANATION_CHARS), q.definitionLabel()));
            if (shadow != null) {
                Qualification s = shadow.evaluate(lead, seen, now);
                shadows.add(new Records.Shadow(id, s.mql(), s.fitScore(), s.engagementScore(), s.grade(),
                        s.disqualification().map(d -> d.criterionId() + ":" + d.reason()).orElse(null), s.definitionLabel()));
            }
        }
        ledger.recordQualifications(results, shadows, now);
        if (!refused.isEmpty()) {
            ledger.quarantine(refused);
            refused.forEach(r -> LOG.warn("quarantined lead {} ({}): {} {}", r.mapId(), LedgerLead.maskEmail(r.email()),
                    r.code(), r.message()));
        }
        long mqls = results.stream().filter(Records.Qualified::mql).count();
        LOG.info("qualified {} leads with {}: {} MQL, {} not qualified, {} quarantined", results.size(),
                definition.label(), mqls, results.size() - mqls, refused.size());
        if (shadow != null) {
            LOG.info("shadow {} would have made {} MQL of the same {} leads (recorded only)", shadow.definition().label(),
                    shadows.stream().filter(Records.Shadow::mql).count(), shadows.size());
        }
        return results.size();
    }
}
