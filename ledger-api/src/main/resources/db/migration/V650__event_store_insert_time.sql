-- When PostgreSQL inserted each event (its own clock, at the insert, not the JVM's event time), so
-- a gap in the global index is dropped from a processor's token only once no transaction that
-- started before the next row's insert is still writing (GapSafeJdbcEventStorageEngine).
-- Rows from before this migration keep NULL: nothing that wrote them can still be running.
ALTER TABLE domain_event_entry ADD COLUMN inserted_at TIMESTAMPTZ;
ALTER TABLE domain_event_entry ALTER COLUMN inserted_at SET DEFAULT clock_timestamp();
