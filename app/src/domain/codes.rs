//! The closed vocabularies of the product (roles, professions, motives…), each with a stable
//! code used in storage, URLs and the JSON API. Labels for people live in `crate::i18n`.

use serde::{Deserialize, Serialize};

/// Declares an enum whose variants map one-to-one to stable lowercase codes.
macro_rules! coded {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and used by the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a stable code; `None` when it names no value.
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

coded!(
    /// What a member may do.
    Role { Clinician => "clinician", Coordinator => "coordinator", Admin => "admin" }
);

coded!(
    /// A clinician's profession, which decides the requests they are offered.
    Profession {
        Gp => "gp",
        Dentist => "dentist",
        Pharmacist => "pharmacist",
        Nurse => "nurse",
        Physio => "physio",
        Midwife => "midwife",
        Specialist => "specialist",
    }
);

coded!(
    /// The reason for a request, from the CPTS's typology.
    Motive {
        Fever => "fever",
        Pain => "pain",
        MinorTrauma => "minor_trauma",
        UrinaryInfection => "urinary_infection",
        DentalEmergency => "dental_emergency",
        Renewal => "renewal",
        Wound => "wound",
        Other => "other",
    }
);

coded!(
    /// Signs that make a call a medical emergency: any of them sends the caller to the 15 (AMU).
    RedFlag {
        ChestPain => "chest_pain",
        BreathingDistress => "breathing_distress",
        Unconscious => "unconscious",
        StrokeSigns => "stroke_signs",
        Haemorrhage => "haemorrhage",
        SevereTrauma => "severe_trauma",
        InfantFever => "infant_fever",
    }
);

coded!(
    /// The patient's age, in bands (no birth date is kept).
    AgeBand {
        Infant => "0-2",
        Child => "3-15",
        Adult => "16-64",
        Senior => "65-79",
        Elder => "80+",
    }
);

coded!(
    /// How soon the patient must be seen.
    Deadline { Today => "today", Within24h => "24h", Within48h => "48h" }
);

coded!(
    /// Who brought the request.
    Source {
        PatientCall => "patient_call",
        Sas => "sas",
        TreatingDoctor => "treating_doctor",
        Pharmacist => "pharmacist",
        Other => "other",
    }
);

coded!(
    /// Where the appointment takes place.
    AppointmentMode { Office => "office", Teleconsultation => "teleconsultation", HomeVisit => "home_visit" }
);

coded!(
    /// Why a clinician declined an offer (optional).
    RefusalReason {
        NoSlot => "no_slot",
        TooFar => "too_far",
        OutOfScope => "out_of_scope",
        Absent => "absent",
        Other => "other",
    }
);

coded!(
    /// Where a request was sent when the CPTS could not take it.
    Reorientation {
        Sas => "sas",
        Samu => "samu_15",
        OtherCpts => "other_cpts",
        Pdsa => "pdsa",
        ComeBackLater => "come_back_later",
        Other => "other",
    }
);

impl Motive {
    /// The professions that may take this motive when the first waves found nobody
    /// (a nurse can dress a wound, a pharmacist can renew a treatment…).
    pub fn neighbour_professions(self, asked: Profession) -> &'static [Profession] {
        use Profession::*;
        match (self, asked) {
            (Motive::Wound, Gp) => &[Nurse],
            (Motive::MinorTrauma, Gp) => &[Physio],
            (Motive::Renewal, Gp) => &[Pharmacist],
            (Motive::UrinaryInfection, Gp) => &[Pharmacist],
            (Motive::Fever, Gp) | (Motive::Pain, Gp) => &[Midwife],
            _ => &[],
        }
    }

    /// The profession usually asked for this motive, proposed in the form.
    pub fn default_profession(self) -> Profession {
        match self {
            Motive::DentalEmergency => Profession::Dentist,
            Motive::Wound => Profession::Nurse,
            _ => Profession::Gp,
        }
    }
}
