-- The operator's route direct:<name> that reshapes a webhook's payload before it is signed.
ALTER TABLE webhook ADD COLUMN transform VARCHAR(100);
