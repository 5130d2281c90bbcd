//! The PDF: LibreOffice (`soffice --headless --convert-to pdf`) typesets the
//! DOCX rendering, so the PDF shows exactly the pages the office edits and
//! signs, with the fonts subset (a one-page permit is far below the 1.5 MB an
//! e-mail takes) and the title of the DOCX as the PDF's title.
//!
//! One conversion runs at a time per server (LibreOffice's profile is not
//! shared between processes), in a profile folder of its own; the PDF of a
//! given DOCX is kept in memory, so printing the same permit again is instant.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

/// How long one conversion may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Why there is no PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "making PDFs needs LibreOffice (soffice), which is not installed on the server: install Debian's libreoffice-writer-nogui (make deps does), or use the DOCX or the print view"
    )]
    NoLibreOffice,
    #[error("LibreOffice could not convert the document: {0}")]
    Failed(String),
}

/// Converts DOCX to PDF with LibreOffice.
#[derive(Clone)]
pub struct Converter {
    inner: Arc<Inner>,
}

struct Inner {
    program: Option<PathBuf>,
    /// The LibreOffice profile and work folder of this server.
    work: PathBuf,
    /// One conversion at a time.
    running: Mutex<()>,
    /// PDFs by the SHA-256 of their DOCX.
    cache: moka::future::Cache<[u8; 32], Arc<Vec<u8>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.work);
    }
}

impl Default for Converter {
    fn default() -> Self {
        Self::new()
    }
}

impl Converter {
    /// A converter using the `soffice` found on the `PATH` (or Debian's place).
    pub fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let work = std::env::temp_dir().join(format!(
            "hatang-soffice-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        Self {
            inner: Arc::new(Inner {
                program: find_soffice(),
                work,
                running: Mutex::new(()),
                cache: moka::future::Cache::builder()
                    .max_capacity(64 * 1024 * 1024)
                    .weigher(|_, pdf: &Arc<Vec<u8>>| pdf.len().try_into().unwrap_or(u32::MAX))
                    .build(),
            }),
        }
    }

    /// Whether PDFs can be made here.
    pub fn available(&self) -> bool {
        self.inner.program.is_some()
    }

    /// The PDF of `docx`.
    pub async fn convert(&self, docx: &[u8]) -> Result<Arc<Vec<u8>>, PdfError> {
        let program = self.inner.program.clone().ok_or(PdfError::NoLibreOffice)?;
        let key: [u8; 32] = Sha256::digest(docx).into();
        if let Some(pdf) = self.inner.cache.get(&key).await {
            return Ok(pdf);
        }
        let _turn = self.inner.running.lock().await;
        if let Some(pdf) = self.inner.cache.get(&key).await {
            return Ok(pdf);
        }
        let pdf = Arc::new(run(&program, &self.inner.work, docx).await?);
        self.inner.cache.insert(key, pdf.clone()).await;
        Ok(pdf)
    }
}

fn find_soffice() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("soffice"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([PathBuf::from("/usr/lib/libreoffice/program/soffice")])
        .find(|p| p.is_file())
}

async fn run(program: &Path, work: &Path, docx: &[u8]) -> Result<Vec<u8>, PdfError> {
    let failed = |what: &str, e: std::io::Error| PdfError::Failed(format!("{what}: {e}"));
    let profile = work.join("profile");
    let job = work.join("job");
    tokio::fs::create_dir_all(&job)
        .await
        .map_err(|e| failed("work folder", e))?;
    let input = job.join("document.docx");
    let output = job.join("document.pdf");
    let _ = tokio::fs::remove_file(&output).await;
    tokio::fs::write(&input, docx)
        .await
        .map_err(|e| failed("writing the DOCX", e))?;
    let mut command = tokio::process::Command::new(program);
    command
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
        ])
        .arg(&job)
        .arg(&input)
        .env("HOME", work)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let finished = tokio::time::timeout(TIMEOUT, command.output())
        .await
        .map_err(|_| PdfError::Failed(format!("no answer within {} s", TIMEOUT.as_secs())))?
        .map_err(|e| failed("starting soffice", e))?;
    match tokio::fs::read(&output).await {
        Ok(pdf) if pdf.starts_with(b"%PDF") => Ok(pdf),
        _ => Err(PdfError::Failed(format!(
            "{}; {}",
            finished.status,
            String::from_utf8_lossy(&finished.stderr).trim()
        ))),
    }
}
