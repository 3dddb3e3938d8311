-- An applied event is found by its position in the log (global_index), which is unique as its id is.
-- A key of increasing integers is built from rows already in order: a rebuild adds it back over a
-- million rows in a fraction of the time the random-UUID text key took (its sort was the longest
-- single step of a rebuild's index phase), and lookups and joins with the log compare integers.
-- The projector refuses a position it has applied under another event id (see Projector#fresh).
ALTER TABLE projection.applied_event DROP CONSTRAINT applied_event_pkey;
ALTER TABLE projection.applied_event ADD CONSTRAINT applied_event_pkey PRIMARY KEY (global_sequence);
