-- An expenditure changes one component of its line, spent, by its amount: its row in `expenditure`
-- says everything its line_history row said once it also carries recorded_at and principal. So it
-- is kept once: line_history holds every other balance change, and as-of queries read both tables
-- (ReadModels#lineAsOf). Most of the log is expenditures; a rebuild writes and indexes those rows
-- once instead of twice.
ALTER TABLE projection.expenditure ADD COLUMN recorded_at TIMESTAMPTZ, ADD COLUMN principal TEXT;
UPDATE projection.expenditure e SET recorded_at = h.recorded_at, principal = h.principal
    FROM projection.line_history h WHERE h.line_id = e.line_id AND h.global_sequence = e.global_sequence;
ALTER TABLE projection.expenditure ALTER COLUMN recorded_at SET NOT NULL;
DELETE FROM projection.line_history WHERE event_type = 'ExpenditureRecorded';

-- Keyed like line_history, by (line, position): every reader of expenditures asks by line (as-of,
-- money trail) or by project, and a rebuild writes them in that order, so the key is built from
-- sorted rows and doubles as the index by line. A reversal names its entry on its own line, so the
-- projector finds it by line and event id without an index of random event ids.
ALTER TABLE projection.expenditure DROP CONSTRAINT expenditure_pkey;
ALTER TABLE projection.expenditure ADD CONSTRAINT expenditure_pkey PRIMARY KEY (line_id, global_sequence);
DROP INDEX projection.expenditure_line;

-- A year's rows (the annual account known at an earlier moment, corrections after publication)
-- lie together: a rebuild writes them by line id, which starts with the year, and the live tables
-- grow in log order, which follows the fiscal years. A BRIN index of the year finds them for the
-- price of a few pages; the B-tree on (year, recorded_at) was the costliest index of a rebuild.
DROP INDEX projection.line_history_year_recorded;
CREATE INDEX line_history_year ON projection.line_history USING brin (year) WITH (autosummarize = on);
CREATE INDEX expenditure_year ON projection.expenditure USING brin (year) WITH (autosummarize = on);

-- Project outflow asks for one project (project_id = ?) or every project of a year (project_id IS
-- NOT NULL): expenditures without a project, most of them, need no entry.
DROP INDEX projection.expenditure_project;
CREATE INDEX expenditure_project ON projection.expenditure (project_id, year) WHERE project_id IS NOT NULL;

-- A reversed leg of a move is found through its own line (the reversal is an entry on that line),
-- so the legs' event ids need no indexes of their own.
DROP INDEX projection.reallocation_flow_out_event;
DROP INDEX projection.reallocation_flow_in_event;
DROP INDEX projection.carry_over_out_event;
DROP INDEX projection.carry_over_in_event;
