-- Indicators: what the CPTS's figures need that was not kept, and the indexes that make a year
-- of them quick.

-- When the request was first offered to a clinician (the first push): the time to the first
-- acceptance runs from here. Requests pushed before this column existed take their first offer's.
alter table snp_request add column pushed_at bigint;
update snp_request set pushed_at = (select min(o.sent_at) from offer o where o.request_id = snp_request.id);

-- The period's requests, with every column the indicators count them by: one range of this index
-- answers each of their queries without reading the table.
create index snp_request_period on snp_request(cpts_id, created_at, status, source, motive, profession,
    reoriented_to, commune, accepted_at, pushed_at);
create index snp_request_accepted_by on snp_request(accepted_by, accepted_at);
-- An offer's CPTS (its request's, set when it is sent): refusals are counted by CPTS and by the
-- day they were given, from this index alone.
alter table offer add column cpts_id bigint references cpts(id);
update offer set cpts_id = (select r.cpts_id from snp_request r where r.id = offer.request_id);
create index offer_refused on offer(cpts_id, answered_at, refusal_reason) where state = 'refused';
create index dental_referral_period on dental_referral(cpts_id, created_at);
create index dental_referral_dentist_answered on dental_referral(dentist_id, answered_at);
create index teleconsultation_period on teleconsultation(cpts_id, created_at);
-- Bookings by their slot (the unique index covers live bookings only).
create index slot_booking_slot on slot_booking(slot_id);
