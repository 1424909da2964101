//! `find`: starting points, then an expression made only of tests and printing actions it lists. Its
//! primaries are never abbreviated, so exact names are enough; anything else (`-exec`, `-delete`,
//! `-fprint`, …) asks.

/// Primaries without an argument.
const NULLARY: &[&str] = &[
    "-print",
    "-print0",
    "-prune",
    "-not",
    "-a",
    "-and",
    "-o",
    "-or",
    "-true",
    "-false",
    "-readable",
    "-writable",
    "-executable",
    "-empty",
    "-depth",
    "-mount",
    "-xdev",
    "-nouser",
    "-nogroup",
    "-ls",
    "-quit",
    "-follow",
    "-noleaf",
    "-ignore_readdir_race",
    "-noignore_readdir_race",
    "-daystart",
    "(",
    ")",
    "!",
    ",",
];
/// Primaries with one argument that is not a file.
const UNARY: &[&str] = &[
    "-name",
    "-iname",
    "-path",
    "-ipath",
    "-wholename",
    "-iwholename",
    "-regex",
    "-iregex",
    "-type",
    "-xtype",
    "-size",
    "-mtime",
    "-mmin",
    "-atime",
    "-amin",
    "-ctime",
    "-cmin",
    "-user",
    "-group",
    "-uid",
    "-gid",
    "-perm",
    "-maxdepth",
    "-mindepth",
    "-links",
    "-inum",
    "-regextype",
    "-lname",
    "-ilname",
    "-printf",
    "-used",
    "-fstype",
    "-context",
];
/// Primaries with a file argument (read, never written).
const FILE_ARGUMENT: &[&str] = &["-newer", "-anewer", "-cnewer", "-samefile"];

/// What a `find` call reads: its starting points (and files compared against), and whether it follows
/// symlinks. `None` when an argument is not understood.
pub(super) fn read(args: &[String]) -> Option<(Vec<&str>, bool)> {
    let mut index = 0;
    let mut follows = false;
    // Leading options: -H, -L, -P, -D DEBUG, -O LEVEL.
    while let Some(word) = args.get(index) {
        match word.as_str() {
            "-H" | "-L" => follows = true,
            "-P" => {}
            "-D" => index += 1,
            level if level.starts_with("-O") && level.len() > 2 => {}
            _ => break,
        }
        index += 1;
    }
    let mut paths = Vec::new();
    while let Some(word) = args.get(index).filter(|w| !w.starts_with('-') && !matches!(w.as_str(), "(" | "!"))
    {
        paths.push(word.as_str());
        index += 1;
    }
    while let Some(word) = args.get(index) {
        index += 1;
        let word = word.as_str();
        if word == "-follow" {
            follows = true;
        }
        if NULLARY.contains(&word) {
            continue;
        }
        let argument = args.get(index)?;
        index += 1;
        if FILE_ARGUMENT.contains(&word) {
            paths.push(argument);
        } else if !UNARY.contains(&word) {
            return None;
        }
    }
    if paths.is_empty() {
        paths.push(".");
    }
    Some((paths, follows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(args: &str) -> Option<(Vec<String>, bool)> {
        let words: Vec<String> = args.split_whitespace().map(String::from).collect();
        read(&words).map(|(paths, follows)| (paths.into_iter().map(String::from).collect(), follows))
    }

    #[test]
    fn expressions() {
        assert_eq!(find("src -name *.rs -type f"), Some((vec!["src".into()], false)));
        assert_eq!(find("-L . -newer a"), Some((vec![".".into(), "a".into()], true)));
        assert_eq!(find("-name x"), Some((vec![".".into()], false)));
        assert_eq!(find(". -follow").map(|f| f.1), Some(true));
        for bad in
            [". -exec rm {} ;", ". -delete", ". -fprint x", ". -name", ". -execdir x", ". -ok x", ". -fls x"]
        {
            assert!(find(bad).is_none(), "{bad}");
        }
    }
}
