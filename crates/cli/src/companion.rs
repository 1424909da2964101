//! The buddy at start-up (feature `buddy`, interactive sessions only): load or create
//! `~/.claurst/buddy.json`, hatch the companion, and — the first time — ask the model for its name and
//! personality in the background, once the interface says the session is quiet.
//!
//! Naming is one tool-less request through the session's model client. When it fails (offline, no reply, an
//! answer in the wrong shape) the failure is logged and the companion keeps its fallback name; the next
//! session tries again.

use claurst_api::{MessagesRequest, ModelClient, StreamItem};
use claurst_buddy::{BuddyProfile, BuddyStore, Companion, StatKind};
use claurst_config::LoadedConfig;
use claurst_protocol::Message;
use claurst_tui::{CompanionOptions, NamingRequest, TuiOptions, naming_channel};
use std::time::Duration;

/// The whole naming request, connection included, must finish within this time.
const NAMING_TIME_LIMIT: Duration = Duration::from_secs(30);
/// Names longer than this are not names.
const MAX_NAME_CHARS: usize = 24;
/// The card wraps the personality; anything much longer is not one line.
const MAX_PERSONALITY_CHARS: usize = 120;

const NAMING_SYSTEM_PROMPT: &str =
    "You name the small companion creatures that live in the corner of Claurst, a terminal coding assistant.";

/// Puts the user's companion into the interface's options, unless `[buddy] enabled = false`. A damaged
/// buddy file becomes a warning and no companion.
pub fn attach(
    options: &mut TuiOptions,
    loaded: &LoadedConfig,
    agent: &claurst_assistant::Agent,
    runtime: &tokio::runtime::Handle,
) {
    let config = &loaded.config;
    if !config.buddy.enabled {
        return;
    }
    let store = BuddyStore::new(loaded.paths.claurst_dir());
    let today = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc()).date();
    let profile = match store.load_or_create(today) {
        Ok(profile) => profile,
        Err(error) => {
            tracing::warn!(%error, "no buddy this session");
            options.warnings.push(format!("no buddy this session: {error}"));
            return;
        }
    };
    let companion = Companion::hatch(profile.effective_user_id(config.buddy.user_id.as_deref()));
    let unnamed = profile.name.as_deref().is_none_or(|name| name.trim().is_empty());
    // The session's own client and model: naming works with whatever provider the session uses.
    let client = agent.single_attempt_client();
    let naming = unnamed.then_some(()).zip(client).map(|((), client)| {
        let (handoff, request) = naming_channel();
        let namer = Namer { store, companion: companion.clone(), client, model: agent.model_id() };
        runtime.spawn(namer.run(request));
        handoff
    });
    options.companion = Some(CompanionOptions { companion, profile, naming });
}

/// Everything the background naming task needs.
struct Namer {
    store: BuddyStore,
    companion: Companion,
    client: std::sync::Arc<dyn ModelClient>,
    model: String,
}

impl Namer {
    async fn run(self, mut request: NamingRequest) {
        if !request.quiet().await {
            return;
        }
        let answer = tokio::time::timeout(NAMING_TIME_LIMIT, self.ask()).await;
        let reply = match answer {
            Ok(Ok(reply)) => reply,
            Ok(Err(error)) => {
                tracing::info!(%error, "the model could not name the buddy; keeping its fallback name");
                return;
            }
            Err(_) => {
                tracing::info!("naming the buddy took too long; keeping its fallback name");
                return;
            }
        };
        let Some((name, personality)) = parse_naming(&reply) else {
            tracing::info!(%reply, "the model's answer has no usable name; keeping the fallback name");
            return;
        };
        match self.save(name, personality) {
            Ok(profile) => request.deliver(profile),
            Err(error) => tracing::warn!(%error, "could not save the buddy's name"),
        }
    }

    /// One request, no tools, no retries: the name is a nicety, and the next session asks again.
    async fn ask(&self) -> Result<String, claurst_api::ApiError> {
        let request = MessagesRequest {
            model: self.model.clone(),
            max_tokens: 200,
            system: vec![NAMING_SYSTEM_PROMPT.to_string()],
            messages: vec![Message::user(naming_prompt(&self.companion))],
            tools: Vec::new(),
            thinking_budget: None,
            effort: None,
            web_search: None,
        };
        let mut stream = self.client.stream(&request);
        while let Some(item) = stream.next().await {
            if let StreamItem::Completed(response) = item? {
                return Ok(response.message.text());
            }
        }
        Ok(String::new())
    }

    /// Stores the name in the profile as it is on disk now (another session may have named it already:
    /// the first name stays).
    fn save(
        &self,
        name: String,
        personality: Option<String>,
    ) -> Result<BuddyProfile, claurst_buddy::BuddyError> {
        let today = time::OffsetDateTime::now_utc().date();
        let mut profile = self.store.load_or_create(today)?;
        if profile.name.as_deref().is_some_and(|stored| !stored.trim().is_empty()) {
            return Ok(profile);
        }
        profile.name = Some(name);
        profile.personality = personality;
        self.store.save(&profile)?;
        Ok(profile)
    }
}

/// What the model is told about the creature it names.
fn naming_prompt(companion: &Companion) -> String {
    let stats = companion.stats();
    let stat_list: Vec<String> = StatKind::ALL
        .into_iter()
        .map(|kind| {
            let mark = if kind == stats.peak() {
                " (its best)"
            } else if kind == stats.dump() {
                " (its worst)"
            } else {
                ""
            };
            format!("{} {}{mark}", kind.label(), stats.get(kind))
        })
        .collect();
    let hat = companion.hat().map_or("no hat", |hat| hat.name());
    let shiny = if companion.is_shiny() { ", and it is a rare shiny one" } else { "" };
    format!(
        "A new companion just hatched in the user's terminal: a {rarity} {species} wearing {hat}{shiny}.\n\
         Its stats, out of 100: {stats}.\n\n\
         Give it a short, friendly name (one or two words, at most {MAX_NAME_CHARS} characters) and a \
         one-line personality (at most 80 characters) that fits its species and stats.\n\
         Answer with exactly these two lines and nothing else:\n\
         Name: <name>\n\
         Personality: <personality>",
        rarity = companion.rarity(),
        species = companion.species(),
        stats = stat_list.join(", "),
    )
}

/// `Name: …` and `Personality: …` from the model's answer; `None` without a usable name.
fn parse_naming(reply: &str) -> Option<(String, Option<String>)> {
    let mut name = None;
    let mut personality = None;
    for line in reply.lines() {
        let line = line.trim().trim_start_matches(['*', '-', ' ']);
        let Some((key, value)) = line.split_once(':') else { continue };
        let value = clean(value);
        match key.trim_matches(['*', ' ']).to_ascii_lowercase().as_str() {
            "name" if name.is_none() => name = Some(value),
            "personality" if personality.is_none() => personality = Some(value),
            _ => {}
        }
    }
    let name = name.filter(|name| !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS)?;
    let personality = personality
        .filter(|text| !text.is_empty())
        .map(|text| text.chars().take(MAX_PERSONALITY_CHARS).collect::<String>());
    Some((name, personality))
}

/// Without markdown emphasis, quotes or control characters.
fn clean(value: &str) -> String {
    let value: String = value.chars().filter(|c| !c.is_control()).collect();
    value.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '"' | '\'' | '`')).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_two_lines() {
        let reply = "Name: Captain Pinch\nPersonality: Guards your semicolons.";
        assert_eq!(
            parse_naming(reply),
            Some(("Captain Pinch".into(), Some("Guards your semicolons.".into())))
        );
        let decorated = "Sure!\n**Name:** \"Mossy\"\n- personality: *Hums while you debug.*\n";
        assert_eq!(parse_naming(decorated), Some(("Mossy".into(), Some("Hums while you debug.".into()))));
        assert_eq!(parse_naming("Name: Pip"), Some(("Pip".into(), None)));
    }

    #[test]
    fn refuses_answers_without_a_real_name() {
        assert_eq!(parse_naming("I'd call it something cute!"), None);
        assert_eq!(parse_naming("Name:\nPersonality: shy"), None);
        assert_eq!(parse_naming(&format!("Name: {}", "x".repeat(40))), None);
    }

    #[test]
    fn the_prompt_describes_the_creature() {
        let prompt = naming_prompt(&Companion::hatch("alice"));
        assert!(prompt.contains("Common Pebblecrab"), "{prompt}");
        assert!(prompt.contains("DEBUGGING 72 (its best)"), "{prompt}");
        assert!(prompt.contains("Name: <name>"), "{prompt}");
    }
}
