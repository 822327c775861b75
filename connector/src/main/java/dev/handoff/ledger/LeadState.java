package dev.handoff.ledger;

/** Where a lead stands. Exactly one per lead; see V1__ledger.sql. */
public enum LeadState {
    NEW, NOT_QUALIFIED, MQL, HANDED_OFF, ACCEPTED, REJECTED, QUARANTINED,
    /** The email already belongs to a Contact in the CRM: no Lead was created; marketing is told. */
    EXISTING_CONTACT,
    /** An admin dropped this quarantined lead ({@code handoff quarantine discard}); nothing more happens to it. */
    DISCARDED
}
