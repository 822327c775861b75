-- Leads a MAP pushed through a signed webhook, as they arrived. The qualifier reads these instead
-- of calling the MAP back; a later push of the same lead replaces its snapshot.
CREATE TABLE pushed_lead (
    map_id       VARCHAR(64)    NOT NULL PRIMARY KEY,
    snapshot     VARCHAR(20000) NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
