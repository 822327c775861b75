-- One row per lead the connector has seen, keyed by the MAP's id. The state column holds exactly
-- one of: NEW (snapshot to fetch), NOT_QUALIFIED, MQL (to hand off), HANDED_OFF, ACCEPTED,
-- REJECTED, QUARANTINED. Feedback to the MAP is tracked separately so a disposition is never lost
-- between the CRM poll and the MAP write.
CREATE TABLE lead (
    map_id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    email               VARCHAR(320),
    state               VARCHAR(16)   NOT NULL,
    snapshot            VARCHAR(20000),
    fit_score           INTEGER,
    engagement_score    INTEGER,
    grade               VARCHAR(2),
    mql                 BOOLEAN,
    disqualified_by     VARCHAR(80),
    explanation         VARCHAR(4000),
    definition_version  VARCHAR(80),
    qualified_at        TIMESTAMP WITH TIME ZONE,
    crm_id              VARCHAR(18),
    handed_off_at       TIMESTAMP WITH TIME ZONE,
    sla_due_at          TIMESTAMP WITH TIME ZONE,
    sales_status        VARCHAR(255),
    reject_reason       VARCHAR(80),
    reject_comment      VARCHAR(1000),
    sales_owner         VARCHAR(18),
    disposed_at         TIMESTAMP WITH TIME ZONE,
    reason_action       VARCHAR(16),
    recycle_at          TIMESTAMP WITH TIME ZONE,
    feedback_status     VARCHAR(16)   NOT NULL DEFAULT 'NONE',
    feedback_at         TIMESTAMP WITH TIME ZONE,
    quarantine_system   VARCHAR(16),
    quarantine_code     VARCHAR(80),
    quarantine_message  VARCHAR(1000),
    quarantine_stage    VARCHAR(16),
    attempts            INTEGER       NOT NULL DEFAULT 0,
    first_seen_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX lead_state ON lead (state);
CREATE INDEX lead_feedback ON lead (feedback_status);
CREATE INDEX lead_crm ON lead (crm_id);

-- Engagement as seen in the MAP, kept so a lead can be re-scored and history can be backtested.
CREATE TABLE activity (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    map_id       VARCHAR(64)  NOT NULL,
    type         VARCHAR(64)  NOT NULL,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX activity_lead ON activity (map_id);

-- Where each poller resumes. Moved in the same transaction that records its batch.
CREATE TABLE watermark (
    name        VARCHAR(64)   NOT NULL PRIMARY KEY,
    mark        VARCHAR(2000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
