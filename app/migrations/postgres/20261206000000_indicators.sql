-- Indicators: what the CPTS's figures need that was not kept, and the indexes that make a year
-- of them quick.

-- When the request was first offered to a clinician (the first push): the time to the first
-- acceptance runs from here. Requests pushed before this column existed take their first offer's.
alter table snp_request add column pushed_at bigint;
update snp_request set pushed_at = (select min(o.sent_at) from offer o where o.request_id = snp_request.id);

create index snp_request_period on snp_request(cpts_id, created_at);
create index snp_request_accepted_by on snp_request(accepted_by, accepted_at);
-- Refusals are counted by the day they were given.
create index offer_refused on offer(answered_at) where state = 'refused';
create index dental_referral_period on dental_referral(cpts_id, created_at);
create index dental_referral_dentist_answered on dental_referral(dentist_id, answered_at);
create index teleconsultation_period on teleconsultation(cpts_id, created_at);
