package dev.handoff.map;

/**
 * Finds the leads that changed in the MAP since the last poll and records them (and their
 * activities) in the ledger, moving the intake watermark in the same transaction as each batch.
 */
public interface MapIntake {

    /** @return how many changes were recorded */
    int poll();
}
