//! The service's settings, from flags or environment variables, with safe defaults: with none
//! given it runs on loopback with a database under `./data`.

use std::net::SocketAddr;
use std::path::PathBuf;

/// What `--help` prints.
pub const HELP: &str = "\
palisade-notes: the reference backend of palisade, a multi-user notes service

USAGE:
    palisade-notes [OPTIONS]

OPTIONS (each also read from the environment variable shown):
    --listen ADDR            address to listen on [PALISADE_NOTES_LISTEN, default 127.0.0.1:8080]
    --data-dir DIR           folder of the database [PALISADE_NOTES_DATA_DIR, default ./data]
    --database FILE          SQLite database file [PALISADE_NOTES_DATABASE, default DIR/notes.db]
    --jwt-key-file FILE      file holding the HS256 signing key, at least 32 bytes
                             [PALISADE_NOTES_JWT_KEY_FILE; or the key itself in PALISADE_NOTES_JWT_KEY];
                             without one, a key is generated for this run only
    --redis URL              Redis for sessions and login throttling across instances
                             [PALISADE_NOTES_REDIS; default: in memory]
    --trusted-proxy IP       a load balancer whose X-Forwarded-For names the client, for the
                             login throttle; repeatable [PALISADE_NOTES_TRUSTED_PROXIES, comma-separated]
    --json-logs              logs as JSON lines [PALISADE_NOTES_JSON_LOGS=1]
    --insecure-http-for-local-development
                             session cookies without `Secure` (debug builds only)
    --security-report FORMAT print the routes and who may call them (markdown or json), and exit
    --help                   print this and exit
";

/// Where the JWT signing key comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwtKey {
    /// A key file.
    File(PathBuf),
    /// The key itself, from the environment.
    Inline(Vec<u8>),
    /// Generated for this run.
    Generated,
}

/// The settings.
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database: PathBuf,
    pub jwt_key: JwtKey,
    pub redis: Option<String>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub json_logs: bool,
    pub insecure_http: bool,
    pub security_report: Option<String>,
}

/// What the command line asked for.
pub enum Command {
    /// Run with these settings.
    Run(Box<Config>),
    /// Print the help.
    Help,
}

/// The settings from `args` (without the program name) and `env`.
///
/// # Errors
///
/// An unknown flag, a flag without its value, an address that does not parse.
pub fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Command, String> {
    let mut listen = env("PALISADE_NOTES_LISTEN");
    let mut data_dir = env("PALISADE_NOTES_DATA_DIR");
    let mut database = env("PALISADE_NOTES_DATABASE");
    let mut key_file = env("PALISADE_NOTES_JWT_KEY_FILE");
    let inline_key = env("PALISADE_NOTES_JWT_KEY");
    let mut redis = env("PALISADE_NOTES_REDIS").filter(|url| !url.is_empty());
    let mut proxies: Vec<String> = env("PALISADE_NOTES_TRUSTED_PROXIES")
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|entry| !entry.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut json_logs = env("PALISADE_NOTES_JSON_LOGS").is_some_and(|value| value == "1");
    let mut insecure_http = false;
    let mut security_report = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value: see --help"))
        };
        match arg.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--listen" => listen = Some(value("--listen")?),
            "--data-dir" => data_dir = Some(value("--data-dir")?),
            "--database" => database = Some(value("--database")?),
            "--jwt-key-file" => key_file = Some(value("--jwt-key-file")?),
            "--redis" => redis = Some(value("--redis")?),
            "--trusted-proxy" => proxies.push(value("--trusted-proxy")?),
            "--json-logs" => json_logs = true,
            "--insecure-http-for-local-development" => insecure_http = true,
            "--security-report" => {
                let format = value("--security-report")?;
                if format != "markdown" && format != "json" {
                    return Err(format!(
                        "--security-report takes `markdown` or `json`, not {format:?}"
                    ));
                }
                security_report = Some(format);
            }
            other => return Err(format!("unknown option {other:?}: see --help")),
        }
    }
    let listen: SocketAddr = listen
        .as_deref()
        .unwrap_or("127.0.0.1:8080")
        .parse()
        .map_err(|_| "--listen takes an address such as 127.0.0.1:8080".to_owned())?;
    let trusted_proxies = proxies
        .iter()
        .map(|proxy| {
            proxy
                .parse()
                .map_err(|_| format!("--trusted-proxy takes an IP address, not {proxy:?}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let data_dir = PathBuf::from(data_dir.unwrap_or_else(|| "data".to_owned()));
    let database = database.map_or_else(|| data_dir.join("notes.db"), PathBuf::from);
    let jwt_key = match (key_file, inline_key) {
        (Some(file), _) => JwtKey::File(PathBuf::from(file)),
        (None, Some(key)) => JwtKey::Inline(key.into_bytes()),
        (None, None) => JwtKey::Generated,
    };
    Ok(Command::Run(Box::new(Config {
        listen,
        data_dir,
        database,
        jwt_key,
        redis,
        trusted_proxies,
        json_logs,
        insecure_http,
        security_report,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str], env: &[(&str, &str)]) -> Result<Config, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        match parse(args.iter().map(|a| (*a).to_owned()), |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })? {
            Command::Run(config) => Ok(*config),
            Command::Help => Err("help".to_owned()),
        }
    }

    #[test]
    fn defaults_are_loopback_and_a_local_data_folder() {
        let config = run(&[], &[]).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database, PathBuf::from("data/notes.db"));
        assert_eq!(config.jwt_key, JwtKey::Generated);
        assert_eq!(config.redis, None);
    }

    #[test]
    fn flags_win_over_the_environment() {
        let config = run(
            &[
                "--listen",
                "127.0.0.1:9000",
                "--redis",
                "redis://127.0.0.1:1/",
            ],
            &[
                ("PALISADE_NOTES_LISTEN", "127.0.0.1:7000"),
                ("PALISADE_NOTES_JWT_KEY", "k"),
            ],
        )
        .unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:9000");
        assert_eq!(config.redis.as_deref(), Some("redis://127.0.0.1:1/"));
        assert_eq!(config.jwt_key, JwtKey::Inline(b"k".to_vec()));
        let config = run(
            &["--trusted-proxy", "10.0.0.3"],
            &[("PALISADE_NOTES_TRUSTED_PROXIES", "10.0.0.1, 10.0.0.2")],
        )
        .unwrap();
        assert_eq!(config.trusted_proxies.len(), 3);
    }

    #[test]
    fn mistakes_are_named() {
        assert!(
            run(&["--listen"], &[])
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            run(&["--port", "1"], &[])
                .unwrap_err()
                .contains("unknown option")
        );
        assert!(
            run(&["--listen", "localhost"], &[])
                .unwrap_err()
                .contains("address")
        );
        assert!(
            run(&["--security-report", "pdf"], &[])
                .unwrap_err()
                .contains("markdown")
        );
        assert_eq!(run(&["--help"], &[]).unwrap_err(), "help");
    }
}
