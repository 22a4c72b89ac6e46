-- Shared SNP slots: appointment slots clinicians put aside for unscheduled care, booked by the
-- coordination from a request (or by the SAS), each at most once.

create table slot (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    member_id integer not null references member(id),
    starts_at integer not null,
    ends_at integer not null,
    mode text not null,                 -- office | teleconsultation | home_visit
    audience text not null,             -- cpts | sas (the SAS's regulators may book it too)
    weekly integer not null default 0,  -- opened as part of a weekly pattern
    closed_at integer,                  -- closed by the clinician: no longer bookable
    created_at integer not null
);
create index slot_member on slot(member_id, starts_at);
create index slot_cpts_time on slot(cpts_id, starts_at);

create table slot_booking (
    id integer primary key,
    slot_id integer not null references slot(id),
    cpts_id integer not null references cpts(id),
    request_id integer references snp_request(id), -- the request booked into it, when the coordination booked
    source text not null,               -- coordination | sas
    booked_by integer references member(id), -- the coordinator; null for the SAS
    patient_name text not null,         -- first name or initials; erased with the request's after retention
    callback_phone text not null,       -- E.164
    status text not null,               -- booked | cancelled | honoured | no_show
    created_at integer not null,
    answered_at integer                 -- when cancelled, honoured or marked absent
);
-- One live booking per slot, whoever books: the database refuses the second.
create unique index slot_booking_once on slot_booking(slot_id) where status <> 'cancelled';
create index slot_booking_cpts on slot_booking(cpts_id, status);
