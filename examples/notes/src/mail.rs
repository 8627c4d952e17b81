//! The outbox: mail to account owners, written as `.eml` files into `outbox/` in the data
//! folder (lettre's file transport), where a relay or an operator picks them up. A registration
//! answers alike whether its address is new or taken; the difference goes to the mailbox, which
//! only its owner reads.

use std::path::{Path, PathBuf};

use lettre::message::Mailbox;
use lettre::{FileTransport, Message, Transport as _};

/// Where the service's mail goes.
#[derive(Clone)]
pub struct Outbox {
    folder: PathBuf,
    from: Mailbox,
}

impl Outbox {
    /// The outbox in `data`/`outbox`, made if missing.
    pub fn open(data: &Path) -> std::io::Result<Self> {
        let folder = data.join("outbox");
        std::fs::create_dir_all(&folder)?;
        let from = "palisade-notes <no-reply@notes.localhost>"
            .parse()
            .expect("a fixed, valid mailbox");
        Ok(Self { folder, from })
    }

    /// Sends `body` to `to` under `subject`, off the async threads. A failure is logged and
    /// not answered: the answer to the request must not depend on the mailbox.
    pub async fn send(&self, to: &str, subject: &'static str, body: String) {
        let outbox = self.clone();
        let to = to.to_owned();
        let sent = tokio::task::spawn_blocking(move || outbox.write(&to, subject, body)).await;
        match sent {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, subject, "mail not written"),
            Err(error) => tracing::warn!(%error, subject, "mail task failed"),
        }
    }

    fn write(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|error| format!("address: {error}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .body(body)
            .map_err(|error| format!("message: {error}"))?;
        FileTransport::new(&self.folder)
            .send(&message)
            .map(|_| ())
            .map_err(|error| format!("file: {error}"))
    }
}
