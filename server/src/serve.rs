//! `relais serve`: its options and the server they start.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::dispatch::rules::WavePolicy;
use app::platform::clock::SystemClock;
use app::platform::Settings;
use clap::Args;

#[derive(Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "RELAIS_BIND", default_value = "127.0.0.1:3000")]
    bind: SocketAddr,
    /// Secret key for session tokens (at least 32 characters). Required unless --demo.
    #[arg(long, env = "RELAIS_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// Demo mode: seed the demo CPTS if the database is empty, list the demo accounts on the
    /// login page, and allow a built-in secret key.
    #[arg(long, env = "RELAIS_DEMO")]
    demo: bool,
    /// Mark session cookies `Secure` (serve over HTTPS, directly or behind a proxy).
    #[arg(long, env = "RELAIS_SECURE_COOKIES")]
    secure_cookies: bool,
    /// SMTP server for reminders and notices, e.g. `smtp://127.0.0.1:2525` or
    /// `smtps://user:password@smtp.example.org`. Without it, e-mails are logged, not sent.
    #[arg(long, env = "RELAIS_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// Sender of the e-mails.
    #[arg(long, env = "RELAIS_MAIL_FROM", default_value = "Relais <relais@localhost>")]
    mail_from: String,
    /// HTTP SMS gateway: the URL, `{to}` (the mobile number, +33…) and `{text}` standing for the
    /// message, e.g. `https://sms.example/send?to={to}&text={text}`. Without it, SMS are logged.
    #[arg(long, env = "RELAIS_SMS_URL", hide_env_values = true)]
    sms_url: Option<String>,
    /// A JSON body for the gateway (then a POST), with `{to}` and `{text}`, e.g.
    /// `{"to":"{to}","message":"{text}"}`. Without it, a GET of the URL.
    #[arg(long, env = "RELAIS_SMS_BODY")]
    sms_body: Option<String>,
    /// The gateway's account (HTTP basic authentication), with RELAIS_SMS_PASSWORD.
    #[arg(long, env = "RELAIS_SMS_USER")]
    sms_user: Option<String>,
    #[arg(long, env = "RELAIS_SMS_PASSWORD", hide_env_values = true)]
    sms_password: Option<String>,
    /// Or the gateway's bearer token.
    #[arg(long, env = "RELAIS_SMS_TOKEN", hide_env_values = true)]
    sms_token: Option<String>,
    /// Served behind a reverse proxy: read the client's address (for the login rate limit and
    /// the audit trail) from the last `X-Forwarded-For` hop. Without it the header is ignored.
    #[arg(long, env = "RELAIS_BEHIND_PROXY")]
    behind_proxy: bool,
    /// The address members open, e.g. `https://relais.cpts-exemple.fr`: state-changing requests
    /// must come from its pages (without it, from the host they were sent to), and over https
    /// browsers are told to keep using https (HSTS).
    #[arg(long, env = "RELAIS_PUBLIC_URL")]
    public_url: Option<String>,
    /// Pro Santé Connect's issuer (e.g. https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet),
    /// with RELAIS_PSC_CLIENT_ID and RELAIS_PSC_CLIENT_SECRET: the login page then offers it.
    /// Declare <public URL>/auth/psc/retour to PSC as the redirect URI.
    #[arg(long, env = "RELAIS_PSC_ISSUER", requires_all = ["psc_client_id", "psc_client_secret"])]
    psc_issuer: Option<String>,
    #[arg(long, env = "RELAIS_PSC_CLIENT_ID")]
    psc_client_id: Option<String>,
    #[arg(long, env = "RELAIS_PSC_CLIENT_SECRET", hide_env_values = true)]
    psc_client_secret: Option<String>,
    /// Hours a session lasts at most after logging in.
    #[arg(long, env = "RELAIS_SESSION_HOURS", default_value_t = 12, value_parser = clap::value_parser!(i64).range(1..=720))]
    session_hours: i64,
    /// Minutes a session lasts unused (then the member logs in again).
    #[arg(long, env = "RELAIS_SESSION_IDLE_MINUTES", default_value_t = 480, value_parser = clap::value_parser!(i64).range(5..=43200))]
    session_idle_minutes: i64,
    /// Days a closed request keeps its patient's name, callback phone and note; then they are
    /// erased (the request itself stays, for the indicators).
    #[arg(long, env = "RELAIS_RETENTION_DAYS", default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..=3650))]
    retention_days: i64,
    /// Start the clock at this instant (RFC 3339), then let it run: to demonstrate dispatch
    /// outside opening hours. Never in production.
    #[arg(long, env = "RELAIS_CLOCK_START")]
    clock_start: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Minutes the treating doctor alone is asked (wave 0).
    #[arg(long, env = "RELAIS_WAVE0_MINUTES", default_value_t = 10)]
    wave0_minutes: i64,
    /// Minutes of each wider wave, comma-separated (wave 1, wave 2, …).
    #[arg(long, env = "RELAIS_WAVE_MINUTES", default_value = "10,20", value_delimiter = ',')]
    wave_minutes: Vec<i64>,
    /// Radius of each wider wave in km, comma-separated.
    #[arg(long, env = "RELAIS_WAVE_RADII_KM", default_value = "10,25", value_delimiter = ',')]
    wave_radii_km: Vec<f64>,
    /// Seconds between two runs of the escalation job.
    #[arg(long, env = "RELAIS_TICK_SECONDS", default_value_t = 15)]
    tick_seconds: u64,
    /// Login failures allowed per account, then per IP address, in 15 minutes.
    #[arg(long, env = "RELAIS_MAX_LOGIN_FAILURES", default_value_t = 5)]
    max_login_failures: i64,
    #[arg(long, env = "RELAIS_MAX_LOGIN_FAILURES_PER_IP", default_value_t = 30)]
    max_login_failures_per_ip: i64,
    /// When reminders go out, in minutes before each vacation, comma-separated (default: the
    /// day before and an hour before).
    #[arg(long, env = "RELAIS_REMINDER_MINUTES", default_value = "1440,60", value_delimiter = ',')]
    reminder_minutes: Vec<i64>,
    /// VAPID private key (base64url, P-256) signing Web Push messages, as `relais vapid-key`
    /// prints. Without it, a key is made on first start and kept in the database.
    #[arg(long, env = "RELAIS_VAPID_PRIVATE_KEY", hide_env_values = true)]
    vapid_private_key: Option<String>,
    /// Contact of the operator given to push services in VAPID tokens (`mailto:` or `https:`).
    #[arg(long, env = "RELAIS_PUSH_SUBJECT", default_value = "mailto:relais@localhost")]
    push_subject: String,
    /// Push services a subscription may point to (host names, or suffixes starting with a dot),
    /// comma-separated; `any` for every `https` host. Default: those of Chrome, Firefox,
    /// Safari and Edge.
    #[arg(long, env = "RELAIS_PUSH_HOSTS", value_delimiter = ',')]
    push_hosts: Vec<String>,
    /// Also accept push services on this machine over plain http (tests and benchmarks only).
    #[arg(long, env = "RELAIS_PUSH_ALLOW_LOOPBACK")]
    push_allow_loopback: bool,
    /// Minutes after an accepted cession or échange during which either side may ask to undo it.
    #[arg(long, env = "RELAIS_UNDO_GRACE_MINUTES", default_value_t = 60)]
    undo_grace_minutes: i64,
    /// The video room of a pharmacy teleconsultation, `{room}` standing for its unguessable name.
    #[arg(long, env = "RELAIS_TELECONSULT_URL", default_value = app::teleconsult::rules::DEFAULT_ROOM_URL)]
    teleconsult_url: String,
    /// Shared secret of the Jitsi Meet server's JWT authentication: with it, each room link
    /// carries a short-lived token (room, nbf/exp, the user's name).
    #[arg(long, env = "RELAIS_JITSI_JWT_SECRET", hide_env_values = true)]
    jitsi_jwt_secret: Option<String>,
    /// The application id (`iss`) of those tokens.
    #[arg(long, env = "RELAIS_JITSI_APP_ID", default_value = "relais")]
    jitsi_app_id: String,
    /// Minutes of a teleconsultation's two waves: the doctors near the pharmacy, then every
    /// available teleconsulting doctor of the CPTS.
    #[arg(long, env = "RELAIS_TELECONSULT_WAVE_MINUTES", default_value = "5,10", value_delimiter = ',')]
    teleconsult_wave_minutes: Vec<i64>,
    /// Radius of a teleconsultation's first wave around the pharmacy, in km.
    #[arg(long, env = "RELAIS_TELECONSULT_RADIUS_KM", default_value_t = 10.0)]
    teleconsult_radius_km: f64,
    /// Minutes the room link works after a doctor accepts.
    #[arg(long, env = "RELAIS_TELECONSULT_LINK_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=240))]
    teleconsult_link_minutes: i64,
    /// Who may read /metrics without a token: these addresses (comma-separated), connecting
    /// directly, not through a proxy.
    #[arg(long, env = "RELAIS_METRICS_FROM", default_value = "127.0.0.1,::1", value_delimiter = ',')]
    metrics_from: Vec<std::net::IpAddr>,
    /// A bearer token that also opens /metrics (`Authorization: Bearer …`), from anywhere.
    #[arg(long, env = "RELAIS_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// After SIGTERM, seconds during which the server still takes connections while /readyz
    /// already answers 503 (so that the load balancer stops sending first).
    #[arg(long, env = "RELAIS_DRAIN_SECONDS", default_value_t = 5)]
    drain_seconds: u64,
    /// After the grace, seconds given to the requests in flight and the jobs' round before the
    /// process exits anyway.
    #[arg(long, env = "RELAIS_SHUTDOWN_SECONDS", default_value_t = 30)]
    shutdown_seconds: u64,
}

/// How pharmacy teleconsultations run, from the command line.
fn teleconsult_settings(args: &ServeArgs) -> anyhow::Result<app::teleconsult::TeleconsultSettings> {
    use app::teleconsult::rules::{check_template, counter_waves, JitsiAuth, TemplateError};
    match check_template(&args.teleconsult_url) {
        Ok(()) => {}
        Err(TemplateError::NotHttp) => anyhow::bail!("--teleconsult-url must be an http(s) URL"),
        Err(TemplateError::NoRoom) => anyhow::bail!("--teleconsult-url must hold {{room}} once"),
    }
    let minutes = &args.teleconsult_wave_minutes;
    anyhow::ensure!(minutes.len() == 2, "--teleconsult-wave-minutes: two durations, e.g. 5,10");
    anyhow::ensure!(minutes.iter().all(|m| (1..=120).contains(m)), "--teleconsult-wave-minutes: 1 to 120 each");
    anyhow::ensure!(args.teleconsult_radius_km > 0.0, "--teleconsult-radius-km must be positive");
    let jitsi = match &args.jitsi_jwt_secret {
        Some(s) if s.len() < 32 => anyhow::bail!("RELAIS_JITSI_JWT_SECRET must have at least 32 characters"),
        Some(s) => Some(JitsiAuth { app_id: args.jitsi_app_id.clone(), secret: s.clone() }),
        None => None,
    };
    let defaults = app::teleconsult::TeleconsultSettings::default();
    Ok(app::teleconsult::TeleconsultSettings {
        waves: counter_waves(
            chrono::Duration::minutes(minutes[0]),
            chrono::Duration::minutes(minutes[1]),
            args.teleconsult_radius_km,
        ),
        link_validity: chrono::Duration::minutes(args.teleconsult_link_minutes),
        room_url: args.teleconsult_url.clone(),
        jitsi,
        ..defaults
    })
}

/// The SMS gateway configured, or the logging sender.
fn sms_sender(args: &ServeArgs) -> anyhow::Result<Arc<dyn app::platform::mail::SmsSender>> {
    use app::platform::mail::{HttpSms, LogSms, SmsCredentials, SmsGateway};
    let Some(url) = &args.sms_url else { return Ok(Arc::new(LogSms)) };
    let credentials = match (&args.sms_user, &args.sms_password, &args.sms_token) {
        (Some(user), Some(password), None) => SmsCredentials::Basic { user: user.clone(), password: password.clone() },
        (None, None, Some(token)) => SmsCredentials::Bearer(token.clone()),
        (None, None, None) => SmsCredentials::None,
        _ => anyhow::bail!("SMS gateway: give RELAIS_SMS_USER with RELAIS_SMS_PASSWORD, or RELAIS_SMS_TOKEN"),
    };
    let gateway = SmsGateway { url_template: url.clone(), body_template: args.sms_body.clone(), credentials };
    gateway.check().map_err(|e| anyhow::anyhow!("SMS gateway: {e}"))?;
    Ok(Arc::new(HttpSms::new(gateway)))
}

pub async fn serve(url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let secret_key = match (&args.secret_key, args.demo) {
        (Some(k), _) if k.len() >= 32 => k.as_bytes().to_vec(),
        (Some(_), _) => anyhow::bail!("RELAIS_SECRET_KEY must have at least 32 characters"),
        (None, true) => Settings::default().secret_key,
        (None, false) => anyhow::bail!("set RELAIS_SECRET_KEY (32+ characters), or run with --demo"),
    };
    let waves = WavePolicy {
        treating_timeout: chrono::Duration::minutes(args.wave0_minutes),
        wave_timeouts: args.wave_minutes.iter().map(|m| chrono::Duration::minutes(*m)).collect(),
        radii_km: args.wave_radii_km.clone(),
        ..WavePolicy::default()
    };
    anyhow::ensure!(!waves.wave_timeouts.is_empty(), "at least one wave is needed");
    let teleconsult = teleconsult_settings(&args)?;
    let settings = Settings {
        secret_key,
        secure_cookies: args.secure_cookies,
        behind_proxy: args.behind_proxy,
        public_origin: match &args.public_url {
            Some(url) => Some(app::platform::security::origin_of(url).ok_or_else(|| {
                anyhow::anyhow!("--public-url must be an http(s) URL, e.g. https://relais.example.org")
            })?),
            None => None,
        },
        retention_days: args.retention_days,
        psc: match (&args.psc_issuer, &args.psc_client_id, &args.psc_client_secret) {
            (Some(issuer), Some(id), Some(secret)) => Some(app::auth::psc::PscSettings {
                issuer: issuer.clone(),
                client_id: id.clone(),
                client_secret: app::platform::Secret(secret.clone()),
            }),
            _ => None,
        },
        session_hours: args.session_hours,
        session_idle_minutes: args.session_idle_minutes,
        demo_mode: args.demo,
        waves,
        teleconsult,
        max_failures_per_account: args.max_login_failures,
        max_failures_per_ip: args.max_login_failures_per_ip,
        undo_grace_minutes: args.undo_grace_minutes.max(0),
        reminder_minutes: args.reminder_minutes.iter().copied().filter(|m| *m > 0).collect(),
        vapid_private_key: args.vapid_private_key.clone().map(app::platform::Secret),
        push_subject: args.push_subject.clone(),
        push_services: {
            let mut services = app::push::PushServices::default();
            if args.push_hosts.iter().any(|h| h == "any") {
                services.hosts.clear();
            } else if !args.push_hosts.is_empty() {
                services.hosts = args.push_hosts.iter().map(|h| h.trim().to_string()).collect();
            }
            services.allow_loopback = args.push_allow_loopback;
            services
        },
        metrics_from: args.metrics_from.clone(),
        metrics_token: match &args.metrics_token {
            Some(t) if t.len() < 24 => anyhow::bail!("RELAIS_METRICS_TOKEN must have at least 24 characters"),
            t => t.clone().map(app::platform::Secret),
        },
        drain_grace: Duration::from_secs(args.drain_seconds),
        ..Settings::default()
    };
    let clock: Arc<dyn app::platform::Clock> = match args.clock_start {
        Some(start) => {
            tracing::warn!(%start, "the clock is shifted: demonstration only");
            Arc::new(SystemClock::starting_at(start.with_timezone(&chrono::Utc)))
        }
        None => Arc::new(SystemClock::default()),
    };
    let notifier = app::platform::mail::Notifier {
        mailer: app::platform::mail::Mailer::new(args.smtp_url.as_deref(), &args.mail_from)
            .map_err(|e| anyhow::anyhow!("SMTP configuration: {e}"))?,
        sms: sms_sender(&args)?,
    };
    let state = server::app_state_with(url, settings, clock, notifier).await.context("opening the database")?;
    if args.demo {
        let report = server::seed::seed_demo(&state.store, state.now(), 0).await?;
        if report.created {
            tracing::info!(members = report.members, "demo CPTS created");
        }
    }
    let mut leptos_options = leptos::prelude::get_configuration(None)?.leptos_options;
    leptos_options.site_addr = args.bind;
    // Serve the browser's files as they were built: hashed names when the build made them.
    let names = app::platform::assets::PkgNames::resolve(&leptos_options);
    leptos_options.hash_files = names.hashed;
    tracing::info!(js = %names.js, wasm = %names.wasm, css = %names.css, "browser files");
    app::platform::assets::install(names);
    let jobs = server::spawn_jobs(state.clone(), Duration::from_secs(args.tick_seconds.max(1)));
    let listener = tokio::net::TcpListener::bind(args.bind).await.with_context(|| format!("binding {}", args.bind))?;
    tracing::info!("Relais listening on http://{}", args.bind);
    tokio::spawn(server::operations::drain_on_signal(state.clone()));
    // One deadline from SIGTERM: the grace, then `shutdown_seconds` for the requests in flight,
    // the jobs' round and closing the database; past it the process exits anyway.
    let limit = Duration::from_secs(args.shutdown_seconds);
    let (stop_by_tx, stop_by) = tokio::sync::oneshot::channel();
    let deadline = {
        let drained = state.health.drained();
        let after = state.settings.drain_grace + limit;
        async move {
            drained.await;
            let at = tokio::time::Instant::now() + after;
            let _ = stop_by_tx.send(at);
            tokio::time::sleep_until(at).await;
        }
    };
    tokio::pin!(deadline);
    tokio::select! {
        served = server::serve(listener, leptos_options, state.clone()) => served?,
        () = &mut deadline => tracing::warn!("requests still open at the shutdown deadline: stopping anyway"),
    }
    let stop_by = stop_by.await.unwrap_or_else(|_| tokio::time::Instant::now() + limit);
    let left = stop_by.saturating_duration_since(tokio::time::Instant::now());
    if !jobs.finish(left).await {
        tracing::warn!("the background jobs did not finish their round by the shutdown deadline");
    }
    let left = stop_by.saturating_duration_since(tokio::time::Instant::now()).max(Duration::from_secs(1));
    if tokio::time::timeout(left, state.store.close()).await.is_err() {
        tracing::warn!("database connections still in use at the shutdown deadline");
    }
    tracing::info!("stopped");
    Ok(())
}
