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

    public static SalesforceEmulator.Settings forDefinition(Definition definition, Duration delayMin, Duration delayMax, long seed) {
        List<String> reasons = List.copyOf(definition.rejectReasons().keySet());
        List<String> poorFit = definition.rejectReasons().values().stream()
                .filter(r -> r.action() == RejectReason.Action.DISQUALIFY).map(RejectReason::code).toList();
        return SalesforceEmulator.Settings.defaults().withReps(reasons, poorFit, delayMin, delayMax, seed);
    }
}
