-- Dental emergencies: the CPTS's inclusion grid, who may refer, and the referrals sent to the
-- dentist of the day (the rota itself is a planning whose vacations are `dental_emergency`).

create table dental_criterion (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    position integer not null,
    label text not null,
    kind text not null,                 -- inclusion | condition | exclusion | not_urgent
    immediate integer not null default 0, -- an inclusion that calls for care at once
    active integer not null default 1,  -- removed criteria stay for the referrals that ticked them
    created_at integer not null
);
create index dental_criterion_cpts on dental_criterion(cpts_id, position);

create table dental_setting (
    cpts_id integer primary key references cpts(id),
    referrer_professions text not null  -- comma-separated profession codes allowed to refer
);

create table dental_referral (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    referrer_id integer not null references member(id),
    dentist_id integer not null references member(id),
    vacation_id integer references vacation(id),  -- the rota morning it was routed to
    status text not null,               -- waiting | answered | closed
    patient_name text not null,         -- first name or initials; erased after retention
    age_band text not null,
    callback_phone text not null,       -- E.164; erased after retention
    commune text not null,
    note text not null default '',      -- erased after retention
    criteria text not null,             -- JSON: the labels ticked, as they read then
    immediate integer not null default 0,
    created_at integer not null,
    seen_from integer not null,         -- when the dentist's morning starts (or the referral, if later)
    due_at integer not null,            -- seen_from + 24 h
    reminded_at integer,
    alerted_at integer,
    solution_kind text,                 -- appointment | phone_advice | reoriented
    solution_at integer,                -- the appointment
    solution_place text,
    solution_note text,
    reoriented_to text,                 -- own_dentist | hospital | samu
    answered_at integer,
    outcome text,                       -- seen | no_show | reoriented
    closed_at integer,
    version integer not null default 0  -- bumped by every change
);
create index dental_referral_dentist on dental_referral(dentist_id, status);
create index dental_referral_cpts on dental_referral(cpts_id, status, due_at);
create index dental_referral_referrer on dental_referral(referrer_id, created_at);

-- The audit trail names the referral an event is about (its timeline).
alter table audit_event add column referral_id integer;
create index audit_event_referral on audit_event(referral_id, id);
