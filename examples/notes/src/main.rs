//! palisade-notes: the reference backend of palisade. A multi-user notes service on embedded
//! `SQLite`, where every route decides who may call it, every input is validated, every secret
//! is redacted and every error leaks nothing. `palisade-notes --help` lists its settings.

#![forbid(unsafe_code)]

mod api;
mod config;
mod db;
mod mail;

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use palisade::csp;
use palisade::jwt::{Algorithm, JwtSettings};
use palisade::layers::SecureDefaults;
use palisade::password::{Hasher, Password};
use palisade::session::{
    AccountKey, LoginThrottle, MemoryStore, RedisStore, SessionSettings, Store,
};

use config::{Command, Config, JwtKey};

/// The `iss` of the tokens this service issues and accepts.
pub const ISSUER: &str = "palisade-notes";
/// Their `aud`.
pub const AUDIENCE: &str = "palisade-notes-api";
/// The first admin's email.
pub const ADMIN_EMAIL: &str = "admin@notes.localhost";

fn main() -> ExitCode {
    let command = config::parse(std::env::args().skip(1), |name| std::env::var(name).ok());
    let config = match command {
        Ok(Command::Help) => {
            print!("{}", config::HELP);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run(config)) => *config,
        Err(message) => {
            eprintln!("palisade-notes: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some(format) = &config.security_report {
        let report = api::router().route_report();
        if format == "json" {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        } else {
            println!("# palisade-notes: routes and who may call them\n\n{report}");
        }
        return ExitCode::SUCCESS;
    }
    logging(config.json_logs);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("palisade-notes: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("palisade-notes: {message}");
            ExitCode::FAILURE
        }
    }
}

fn logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PALISADE_NOTES_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.with_ansi(false).init();
    }
}

/// The login throttle's account key, derived from the signing key under its own label, so
/// that instances sharing the signing key count logins alike and neither key is the other.
fn account_key(signing_key: &[u8]) -> AccountKey {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(signing_key).expect("any key length");
    mac.update(b"palisade-notes login throttle account key");
    AccountKey::from_bytes(&mac.finalize().into_bytes()).expect("32 bytes")
}

/// The signing key: given, or made for this run.
fn jwt_key(config: &Config) -> Result<Vec<u8>, String> {
    match &config.jwt_key {
        JwtKey::File(path) => std::fs::read(path)
            .map(|mut key| {
                while key.last().is_some_and(u8::is_ascii_whitespace) {
                    key.pop();
                }
                key
            })
            .map_err(|error| format!("cannot read the JWT key file {}: {error}", path.display())),
        JwtKey::Inline(key) => Ok(key.clone()),
        JwtKey::Generated => {
            let mut key = vec![0u8; 32];
            getrandom::fill(&mut key)
                .map_err(|_| "the operating system's random source failed".to_owned())?;
            tracing::warn!(
                "no JWT key given (--jwt-key-file or PALISADE_NOTES_JWT_KEY): generated one for this run, so bearer tokens will not survive a restart"
            );
            Ok(key)
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    std::fs::create_dir_all(&config.data_dir).map_err(|error| {
        format!(
            "cannot create the data folder {}: {error}",
            config.data_dir.display()
        )
    })?;
    let db = db::Db::open(&config.database).map_err(|error| {
        format!(
            "cannot open the database {}: {error}",
            config.database.display()
        )
    })?;
    let key = jwt_key(&config)?;
    let jwt = JwtSettings::builder()
        .hmac(Algorithm::HS256, "notes-1", &key)
        .issuer(ISSUER)
        .audience(AUDIENCE)
        // Access tokens only (RFC 9068): a token of another type under the same key is refused.
        .token_type("at+jwt")
        .build()
        .map_err(|error| format!("refusing to start: {error}"))?;
    let store: Arc<dyn Store> = match &config.redis {
        Some(url) => Arc::new(
            RedisStore::connect(url)
                .await
                .map_err(|error| format!("refusing to start: {error}"))?,
        ),
        None => Arc::new(MemoryStore::new()),
    };
    let mut sessions = SessionSettings::builder().shared_store(store.clone());
    if config.insecure_http {
        sessions = sessions.insecure_http_for_local_development();
    }
    for proxy in &config.trusted_proxies {
        sessions = sessions.trusted_proxy(*proxy);
    }
    let sessions = sessions
        .build()
        .map_err(|error| format!("refusing to start: {error}"))?;
    let outbox = mail::Outbox::open(&config.data_dir).map_err(|error| {
        format!(
            "cannot create the outbox in {}: {error}",
            config.data_dir.display()
        )
    })?;
    let state = api::AppState {
        db: db.clone(),
        jwt: Arc::new(jwt),
        sessions,
        throttle: LoginThrottle::new(store.clone(), account_key(&key)),
        store,
        hasher: Hasher::default(),
        hashing: Arc::new(tokio::sync::Semaphore::new(api::CONCURRENT_HASHES)),
        outbox,
    };
    first_admin(&db, &state.hasher).await?;

    let defaults = SecureDefaults::new().csp(csp!(
        "default-src 'none'; script-src 'nonce'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ));
    let app = api::router()
        .defaults(defaults)
        .with_state(state)
        .into_make_service_with_connect_info();
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", config.listen))?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("no local address: {error}"))?;
    tracing::info!(%address, database = %config.database.display(), redis = config.redis.is_some(), "palisade-notes listening");
    // The tests read this line to find the port.
    println!("listening on http://{address}");
    let _ = std::io::stdout().flush();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|error| format!("the server stopped: {error}"))
}

/// The first start makes an admin account and prints its password once, on standard output,
/// never in the log.
async fn first_admin(db: &db::Db, hasher: &Hasher) -> Result<(), String> {
    if db
        .has_admin()
        .await
        .map_err(|error| format!("cannot read the accounts: {error}"))?
    {
        return Ok(());
    }
    let mut bytes = [0u8; 18];
    getrandom::fill(&mut bytes)
        .map_err(|_| "the operating system's random source failed".to_owned())?;
    let password: String = bytes
        .iter()
        .map(|byte| {
            char::from(
                b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"[usize::from(*byte) % 55],
            )
        })
        .collect();
    let hasher = hasher.clone();
    let phc = {
        let password = Password::from(password.as_str());
        tokio::task::spawn_blocking(move || hasher.hash(&password))
            .await
            .map_err(|_| "the hashing task failed".to_owned())?
            .map_err(|error| format!("cannot hash the admin password: {error}"))?
    };
    let created = db
        .create_user(
            ADMIN_EMAIL.to_owned(),
            phc.as_phc().to_owned(),
            "Administrator".to_owned(),
            "admin",
        )
        .await
        .map_err(|error| format!("cannot create the admin account: {error}"))?;
    if created.is_none() {
        // Another instance on the same database made it a moment ago.
        tracing::info!(email = ADMIN_EMAIL, "the admin account exists");
        return Ok(());
    }
    tracing::info!(
        email = ADMIN_EMAIL,
        "first start: admin account created; its password is printed once on standard output"
    );
    println!("admin account: {ADMIN_EMAIL} password: {password} (shown once; keep it safe)");
    Ok(())
}
