-- What a lead was doing when it was quarantined, so a replay puts it back exactly there; and
-- DISCARDED as the final state of a lead an admin decided to drop.
ALTER TABLE lead ADD COLUMN quarantined_from VARCHAR(16);
ALTER TABLE lead ADD COLUMN discarded_at TIMESTAMP WITH TIME ZONE;
