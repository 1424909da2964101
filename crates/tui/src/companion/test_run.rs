//! Recognising a shell command that runs a project's tests, so the companion can cheer when it passes.
//!
//! A heuristic on the words of the command, never on its output: each simple command of a list or
//! pipeline (`cd app && npm test | tail`) is looked at on its own, after leading `VAR=value`
//! assignments and wrappers such as `env`, `time` or `sudo`.

/// Runners that run tests whatever follows them.
const TEST_RUNNERS: &[&str] =
    &["pytest", "py.test", "jest", "vitest", "mocha", "rspec", "phpunit", "ctest", "tox", "nox", "nextest"];

/// Tools whose `test` subcommand runs tests (`cargo test`, `go test`, `npm test`, `mix test`, …).
const TEST_SUBCOMMAND_TOOLS: &[&str] = &[
    "cargo", "go", "npm", "pnpm", "yarn", "bun", "deno", "mix", "dotnet", "swift", "make", "gradle",
    "gradlew", "mvn", "mvnw", "rake", "zig", "flutter", "dart", "lein", "stack", "cabal", "sbt",
];

/// Words that only wrap the command that follows them.
const WRAPPERS: &[&str] = &["env", "time", "sudo", "nice", "command", "exec", "xvfb-run"];

/// Whether `command` runs a test suite.
pub(crate) fn looks_like_tests(command: &str) -> bool {
    command.split(['\n', ';', '&', '|', '(', ')']).any(simple_command_runs_tests)
}

fn simple_command_runs_tests(simple: &str) -> bool {
    let mut words = simple
        .split_whitespace()
        .skip_while(|word| is_assignment(word) || WRAPPERS.contains(word))
        .map(program_name);
    let Some(program) = words.next() else { return false };
    let rest: Vec<&str> = words.filter(|word| !word.starts_with('-')).collect();
    let first = rest.first().copied().unwrap_or_default();
    if TEST_RUNNERS.contains(&program) {
        return true;
    }
    match program {
        // `npm t`, `npm run test`, `npx jest`, `bundle exec rspec`, `poetry run pytest`, …
        "npm" | "pnpm" | "yarn" | "bun"
            if first == "t" || (first == "run" && rest.get(1) == Some(&"test")) =>
        {
            true
        }
        "npx" | "bunx" | "bundle" | "poetry" | "uv" | "pipenv" | "hatch" => {
            rest.iter().any(|word| TEST_RUNNERS.contains(&program_name(word)))
        }
        // `python -m pytest`, `python3 -m unittest`
        "python" | "python3" => simple
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|pair| pair[0] == "-m" && matches!(pair[1], "pytest" | "unittest" | "nose2" | "tox")),
        // `cargo nextest run`, `make check`
        "cargo" if first == "nextest" => true,
        "make" if first == "check" => true,
        _ => TEST_SUBCOMMAND_TOOLS.contains(&program) && first == "test",
    }
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// `./gradlew` → `gradlew`, `/usr/bin/pytest` → `pytest`.
fn program_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::looks_like_tests;

    #[test]
    fn test_runs_are_recognised() {
        for command in [
            "cargo test",
            "cargo test --workspace --all-features",
            "cargo nextest run",
            "cd crates/app && cargo test -p app",
            "npm test",
            "npm run test -- --watch=false",
            "yarn test",
            "pnpm test",
            "npx jest src",
            "pytest -q tests/",
            "python -m pytest",
            "python3 -m unittest discover",
            "go test ./...",
            "RUST_BACKTRACE=1 cargo test 2>&1 | tail -20",
            "env CI=1 npm test",
            "make test",
            "./gradlew test",
            "bundle exec rspec spec/models",
            "dotnet test",
            "mix test",
        ] {
            assert!(looks_like_tests(command), "{command} is a test run");
        }
    }

    #[test]
    fn other_commands_are_not() {
        for command in [
            "cargo build",
            "cargo run -- test",
            "ls tests/",
            "cat test.txt",
            "echo test",
            "git commit -m 'cargo test passes'",
            "npm install",
            "grep -r pytest .",
            "python script.py",
            "",
        ] {
            assert!(!looks_like_tests(command), "{command} is not a test run");
        }
    }
}
