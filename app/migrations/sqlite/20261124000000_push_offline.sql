-- Web Push and offline replays.

-- A browser (one per device) subscribed to Web Push for a member (RFC 8030 push service URL and
-- the RFC 8291 keys the payload is encrypted to).
create table push_subscription (
    id integer primary key,
    member_id integer not null references member(id),
    endpoint text not null unique,  -- the push service's URL for this browser
    p256dh text not null,           -- the browser's P-256 public key, base64url
    auth text not null,             -- its 16-byte authentication secret, base64url
    label text not null,            -- what the member sees in their settings ("Android · Chrome")
    created_at integer not null,
    last_sent_at integer
);
create index push_subscription_member on push_subscription(member_id);

-- One message to one subscription, written in the transaction of the change that caused it, then
-- sent (at least once) by the push job: claimed until `next_attempt_at`, retried with backoff.
create table push_delivery (
    id integer primary key,
    subscription_id integer not null references push_subscription(id) on delete cascade,
    payload text not null,          -- JSON read by the service worker: title, body, url, tag
    urgency text not null,          -- very-low | low | normal | high (RFC 8030)
    ttl_seconds integer not null,   -- how long the push service keeps it for an offline phone
    created_at integer not null,
    next_attempt_at integer not null,
    attempts integer not null default 0,
    claim text,                     -- the sender run holding it (until next_attempt_at)
    state text not null default 'pending', -- pending | sent | expired | failed
    done_at integer,
    last_error text
);
create index push_delivery_due on push_delivery(state, next_attempt_at);

-- Keys of the server itself, made once and shared by every instance (the VAPID signing key).
create table server_key (
    name text primary key,
    value text not null,
    created_at integer not null
);

-- Answers to calls made with an Idempotency-Key header (actions taken offline and replayed):
-- the same key from the same member gets the stored answer, and the action runs once.
create table idempotency_key (
    member_id integer not null references member(id),
    key text not null,
    endpoint text not null,
    status integer,                 -- null while the first call is running
    body text,
    created_at integer not null,
    primary key (member_id, key)
);
create index idempotency_key_age on idempotency_key(created_at);
