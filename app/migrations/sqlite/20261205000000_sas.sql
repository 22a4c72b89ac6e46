-- The SAS interface (FHIR, /fhir): the CPTS's FINESS, the API clients allowed to call it, the
-- SAS's regulators, and what a booking made by the SAS carries.

alter table cpts add column finess text; -- the CPTS's 9-character FINESS number, sent to the SAS

create table api_client (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    name text not null,
    token_hash text not null unique,    -- SHA-256 (hex) of the token: the token is shown once, never kept
    created_by integer not null references member(id),
    created_at integer not null,
    last_used_at integer,                  -- to the minute
    revoked_at integer
);
create index api_client_cpts on api_client(cpts_id);

-- The SAS's regulators, as its platform sends them (POST / conditional PUT /fhir/Practitioner).
create table sas_regulator (
    id integer primary key,
    cpts_id integer not null references cpts(id),
    id_system text not null,            -- urn:oid:1.2.250.1.71.4.2.1 (national) or urn:oid:1.2.250.1.213.3.6 (SAS's own)
    id_value text not null,
    family text not null,
    given text not null,
    email text not null,
    active integer not null,               -- the SAS withdraws a regulator by sending active = false
    created_at integer not null,
    updated_at integer not null,
    unique (cpts_id, id_system, id_value)
);

alter table slot_booking add column regulator_id integer references sas_regulator(id); -- who booked, for the SAS
alter table slot_booking add column appointment_system text; -- the SAS's identifier of the appointment
alter table slot_booking add column appointment_value text;
-- The SAS names each appointment once: its later updates find the booking by this identifier.
create unique index slot_booking_appointment on slot_booking(cpts_id, appointment_system, appointment_value)
    where appointment_value is not null;
