//! The commands that bring a CPTS's members and communes in: `create-member` (the first admin of a
//! CPTS; the others are invited from *Membres*), and the territory of `create-cpts` and
//! `communes import`.

use anyhow::Context;
use app::auth::ops::hash_password;
use app::domain::{Profession, Role};
use app::members::store::{self, NewMember};
use app::platform::Store;
use clap::Args;

/// Which communes of the reference list make the CPTS's territory.
#[derive(Args)]
pub struct Territory {
    /// A département's code (35, 2A, 971…); repeat for several.
    #[arg(long = "departement", required = true)]
    pub departements: Vec<String>,
    /// Only the communes within this distance of `--around`.
    #[arg(long, requires = "around")]
    pub within_km: Option<f64>,
    /// The commune (name or INSEE code) the distance is counted from.
    #[arg(long, requires = "within_km")]
    pub around: Option<String>,
}

#[derive(Args)]
pub struct CreateMemberArgs {
    #[arg(long)]
    email: String,
    /// Name as colleagues see it, e.g. "Dr Sophie Martin".
    #[arg(long)]
    name: String,
    /// clinician, coordinator or admin.
    #[arg(long, value_parser = parse_role)]
    role: Role,
    /// For clinicians: gp, dentist, pharmacist, nurse, physio, midwife, specialist.
    #[arg(long, value_parser = parse_profession)]
    profession: Option<Profession>,
    /// Commune of practice (one of the CPTS's), which places the member on the map.
    #[arg(long)]
    commune: Option<String>,
    /// RPPS number (11 digits with their check digit).
    #[arg(long, value_parser = parse_rpps)]
    rpps: Option<String>,
}

fn parse_rpps(s: &str) -> Result<String, String> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if app::members::rules::rpps_is_valid(&s) {
        Ok(s)
    } else {
        Err("an RPPS is 11 digits whose last is the check digit".into())
    }
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "expected clinician, coordinator or admin".into())
}

fn parse_profession(s: &str) -> Result<Profession, String> {
    Profession::parse(s).ok_or_else(|| "expected gp, dentist, pharmacist, nurse, physio, midwife or specialist".into())
}

pub fn territory_communes(text: &str, t: &Territory) -> anyhow::Result<Vec<server::communes::RefCommune>> {
    let communes = server::communes::of_departements(text, &t.departements)?;
    anyhow::ensure!(!communes.is_empty(), "no commune in département(s) {}", t.departements.join(", "));
    match (&t.around, t.within_km) {
        (Some(around), Some(km)) => server::communes::within(communes, around, km),
        _ => Ok(communes),
    }
}

pub async fn create_member(url: &str, args: CreateMemberArgs) -> anyhow::Result<()> {
    if args.role == Role::Clinician && args.profession.is_none() {
        anyhow::bail!("a clinician needs --profession");
    }
    let store = Store::open(url).await?;
    let mut tx = store.begin().await?;
    let (cpts_id, _) =
        store::first_cpts(&mut tx).await?.context("no CPTS yet: relais create-cpts --name … --departement … first")?;
    let location = match &args.commune {
        Some(c) => Some(
            store::communes(&mut tx, cpts_id)
                .await?
                .into_iter()
                .find(|x| &x.name == c)
                .with_context(|| format!("unknown commune {c}"))?
                .location,
        ),
        None => None,
    };
    let (password, generated) = match std::env::var("RELAIS_NEW_PASSWORD") {
        Ok(p) if p.len() >= 10 => (p, false),
        Ok(_) => anyhow::bail!("RELAIS_NEW_PASSWORD must have at least 10 characters"),
        Err(_) => (app::platform::new_token()[..16].to_string(), true),
    };
    let member = NewMember {
        cpts_id,
        email: args.email.clone(),
        display_name: args.name,
        role: args.role,
        profession: args.profession,
        rpps: args.rpps.clone(),
        commune: args.commune,
        location,
        teleconsult: false,
        weekly_cap: 20,
        password_hash: hash_password(password.clone()).await.map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    let id = store::create_member(&mut tx, &member, None, chrono::Utc::now())
        .await?
        .with_context(|| format!("{} is already a member", args.email))?;
    tx.commit().await?;
    println!("member {id} created: {}", args.email);
    if generated {
        println!("password: {password}");
    }
    Ok(())
}
