-- The service-level agreement per lead. map_changed_at: the MAP change the handoff acted on (the
-- latest activity or push intake saw before the lead was qualified). system_delay_ms: that change
-- to the CRM write (our pipeline); human_delay_ms: the CRM write to sales' first decision.
-- sla_breached_at: when the SLA monitor flagged the lead as past its accept window undecided.
ALTER TABLE lead ADD COLUMN map_changed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE lead ADD COLUMN system_delay_ms BIGINT;
ALTER TABLE lead ADD COLUMN human_delay_ms BIGINT;
ALTER TABLE lead ADD COLUMN sla_breached_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX lead_sla_due ON lead (state, sla_due_at);
