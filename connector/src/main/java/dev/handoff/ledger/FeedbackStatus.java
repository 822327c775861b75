package dev.handoff.ledger;

/** Whether the sales verdict has reached the MAP. */
public enum FeedbackStatus {
    NONE, PENDING, WRITTEN
}
