package dev.handoff.ledger;

/** The ledger could not be read or written; the batch that needed it is retried as a whole. */
public final class LedgerException extends RuntimeException {
    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
