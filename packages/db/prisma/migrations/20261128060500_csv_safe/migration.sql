-- Used by the CSV reports (COPY … TO STDOUT WITH CSV): a cell a spreadsheet would run as a formula
-- (it starts with = + - @, a tab or a carriage return; OWASP CSV injection) gets a leading single
-- quote. So does a cell that already starts with one, so that dropping exactly one leading quote
-- always restores the value. `ascii` reads only the first character, which keeps this cheap at a
-- million rows; a SQL function like this one is inlined by the planner.
CREATE FUNCTION csv_safe(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN ascii(value) IN (9, 13, 39, 43, 45, 61, 64) THEN '''' || value ELSE value END;
