package dev.handoff.demo;

import dev.handoff.definition.Definition;
import dev.handoff.definition.RejectReason;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import java.time.Duration;
import java.util.List;

/** Emulated sales reps who reject with the reasons the definition defines, poor fit with its disqualifying ones. */
public final class EmulatedReps {

    private EmulatedReps() {
    }

    /** The emulated rep who decides late, and by how much: enough that some leads pass a 24 h SLA and some of those are still undecided when the monitor looks. */
    static final int SLOW_REP = 4;
    static final Duration SLOW_REP_EXTRA = Duration.ofHours(30);

    /** One rep of five takes {@code extra} longer than the others to decide. */
    static void slowDown(SalesforceEmulator salesforce, Duration extra) {
        salesforce.slowDownRep(SLOW_REP, extra);
    }

    public static SalesforceEmulator.Settings forDefinition(Definition definition, Duration delayMin, Duration delayMax, long seed) {
        List<String> reasons = List.copyOf(definition.rejectReasons().keySet());
        List<String> poorFit = definition.rejectReasons().values().stream()
                .filter(r -> r.action() == RejectReason.Action.DISQUALIFY).map(RejectReason::code).toList();
        return SalesforceEmulator.Settings.defaults().withReps(reasons, poorFit, delayMin, delayMax, seed);
    }
}
