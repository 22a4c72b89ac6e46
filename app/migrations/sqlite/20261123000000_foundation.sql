-- The foundation: CPTS, members, sessions, SNP requests and their offers, the audit trail.
-- Instants are unix milliseconds (UTC); booleans are 0/1 integers (same on both back-ends).

create table cpts (
    id integer primary key,
    name text not null,
    created_at integer not null
);

create table commune (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    name text not null,
    postcode text not null,
    lat real not null,
    lon real not null,
    unique (cpts_id, name)
);

create table member (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    email text not null unique,
    display_name text not null,
    role text not null,                 -- clinician | coordinator | admin
    profession text,                    -- null for staff without a clinical profession
    rpps text,                          -- 11-digit national practitioner number
    commune text,
    lat real,
    lon real,
    teleconsult integer not null default 0,
    weekly_cap integer not null default 10, -- SNP requests a clinician accepts per week at most
    password_hash text not null,
    active integer not null default 1,
    created_at integer not null
);

-- When a member can be offered requests: a duty slot, or "available now" said by the member.
create table availability (
    id integer primary key,
    member_id integer not null references member(id),
    kind text not null,                 -- duty | volunteer
    starts_at integer not null,
    ends_at integer not null,
    created_at integer not null
);
create index availability_member on availability(member_id, ends_at);

create table session (
    token_hash text primary key,        -- HMAC of the cookie's token: a stolen database opens no session
    member_id integer not null references member(id),
    created_at integer not null,
    expires_at integer not null
);
create index session_member on session(member_id);

create table login_failure (
    id integer primary key,
    email text not null,
    ip text not null,
    at integer not null
);
create index login_failure_email on login_failure(email, at);
create index login_failure_ip on login_failure(ip, at);

create table snp_request (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    created_by integer not null references member(id),
    created_at integer not null,
    motive text not null,
    profession text not null,
    patient_name text not null,         -- first name or initials only
    age_band text not null,
    callback_phone text not null,       -- E.164
    commune text not null,
    lat real not null,
    lon real not null,
    teleconsult_ok integer not null,
    deadline text not null,             -- today | 24h | 48h
    deadline_at integer not null,
    source text not null,
    treating_member_id integer references member(id),
    note text not null default '',
    status text not null,
    wave integer not null default 0,    -- current wave; 0 = treating doctor alone
    wave_started_at integer,
    escalation text,                    -- why it was flagged to the coordinator, if it was
    escalated_at integer,
    accepted_by integer references member(id),
    accepted_at integer,
    appointment_at integer,
    appointment_mode text,
    reoriented_to text,
    closed_at integer,
    version integer not null default 0  -- bumped by every change
);
create index snp_request_board on snp_request(cpts_id, status);

create table offer (
    id integer primary key,
    request_id integer not null references snp_request(id),
    member_id integer not null references member(id),
    wave integer not null,
    distance_km real,
    state text not null,                -- sent | seen | refused | expired | withdrawn | accepted
    refusal_reason text,
    sent_at integer not null,
    seen_at integer,
    answered_at integer,
    unique (request_id, member_id)
);
create index offer_member on offer(member_id, state);
-- At most one accepted offer per request, whatever the application does.
create unique index offer_one_winner on offer(request_id) where state = 'accepted';

create table audit_event (
    id integer primary key,
    cpts_id integer,
    at integer not null,
    actor_id integer,                   -- who did it; null for the system (jobs)
    kind text not null,
    request_id integer,
    offer_id integer,
    subject_id integer,                 -- the member it concerns, when not the actor
    detail text not null default '{}'   -- JSON
);
create index audit_event_request on audit_event(request_id, id);
