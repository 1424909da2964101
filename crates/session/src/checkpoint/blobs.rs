//! The content-addressed blob store: one file per distinct content, named by its SHA-256.

use super::CheckpointError;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The SHA-256 of `bytes`, as 64 lower-case hex digits: a blob's name and a file's identity.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Blobs under `<checkpoints>/blobs/`. A blob is written once (to a temporary name, then renamed, so a
/// reader never sees half of one) and never changed: the same content saved twice costs one file.
#[derive(Debug, Clone)]
pub struct BlobStore {
    dir: PathBuf,
}

impl BlobStore {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    fn path(&self, hash: &str) -> PathBuf {
        self.dir.join(hash)
    }

    /// Save `bytes` and return their hash; content already saved is not written again.
    pub fn put(&self, bytes: &[u8]) -> Result<String, CheckpointError> {
        let hash = content_hash(bytes);
        let path = self.path(&hash);
        if path.is_file() {
            return Ok(hash);
        }
        std::fs::create_dir_all(&self.dir)
            .map_err(|source| CheckpointError::Write { path: self.dir.clone(), source })?;
        let partial = self.dir.join(format!(".{hash}.partial"));
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&partial)?;
            file.write_all(bytes)?;
            std::fs::rename(&partial, &path)
        };
        write().map_err(|source| CheckpointError::Write { path: path.clone(), source })?;
        Ok(hash)
    }

    /// The content saved under `hash`, checked against it: a blob that is gone or whose bytes no longer
    /// hash to its name (a disk fault, a hand edit) is an error, never restored.
    pub fn get(&self, hash: &str) -> Result<Vec<u8>, CheckpointError> {
        let path = self.path(hash);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(CheckpointError::MissingBlob { path });
            }
            Err(source) => return Err(CheckpointError::Read { path, source }),
        };
        if content_hash(&bytes) != hash {
            return Err(CheckpointError::CorruptBlob { path });
        }
        Ok(bytes)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
