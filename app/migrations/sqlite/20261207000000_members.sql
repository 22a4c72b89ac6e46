-- Members and access: invitations, a member's standing, their profile and notice preferences,
-- the CPTS's ways in, and how long an unused session lives.

-- active | suspended | removed. `active` (1 only when 'active') stays the one column every
-- query of the application filters on.
alter table member add column status text not null default 'active';
update member set status = 'suspended' where active = 0;
alter table member add column phone text;              -- mobile in E.164 (+33…), for SMS notices
alter table member add column address text;            -- practice address, as the member writes it
alter table member add column quiet_start integer;     -- quiet hours: minutes after Paris midnight
alter table member add column quiet_end integer;       --   (both null: none)
-- One member per RPPS in a CPTS (a removed member's number may come back).
create unique index member_cpts_rpps on member(cpts_id, rpps) where rpps is not null and status <> 'removed';

-- 0: members may not log in with a password (passkeys or Pro Santé Connect only).
alter table cpts add column password_login integer not null default 1;

-- The commune's code in the Code officiel géographique (INSEE), when imported from the reference list.
alter table commune add column insee text;

-- The channels a member chose for each kind of notice (none: the defaults).
create table notice_preference (
    member_id integer not null references member(id),
    notice text not null,               -- offer | reminder | planning | slot
    push integer not null,
    email integer not null,
    sms integer not null,
    primary key (member_id, notice)
);

create table invitation (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    token_hash text not null unique,    -- HMAC of the link's token: the link is in the e-mail only
    email text not null,
    display_name text not null,
    role text not null,
    profession text,
    rpps text,
    commune text,
    invited_by integer not null references member(id),
    created_at integer not null,
    sent_at integer not null,           -- last sent: a re-sent link works seven days again
    used_at integer,
    member_id integer references member(id), -- the account the link opened
    withdrawn_at integer
);
-- One open invitation per address in a CPTS.
create unique index invitation_open_email on invitation(cpts_id, email) where used_at is null and withdrawn_at is null;
create index invitation_cpts on invitation(cpts_id, created_at);

-- When the session was last used (to the minute): an idle session ends.
alter table session add column last_seen_at integer not null default 0;
update session set last_seen_at = created_at;

-- The kind of notice a notification is, and when its SMS goes (the member's choice of channels
-- and quiet hours decide; null: no SMS), and went.
alter table notification add column notice text not null default 'planning';
alter table notification add column sms_due_at integer;
alter table notification add column sms_sent_at integer;
create index notification_sms_due on notification(sms_due_at) where sms_sent_at is null and sms_due_at is not null;

-- Passkeys (WebAuthn). The member's passkeys carry a random handle, not their id.
alter table member add column passkey_user text;
create unique index member_passkey_user on member(passkey_user) where passkey_user is not null;
create table passkey (
    id integer primary key,
    member_id integer not null references member(id),
    credential_id text not null unique, -- base64url, as the authenticator names it
    passkey text not null,              -- the public key and its counter, as webauthn-rs keeps them (JSON)
    label text not null,                -- what the member called it ("Téléphone")
    created_at integer not null,
    last_used_at integer
);
create index passkey_member on passkey(member_id);
-- A registration or login under way: the challenge's state stays here (never in the browser),
-- for five minutes, and is used once.
create table webauthn_ceremony (
    token_hash text primary key,        -- HMAC of the token the browser holds
    member_id integer references member(id), -- registering: who; logging in: null
    state text not null,                -- webauthn-rs's ceremony state (JSON)
    created_at integer not null
);
