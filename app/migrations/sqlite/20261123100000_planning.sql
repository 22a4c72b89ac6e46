-- Duty vacations: plannings, their groups and rules, the vacations, who holds them, and the
-- changes members propose to each other.

create table planning (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    name text not null,
    notice_hours integer not null default 48,  -- returning to the pool is allowed until then
    created_at integer not null,
    unique (cpts_id, name)
);

create table planning_group (
    id integer primary key,
    planning_id integer not null references planning(id),
    name text not null,
    dimension text not null,            -- territory | profession | structure
    max_per_week integer,
    max_per_month integer,
    max_share_percent integer,
    created_at integer not null,
    unique (planning_id, name)
);

create table group_member (
    group_id integer not null references planning_group(id),
    member_id integer not null references member(id),
    primary key (group_id, member_id)
);

create table vacation (
    id integer primary key,
    planning_id integer not null references planning(id),
    kind text not null,                 -- snp_office | snp_teleconsultation | dental_emergency | sas_regulation
    starts_at integer not null,
    ends_at integer not null,
    capacity integer not null,          -- how many members hold it
    self_service integer not null default 1, -- 1: members take it themselves; 0: the admin assigns it
    created_at integer not null
);
create index vacation_planning on vacation(planning_id, starts_at);
create index vacation_time on vacation(starts_at, ends_at);

create table assignment (
    vacation_id integer not null references vacation(id),
    member_id integer not null references member(id),
    created_at integer not null,
    primary key (vacation_id, member_id)
);
create index assignment_member on assignment(member_id);

create table vacation_change (
    id integer primary key,
    kind text not null,                 -- cession | exchange
    vacation_id integer not null references vacation(id),
    from_member_id integer not null references member(id),
    to_member_id integer references member(id),          -- null: offered to every eligible colleague
    counter_vacation_id integer references vacation(id), -- the colleague's vacation, for an exchange
    state text not null,                -- proposed | accepted | declined | cancelled
    created_at integer not null,
    answered_at integer,
    answered_by integer references member(id),
    undo_of integer references vacation_change(id) -- for an undo: the accepted change it reverts
);
create index vacation_change_open on vacation_change(state, to_member_id);

alter table audit_event add column on_behalf_of integer; -- the member an admin acted for

-- The calendar feed's secret is derived from the server key, the member and this counter:
-- bumping it makes the old address stop working.
alter table member add column calendar_generation integer not null default 0;

-- Reminders and other notices, persisted before they are sent: a reminder is claimed (state
-- 'claimed') before its message goes out, so a restart never sends it twice.
create table reminder (
    id integer primary key,
    member_id integer not null references member(id),
    vacation_id integer not null references vacation(id),
    kind text not null,                 -- day_before | hour_before
    due_at integer not null,
    state text not null default 'pending', -- pending | claimed | sent | cancelled
    claimed_at integer,
    sent_at integer,
    unique (member_id, vacation_id, kind)
);
create index reminder_due on reminder(state, due_at);

create table notification (
    id integer primary key,
    member_id integer not null references member(id),
    created_at integer not null,
    body text not null,
    emailed integer not null default 0, -- 1 once the e-mail left
    read_at integer
);
create index notification_member on notification(member_id, id);
