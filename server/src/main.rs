//! `relais`: the command line of the Relais server.

use anyhow::Context;
use app::members::store;
use app::platform::Store;
use clap::{Parser, Subcommand};

mod members;
mod serve;
use members::{create_member, territory_communes, CreateMemberArgs, Territory};
use serve::{serve, ServeArgs};

/// mimalloc rather than the system's allocator: a page or an answer allocates and frees many
/// small values across the server's threads, where glibc's allocator spent a sixth of the
/// server's time under load (`perf`, README *Measured*).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "relais", version, about = "Relais — soins non programmés d'une CPTS: server and administration")]
struct Cli {
    /// Database: `sqlite://relais.db` (a file, created if missing) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://relais.db", global = true)]
    database_url: String,
    /// Log lines as text (for a terminal) or JSON (one object per line, for a log collector;
    /// each line of a request carries its request id).
    #[arg(long, env = "RELAIS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Apply the migrations and serve the app (HTTP, live stream, background jobs).
    Serve(Box<ServeArgs>),
    /// Apply the database migrations, then exit.
    Migrate,
    /// Create the demo CPTS (coordinator, admin, clinicians on duty) unless one exists.
    SeedDemo {
        /// Also create this many GPs on duty around Rennes (for load benchmarks).
        #[arg(long, default_value_t = 0)]
        extra_clinicians: usize,
        /// Seed as if it were this instant (RFC 3339): the same as `serve --clock-start`, so that
        /// duty slots and availabilities are current for a server whose clock is shifted.
        #[arg(long)]
        clock_start: Option<chrono::DateTime<chrono::FixedOffset>>,
    },
    /// Print a new VAPID key pair for Web Push (private key for RELAIS_VAPID_PRIVATE_KEY).
    VapidKey,
    /// Create a member of the (first) CPTS. The password is read from RELAIS_NEW_PASSWORD, or
    /// generated and printed.
    CreateMember(CreateMemberArgs),
    /// Create a CPTS (the first step of a real one, before its first admin) and import its
    /// communes from the reference list.
    CreateCpts {
        /// Its name, e.g. "CPTS du Pays de Fougères".
        #[arg(long)]
        name: String,
        #[command(flatten)]
        territory: Territory,
    },
    /// The communes of a CPTS.
    Communes {
        #[command(subcommand)]
        action: CommunesAction,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Copy the SQLite database, consistently, into a new file, while the server runs.
    /// (PostgreSQL: pg_dump -Fc, see docs/operations.md.)
    Backup {
        /// The copy's file; it must not exist.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Bring a backup back as the database (SQLite), migrate it to this version and verify its
    /// audit chain. Run it with the server stopped.
    Restore {
        /// The backup, as `relais backup` made it.
        #[arg(long)]
        from: std::path::PathBuf,
        /// Replace a database already there (it is kept beside it, renamed).
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Subcommand)]
enum CommunesAction {
    /// Add communes from the reference list (INSEE's COG with La Poste's points, shipped in the
    /// binary) or from a file of the same format; communes already there are kept.
    Import {
        /// The CPTS (default: the first one).
        #[arg(long)]
        cpts: Option<i64>,
        /// A file in the reference list's format instead of the shipped list.
        #[arg(long)]
        file: Option<std::path::PathBuf>,
        #[command(flatten)]
        territory: Territory,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Walk every CPTS's hash chain and recompute each link; name the first broken one (and
    /// exit with status 1) if a row was changed, removed or slipped in.
    Verify,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
    match cli.log_format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        LogFormat::Json => {
            use tracing_subscriber::util::SubscriberInitExt;
            server::operations::json_logs(filter, std::io::stdout).init();
        }
    }
    match cli.command {
        Command::Migrate => {
            Store::open(&cli.database_url).await.context("opening and migrating the database")?;
            println!("migrations applied");
        }
        Command::SeedDemo { extra_clinicians, clock_start } => {
            let store = Store::open(&cli.database_url).await?;
            let now = clock_start.map_or_else(chrono::Utc::now, |t| t.with_timezone(&chrono::Utc));
            let report = server::seed::seed_demo(&store, now, extra_clinicians).await?;
            if report.created {
                println!("demo CPTS created with {} members (password: {})", report.members, app::DEMO_PASSWORD);
            } else {
                println!("a CPTS already exists: nothing changed");
            }
        }
        Command::CreateMember(args) => create_member(&cli.database_url, args).await?,
        Command::CreateCpts { name, territory } => {
            let store = Store::open(&cli.database_url).await?;
            let communes = territory_communes(server::communes::REFERENCE, &territory)?;
            let mut tx = store.begin().await?;
            let id = store::create_cpts(&mut tx, name.trim(), chrono::Utc::now()).await?;
            tx.commit().await?;
            let done = server::communes::import(&store, id, &communes, chrono::Utc::now()).await?;
            println!("CPTS {id} created with {} communes; next: relais create-member --role admin …", done.added);
        }
        Command::Communes { action: CommunesAction::Import { cpts, file, territory } } => {
            let store = Store::open(&cli.database_url).await?;
            let text = match file {
                Some(path) => std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?,
                None => server::communes::REFERENCE.to_string(),
            };
            let communes = territory_communes(&text, &territory)?;
            let mut conn = store.reader().await?;
            let cpts_id = match cpts {
                Some(id) => id,
                None => store::first_cpts(&mut conn).await?.context("no CPTS yet: relais create-cpts first")?.0,
            };
            drop(conn);
            let done = server::communes::import(&store, cpts_id, &communes, chrono::Utc::now()).await?;
            println!("{} communes added, {} already there", done.added, done.kept);
        }
        Command::VapidKey => {
            let keys = app::push::VapidKeys::generate();
            println!("RELAIS_VAPID_PRIVATE_KEY={}", keys.private_key());
            println!("public key (applicationServerKey): {}", keys.public);
        }
        Command::Serve(args) => serve(&cli.database_url, *args).await?,
        Command::Backup { to } => {
            let bytes = server::backup::backup(&cli.database_url, &to).await?;
            println!("backup written: {} ({bytes} bytes)", to.display());
        }
        Command::Restore { from, replace } => {
            let r = server::backup::restore(&from, &cli.database_url, replace).await?;
            if let Some(kept) = &r.kept {
                println!("the database that was there is kept as {}", kept.display());
            }
            println!(
                "restored: {} requests ({} accepted), {} vacations, {} audit rows",
                r.requests, r.accepted, r.vacations, r.audit_rows
            );
            if let Some(broken) = r.broken {
                eprintln!("audit trail broken at {broken}");
                std::process::exit(1);
            }
            println!("audit trail intact");
        }
        Command::Audit { action: AuditAction::Verify } => {
            let store = Store::open(&cli.database_url).await?;
            let mut conn = store.reader().await?;
            let verified = app::platform::audit::verify(&mut conn).await?;
            match verified.broken {
                None => println!("audit trail intact: {} rows in {} chains", verified.rows, verified.chains),
                Some(b) => {
                    let cpts = b.cpts_id.map_or_else(|| "none".to_string(), |c| c.to_string());
                    eprintln!("audit trail broken at row {} (CPTS {cpts}): {}", b.id, b.why);
                    std::process::exit(1);
                }
            }
        }
    }
    Ok(())
}
