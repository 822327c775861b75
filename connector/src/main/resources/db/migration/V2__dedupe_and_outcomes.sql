-- What became of a lead after sales accepted it: converted to an opportunity, then won or lost.
-- These feed the quality side of the agreement (conversion and win rates per definition version).
ALTER TABLE lead ADD COLUMN converted_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE lead ADD COLUMN contact_id VARCHAR(18);
ALTER TABLE lead ADD COLUMN opportunity_id VARCHAR(18);
ALTER TABLE lead ADD COLUMN opportunity_stage VARCHAR(255);
ALTER TABLE lead ADD COLUMN opportunity_closed BOOLEAN;
ALTER TABLE lead ADD COLUMN opportunity_won BOOLEAN;
ALTER TABLE lead ADD COLUMN opportunity_amount DECIMAL(18, 2);
ALTER TABLE lead ADD COLUMN outcome VARCHAR(16);
ALTER TABLE lead ADD COLUMN outcome_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX lead_opportunity ON lead (opportunity_id);
