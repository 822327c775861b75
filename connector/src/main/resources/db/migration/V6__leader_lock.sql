-- The lease that elects the one active replica when several share this ledger (handoff.ha.*).
-- ShedLock's JDBC provider owns the row: one lock per name, held by locked_by (the node id) until
-- lock_until, both written in the database's own clock so the replicas' clocks do not matter.
CREATE TABLE leader_lock (
    name        VARCHAR(64)   NOT NULL PRIMARY KEY,
    lock_until  TIMESTAMP(3)  NOT NULL,
    locked_at   TIMESTAMP(3)  NOT NULL,
    locked_by   VARCHAR(255)  NOT NULL
);
