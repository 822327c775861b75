package dev.handoff.emulator.salesforce;

import java.util.List;

/** Outcome of writing one sObject; {@code id} is null when the record failed before it had one. */
record WriteResult(boolean created, String id, List<RecordError> errors) {

    static WriteResult failed(String id, RecordError... errors) {
        return new WriteResult(false, id, List.of(errors));
    }

    static WriteResult failed(String id, List<RecordError> errors) {
        return new WriteResult(false, id, List.copyOf(errors));
    }

    boolean success() {
        return errors.isEmpty();
    }
}
