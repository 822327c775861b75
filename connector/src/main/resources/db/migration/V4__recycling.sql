-- What became of a rejection's action in the MAP: when a RECYCLE lead was handed to nurture (added
-- to the static list or requested into the campaign) and when a DISQUALIFY lead was flagged. Null
-- until done, so a crash between the MAP call and this write only repeats an idempotent call.
ALTER TABLE lead ADD COLUMN recycled_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE lead ADD COLUMN disqualified_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX lead_recycle ON lead (reason_action, recycle_at);
