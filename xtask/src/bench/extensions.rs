//! Extension files at start-up: scanning 200 custom commands (in namespaces, from both `.claurst/` and
//! `.claude/`), 50 skills with bundled files and a few output styles, as every session does before it starts.

use crate::measure::{Timing, ms};
use anyhow::Result;
use claurst_extensions::{Catalog, Roots};
use std::path::Path;
use std::time::Instant;

const COMMANDS: usize = 200;
const SKILLS: usize = 50;
/// Timed scans, after one warm-up scan that fills the page cache.
const RUNS: usize = 50;

pub fn run() -> Result<()> {
    let scratch = tempfile::tempdir()?;
    let project = scratch.path().join("project");
    let home = scratch.path().join("home");
    generate(&project, &home)?;
    let roots = Roots::new(&project, Some(home));
    let warm = Catalog::load(&roots);
    anyhow::ensure!(
        warm.commands.len() == COMMANDS && warm.skills.len() == SKILLS,
        "the generated files did not all load: {} commands, {} skills, notices {:?}",
        warm.commands.len(),
        warm.skills.len(),
        warm.notices
    );
    let samples = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let catalog = Catalog::load(&roots);
            std::hint::black_box(&catalog);
            started.elapsed()
        })
        .collect();
    let timing = Timing::from_samples(samples);
    println!("| measure | result | target |\n|---|---|---|");
    println!(
        "| start-up scan of {COMMANDS} custom commands and {SKILLS} skills (median of {RUNS}, warm cache) | {} (p99 {}) | < 5 ms |",
        ms(timing.median),
        ms(timing.p99)
    );
    Ok(())
}

/// Half the commands in the project's `.claurst/commands` (in ten namespaces), half in the user's
/// `.claude/commands`; skills split the same way, each with two bundled files.
fn generate(project: &Path, home: &Path) -> Result<()> {
    for index in 0..COMMANDS {
        let (base, name) = if index % 2 == 0 {
            (project.join(".claurst/commands").join(format!("area{}", index % 10)), format!("cmd{index}.md"))
        } else {
            (home.join(".claude/commands"), format!("cmd{index}.md"))
        };
        std::fs::create_dir_all(&base)?;
        std::fs::write(
            base.join(name),
            format!(
                "---\ndescription: Command number {index}\nargument-hint: <target> [focus]\n\
                 allowed-tools: bash(git status:*), read_file\n---\nDo task {index} on $1, focusing on $ARGUMENTS.\n"
            ),
        )?;
    }
    for index in 0..SKILLS {
        let root = if index % 2 == 0 { project.join(".claude/skills") } else { home.join(".claurst/skills") };
        let dir = root.join(format!("skill{index}"));
        std::fs::create_dir_all(dir.join("scripts"))?;
        std::fs::write(
            dir.join("SKILL.md"),
            format!(
                "---\nname: skill{index}\ndescription: Skill number {index}\n---\nStep one.\nStep two.\n"
            ),
        )?;
        std::fs::write(dir.join("scripts/run.py"), "print('hi')\n")?;
        std::fs::write(dir.join("reference.md"), "# Reference\n")?;
    }
    let styles = project.join(".claurst/output-styles");
    std::fs::create_dir_all(&styles)?;
    for index in 0..3 {
        std::fs::write(
            styles.join(format!("style{index}.md")),
            "---\ndescription: A style\n---\nWrite so.\n",
        )?;
    }
    Ok(())
}
