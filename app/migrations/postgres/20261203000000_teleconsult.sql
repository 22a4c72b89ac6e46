-- Pharmacy teleconsultations: an SNP request whose mode is fixed (teleconsultation), sent by a
-- pharmacist for a patient at the counter, and the room both open once a doctor accepts.

alter table snp_request add column mode text; -- how the patient must be seen, when the request fixes it (teleconsultation); null: any

create table teleconsultation (
    request_id bigint primary key references snp_request(id),
    cpts_id bigint not null references cpts(id),
    pharmacist_id bigint not null references member(id),
    room text not null unique,          -- 160 random bits, hex: the room's name on the video service, never sent in a message
    consent_at bigint not null,        -- when the pharmacist ticked the patient's consent
    rewidened_at bigint,               -- when the pharmacist asked every available doctor once more (once at most)
    conclusion text,                    -- advice | prescription | orientation, recorded by the doctor with "done"
    created_at bigint not null
);
create index teleconsultation_pharmacist on teleconsultation(pharmacist_id, created_at);
