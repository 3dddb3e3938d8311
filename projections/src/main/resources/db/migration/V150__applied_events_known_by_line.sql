-- Which events the read models hold is known per line: a line's events are applied in log order
-- (they commit in that order, and every feed delivers a line's events in order), so the line's
-- last_global_sequence says which of its events it has, and a redelivered one is skipped by it
-- (Projector#project). A table with a row per event said the same at the price of a million rows,
-- a key over them, and an insert per event. The rows of the lines a batch touches are locked by it,
-- so two deliveries of one event cannot both apply it.
DROP TABLE projection.applied_event;
