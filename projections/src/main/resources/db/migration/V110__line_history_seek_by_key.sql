-- The as-of query sums one line's history rows; the primary key (line_id, global_sequence) already
-- finds them (a few dozen per line), so the two indexes led by line_id only cost writes: every
-- projected event and every rebuild (one sort each) maintained them.
DROP INDEX IF EXISTS projection.line_history_line_effective;
DROP INDEX IF EXISTS projection.line_history_line_recorded;
