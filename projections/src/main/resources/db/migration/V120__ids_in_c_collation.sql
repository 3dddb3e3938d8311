-- Identifiers (event ids, line ids, reallocation and carry-over ids, project ids) compare byte-wise:
-- they are codes, not words. With the "C" collation PostgreSQL sorts them with memcmp and
-- abbreviated keys instead of the locale's strcoll, which makes every index build on them (a
-- rebuild builds the keys of a million-row log afresh) about three times cheaper. The digest
-- already orders by them in "C". A join with a column of another collation (e.g. the event store's
-- event_identifier) must name the collation: `a.event_id = e.event_identifier COLLATE "C"`.
ALTER TABLE projection.applied_event ALTER COLUMN event_id TYPE TEXT COLLATE "C";
ALTER TABLE projection.line_balance ALTER COLUMN line_id TYPE TEXT COLLATE "C";
ALTER TABLE projection.line_history ALTER COLUMN line_id TYPE TEXT COLLATE "C", ALTER COLUMN event_id TYPE TEXT COLLATE "C";
ALTER TABLE projection.reallocation_flow ALTER COLUMN reallocation_id TYPE TEXT COLLATE "C",
    ALTER COLUMN from_line_id TYPE TEXT COLLATE "C", ALTER COLUMN to_line_id TYPE TEXT COLLATE "C",
    ALTER COLUMN out_event_id TYPE TEXT COLLATE "C", ALTER COLUMN in_event_id TYPE TEXT COLLATE "C";
ALTER TABLE projection.carry_over ALTER COLUMN carry_over_id TYPE TEXT COLLATE "C",
    ALTER COLUMN from_line_id TYPE TEXT COLLATE "C", ALTER COLUMN to_line_id TYPE TEXT COLLATE "C",
    ALTER COLUMN out_event_id TYPE TEXT COLLATE "C", ALTER COLUMN in_event_id TYPE TEXT COLLATE "C";
ALTER TABLE projection.expenditure ALTER COLUMN event_id TYPE TEXT COLLATE "C", ALTER COLUMN line_id TYPE TEXT COLLATE "C",
    ALTER COLUMN project_id TYPE TEXT COLLATE "C";
ALTER TABLE projection.overplan_consent ALTER COLUMN event_id TYPE TEXT COLLATE "C", ALTER COLUMN line_id TYPE TEXT COLLATE "C";

-- Every as-of caller bounds recorded_at (known-at) and at most a year: (year, recorded_at) serves
-- them all, and the annual account passes no booking date. (year, effective_date) only cost writes
-- and a sort of every history row per rebuild.
DROP INDEX IF EXISTS projection.line_history_year_effective;
