//! The small file under `~/.claurst/` that remembers a user's id and what the companion was named.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;

use crate::card::CardDetails;
use crate::companion::Companion;

/// The version written into new files; files with a higher version are refused rather than clobbered.
pub const FORMAT_VERSION: u32 = 1;

/// Why the buddy file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum BuddyError {
    #[error("could not read the buddy file {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("could not write the buddy file {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("the buddy file {path} is not valid JSON ({source}); fix it or delete it to start over")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("the buddy file {path} has hatch date {value:?}; expected YYYY-MM-DD")]
    InvalidDate { path: PathBuf, value: String },
    #[error("the buddy file {path} has an empty user_id; set one or delete the file to start over")]
    EmptyUserId { path: PathBuf },
    #[error("the buddy file {path} has format version {version}, newer than this Claurst understands")]
    UnsupportedVersion { path: PathBuf, version: u32 },
}

/// What is remembered about a user's companion. The companion itself is re-hatched from the user id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuddyProfile {
    pub user_id: String,
    /// The name the model gave the companion, once it has.
    pub name: Option<String>,
    /// A one-line personality the model wrote, once it has.
    pub personality: Option<String>,
    pub hatched_on: Date,
}

impl BuddyProfile {
    /// A fresh profile with a random (UUID v4) user id.
    pub fn generate(hatched_on: Date) -> BuddyProfile {
        BuddyProfile { user_id: uuid::Uuid::new_v4().to_string(), name: None, personality: None, hatched_on }
    }

    /// The id to hatch from: `[buddy] user_id` when it is set and not blank, else the stored id.
    pub fn effective_user_id<'a>(&'a self, configured: Option<&'a str>) -> &'a str {
        configured.map(str::trim).filter(|id| !id.is_empty()).unwrap_or(&self.user_id)
    }

    /// What the card needs, falling back to the companion's deterministic name while none is stored.
    pub fn card_details<'a>(&'a self, companion: &'a Companion) -> CardDetails<'a> {
        CardDetails {
            name: self.name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or(companion.fallback_name()),
            personality: self.personality.as_deref(),
            hatched_on: self.hatched_on,
        }
    }
}

/// The file `buddy.json` in the Claurst home directory (normally `~/.claurst`).
#[derive(Debug, Clone)]
pub struct BuddyStore {
    path: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct StoredProfile {
    #[serde(default = "first_version")]
    version: u32,
    user_id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    personality: Option<String>,
    hatched_on: String,
}

fn first_version() -> u32 {
    1
}

impl BuddyStore {
    pub const FILE_NAME: &'static str = "buddy.json";

    pub fn new(claurst_home: impl AsRef<Path>) -> BuddyStore {
        BuddyStore { path: claurst_home.as_ref().join(Self::FILE_NAME) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored profile, or `None` when the file does not exist yet.
    pub fn load(&self) -> Result<Option<BuddyProfile>, BuddyError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(BuddyError::Read { path: self.path.clone(), source });
            }
        };
        let stored: StoredProfile = serde_json::from_str(&text)
            .map_err(|source| BuddyError::Parse { path: self.path.clone(), source })?;
        tracing::debug!(path = %self.path.display(), "companion profile loaded");
        self.decode(stored).map(Some)
    }

    /// Writes the profile, replacing the file in one step so a crash never leaves half a file.
    pub fn save(&self, profile: &BuddyProfile) -> Result<(), BuddyError> {
        let write_err = |source| BuddyError::Write { path: self.path.clone(), source };
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).map_err(write_err)?;
        }
        let stored = StoredProfile {
            version: FORMAT_VERSION,
            user_id: profile.user_id.clone(),
            name: profile.name.clone(),
            personality: profile.personality.clone(),
            hatched_on: format_date(profile.hatched_on),
        };
        let mut json = serde_json::to_string_pretty(&stored)
            .map_err(|source| BuddyError::Parse { path: self.path.clone(), source })?;
        json.push('\n');
        let temp = self.path.with_extension("json.tmp");
        fs::write(&temp, json).map_err(write_err)?;
        fs::rename(&temp, &self.path).map_err(write_err)
    }

    /// The stored profile, creating and saving a new one (random id, hatched `today`) on first use.
    pub fn load_or_create(&self, today: Date) -> Result<BuddyProfile, BuddyError> {
        if let Some(profile) = self.load()? {
            return Ok(profile);
        }
        let profile = BuddyProfile::generate(today);
        self.save(&profile)?;
        Ok(profile)
    }

    fn decode(&self, stored: StoredProfile) -> Result<BuddyProfile, BuddyError> {
        if stored.version > FORMAT_VERSION {
            return Err(BuddyError::UnsupportedVersion { path: self.path.clone(), version: stored.version });
        }
        if stored.user_id.trim().is_empty() {
            return Err(BuddyError::EmptyUserId { path: self.path.clone() });
        }
        let hatched_on = Date::parse(&stored.hatched_on, format_description!("[year]-[month]-[day]"))
            .map_err(|_| BuddyError::InvalidDate { path: self.path.clone(), value: stored.hatched_on })?;
        Ok(BuddyProfile {
            user_id: stored.user_id,
            name: stored.name,
            personality: stored.personality,
            hatched_on,
        })
    }
}

fn format_date(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]")).unwrap_or_else(|_| date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn first_use_creates_a_file_and_later_uses_read_it_back() {
        let home = tempfile::tempdir().unwrap();
        let store = BuddyStore::new(home.path().join(".claurst"));
        assert_eq!(store.load().unwrap(), None);
        let created = store.load_or_create(date!(2026 - 04 - 01)).unwrap();
        assert!(uuid::Uuid::parse_str(&created.user_id).is_ok());
        let again = store.load_or_create(date!(2030 - 01 - 01)).unwrap();
        assert_eq!(again, created, "a second start must not re-roll the id or the hatch date");
    }

    #[test]
    fn names_survive_a_round_trip_and_the_format_is_plain_json() {
        let home = tempfile::tempdir().unwrap();
        let store = BuddyStore::new(home.path());
        let mut profile = BuddyProfile::generate(date!(2026 - 04 - 01));
        profile.user_id = "user-7".into();
        profile.name = Some("Mossy".into());
        profile.personality = Some("Hums while you debug.".into());
        store.save(&profile).unwrap();
        assert_eq!(store.load().unwrap(), Some(profile));
        let text = fs::read_to_string(store.path()).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["version"], 1);
        assert_eq!(json["user_id"], "user-7");
        assert_eq!(json["hatched_on"], "2026-04-01");
    }

    #[test]
    fn bad_files_are_reported_not_overwritten() {
        let home = tempfile::tempdir().unwrap();
        let store = BuddyStore::new(home.path());
        let cases = [
            ("{ not json", "not valid JSON"),
            (r#"{"user_id": "u", "hatched_on": "April"}"#, "expected YYYY-MM-DD"),
            (r#"{"user_id": " ", "hatched_on": "2026-04-01"}"#, "empty user_id"),
            (r#"{"version": 9, "user_id": "u", "hatched_on": "2026-04-01"}"#, "newer"),
        ];
        for (content, message) in cases {
            fs::write(store.path(), content).unwrap();
            let err = store.load_or_create(date!(2026 - 04 - 01)).unwrap_err();
            assert!(err.to_string().contains(message), "{err}");
            assert_eq!(fs::read_to_string(store.path()).unwrap(), content);
        }
    }

    #[test]
    fn configured_user_id_wins_unless_blank() {
        let profile = BuddyProfile::generate(date!(2026 - 04 - 01));
        assert_eq!(profile.effective_user_id(Some(" alice ")), "alice");
        assert_eq!(profile.effective_user_id(Some("  ")), profile.user_id);
        assert_eq!(profile.effective_user_id(None), profile.user_id);
    }
}
