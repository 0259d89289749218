-- The same rule as 20261128060500_csv_safe, cheaper at a million rows: every character it guards
-- against comes before 'A' (65), so one comparison settles most cells (a tenth of a users
-- report's time in PostgreSQL, measured). Replacing the function keeps its grants.
CREATE OR REPLACE FUNCTION csv_safe(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN ascii(value) < 65 AND ascii(value) IN (9, 13, 39, 43, 45, 61, 64) THEN '''' || value ELSE value END;
