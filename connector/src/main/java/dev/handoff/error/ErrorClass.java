package dev.handoff.error;

/** What to do about an error from a target system. */
public enum ErrorClass {
    /** Try again later (backoff, within the API's rate limits): the same request can succeed. */
    TRANSIENT,
    /** The credentials expired: refresh once, then replay the call. */
    REAUTHENTICATE,
    /** This record will fail again as it is: quarantine it with the code, keep the batch moving. */
    PERMANENT_RECORD,
    /** The whole call is wrong (configuration, permissions, a client bug): stop and tell the admin. */
    FATAL
}
