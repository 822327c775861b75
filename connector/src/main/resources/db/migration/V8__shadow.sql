-- Shadow mode (handoff.definition.shadow): each lead is also scored with a candidate definition,
-- and the result is kept beside the live decision without acting on it. shadow_at equals
-- qualified_at when the shadow result belongs to the live decision recorded with it.
ALTER TABLE lead ADD COLUMN shadow_mql BOOLEAN;
ALTER TABLE lead ADD COLUMN shadow_fit_score INTEGER;
ALTER TABLE lead ADD COLUMN shadow_engagement_score INTEGER;
ALTER TABLE lead ADD COLUMN shadow_grade VARCHAR(2);
ALTER TABLE lead ADD COLUMN shadow_disqualified_by VARCHAR(80);
ALTER TABLE lead ADD COLUMN shadow_definition_version VARCHAR(80);
ALTER TABLE lead ADD COLUMN shadow_at TIMESTAMP WITH TIME ZONE;
