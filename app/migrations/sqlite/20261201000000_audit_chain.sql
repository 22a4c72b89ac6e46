-- The audit trail as a hash chain per CPTS: each row carries the SHA-256 of its content and of
-- the previous row of its CPTS, so that a row edited, removed or slipped in shows
-- (`relais audit verify`). Rows written before this migration have no hash: the chain of a
-- CPTS starts at its first hashed row.
alter table audit_event add column prev_hash text;   -- hash of the previous row of the same CPTS (null: first of the chain)
alter table audit_event add column hash text;        -- hex SHA-256 of prev_hash and of the row's content
create index audit_event_chain on audit_event(cpts_id, id);
