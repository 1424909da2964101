//! The option tables of the read-only programs (GNU coreutils and friends). An option that is not
//! listed makes the command ask; `dangerous` lists the options whose abbreviations must never match.

use super::options::{Help, Operands, PROGRAM, Program};
use super::searchers::SEARCHERS;

const CHECKSUM_FLAGS: &[&str] =
    &["binary", "check", "tag", "text", "zero", "ignore-missing", "quiet", "status", "strict", "warn"];

pub(super) const PROGRAMS: &[Program] = &[
    Program {
        names: &["ls"],
        flags: "aAbBcCdfFgGhHiklLmnNopqQrRsStuUvxXZ1",
        valued: "ITw",
        long_flags: &[
            "all",
            "almost-all",
            "author",
            "escape",
            "ignore-backups",
            "directory",
            "dired",
            "file-type",
            "full-time",
            "group-directories-first",
            "no-group",
            "human-readable",
            "si",
            "dereference-command-line",
            "dereference-command-line-symlink-to-dir",
            "inode",
            "kibibytes",
            "dereference",
            "numeric-uid-gid",
            "literal",
            "hide-control-chars",
            "show-control-chars",
            "quote-name",
            "reverse",
            "recursive",
            "size",
            "context",
            "zero",
        ],
        long_valued: &[
            "block-size",
            "format",
            "hide",
            "indicator-style",
            "ignore",
            "quoting-style",
            "sort",
            "time",
            "time-style",
            "tabsize",
            "width",
        ],
        long_optional: &["color", "classify", "hyperlink"],
        follows_links: &["-L", "--dereference"],
        ..PROGRAM
    },
    Program {
        names: &["cat"],
        flags: "AbeEnstTuv",
        long_flags: &[
            "show-all",
            "number-nonblank",
            "number",
            "squeeze-blank",
            "show-ends",
            "show-tabs",
            "show-nonprinting",
        ],
        ..PROGRAM
    },
    Program {
        names: &["head"],
        flags: "qvz",
        valued: "cn",
        long_flags: &["quiet", "silent", "verbose", "zero-terminated"],
        long_valued: &["bytes", "lines"],
        numeric: true,
        ..PROGRAM
    },
    Program {
        names: &["tail"],
        flags: "fFqvz",
        valued: "cns",
        long_flags: &["quiet", "silent", "verbose", "zero-terminated", "retry"],
        long_valued: &["bytes", "lines", "max-unchanged-stats", "pid", "sleep-interval"],
        long_optional: &["follow"],
        numeric: true,
        ..PROGRAM
    },
    Program {
        names: &["wc"],
        flags: "cmlLw",
        long_flags: &["bytes", "chars", "lines", "max-line-length", "words"],
        long_valued: &["total"],
        long_paths: &["files0-from"],
        ..PROGRAM
    },
    Program {
        names: &["stat"],
        flags: "Lft",
        valued: "c",
        long_flags: &["dereference", "file-system", "terse"],
        long_valued: &["format", "printf", "cached"],
        ..PROGRAM
    },
    Program {
        names: &["du"],
        flags: "0abcDhHklLmsSxP",
        valued: "dtB",
        path_valued: "X",
        long_flags: &[
            "null",
            "all",
            "apparent-size",
            "bytes",
            "total",
            "dereference-args",
            "human-readable",
            "inodes",
            "count-links",
            "dereference",
            "no-dereference",
            "separate-dirs",
            "si",
            "summarize",
            "one-file-system",
        ],
        long_valued: &["block-size", "max-depth", "threshold", "time-style", "exclude"],
        long_paths: &["exclude-from", "files0-from"],
        long_optional: &["time"],
        follows_links: &["-L", "--dereference"],
        ..PROGRAM
    },
    Program {
        names: &["df"],
        flags: "ahHiklPTv",
        valued: "Btx",
        long_flags: &[
            "all",
            "human-readable",
            "si",
            "inodes",
            "local",
            "no-sync",
            "sync",
            "portability",
            "print-type",
            "total",
        ],
        long_valued: &["block-size", "type", "exclude-type"],
        long_optional: &["output"],
        ..PROGRAM
    },
    Program {
        names: &["realpath"],
        flags: "emLPqsz",
        long_flags: &[
            "canonicalize-existing",
            "canonicalize-missing",
            "logical",
            "physical",
            "quiet",
            "strip",
            "no-symlinks",
            "zero",
        ],
        long_paths: &["relative-to", "relative-base"],
        ..PROGRAM
    },
    Program {
        names: &["readlink"],
        flags: "femnqsvz",
        long_flags: &[
            "canonicalize",
            "canonicalize-existing",
            "canonicalize-missing",
            "no-newline",
            "quiet",
            "silent",
            "verbose",
            "zero",
        ],
        ..PROGRAM
    },
    Program {
        names: &["cmp"],
        flags: "bls",
        valued: "in",
        long_flags: &["print-bytes", "verbose", "quiet", "silent"],
        long_valued: &["ignore-initial", "bytes"],
        ..PROGRAM
    },
    Program {
        names: &["comm"],
        flags: "123z",
        long_flags: &["check-order", "nocheck-order", "total", "zero-terminated"],
        long_valued: &["output-delimiter"],
        ..PROGRAM
    },
    Program {
        names: &["cut"],
        flags: "nsz",
        valued: "bcdf",
        long_flags: &["complement", "only-delimited", "zero-terminated"],
        long_valued: &["bytes", "characters", "delimiter", "fields", "output-delimiter"],
        ..PROGRAM
    },
    Program {
        names: &["tr"],
        flags: "cCdst",
        long_flags: &["complement", "delete", "squeeze-repeats", "truncate-set1"],
        operands: Operands::Text,
        ..PROGRAM
    },
    Program { names: &["nl"], flags: "p", valued: "bdfhilnsvw", ..PROGRAM },
    Program {
        names: &["tac"],
        flags: "br",
        valued: "s",
        long_flags: &["before", "regex"],
        long_valued: &["separator"],
        ..PROGRAM
    },
    Program { names: &["rev"], ..PROGRAM },
    Program {
        names: &["fold"],
        flags: "bs",
        valued: "w",
        long_flags: &["bytes", "spaces"],
        long_valued: &["width"],
        ..PROGRAM
    },
    Program {
        names: &["sort"],
        flags: "bdfgiMhnRrVcCsuzm",
        valued: "ktS",
        long_flags: &[
            "ignore-leading-blanks",
            "dictionary-order",
            "ignore-case",
            "general-numeric-sort",
            "ignore-nonprinting",
            "month-sort",
            "human-numeric-sort",
            "numeric-sort",
            "random-sort",
            "reverse",
            "version-sort",
            "merge",
            "stable",
            "unique",
            "zero-terminated",
            "debug",
        ],
        long_valued: &["sort", "batch-size", "key", "field-separator", "buffer-size", "parallel"],
        long_paths: &["random-source", "files0-from"],
        long_optional: &["check"],
        dangerous: &["output", "compress-program", "temporary-directory"],
        ..PROGRAM
    },
    Program {
        names: &["uniq"],
        flags: "cdDiuz",
        valued: "fsw",
        long_flags: &["count", "repeated", "ignore-case", "unique", "zero-terminated"],
        long_valued: &["skip-fields", "skip-chars", "check-chars"],
        long_optional: &["all-repeated", "group"],
        // `uniq IN OUT` writes OUT.
        max_operands: 1,
        ..PROGRAM
    },
    Program {
        names: &["md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum"],
        flags: "bctwz",
        long_flags: CHECKSUM_FLAGS,
        ..PROGRAM
    },
    Program {
        names: &["b2sum"],
        flags: "bctwz",
        valued: "l",
        long_flags: CHECKSUM_FLAGS,
        long_valued: &["length"],
        ..PROGRAM
    },
    Program {
        names: &["cksum"],
        flags: "cwz",
        valued: "al",
        long_flags: &["base64", "raw", "tag", "untagged", "check", "warn", "zero"],
        long_valued: &["algorithm", "length"],
        ..PROGRAM
    },
    Program {
        names: &["jq"],
        flags: "nrjasSCMceR",
        long_flags: &[
            "null-input",
            "raw-input",
            "raw-output",
            "join-output",
            "ascii-output",
            "slurp",
            "compact-output",
            "color-output",
            "monochrome-output",
            "sort-keys",
            "exit-status",
            "tab",
            "seq",
            "stream",
        ],
        long_valued: &["indent"],
        // The first operand is the filter.
        pattern_options: Some(&[]),
        ..PROGRAM
    },
    // `test` and `[` only look at files (existence, type); their operands are expressions.
    Program { names: &["test", "["], flags: "abcdefghknoprstuwxzGLNOS", operands: Operands::Text, ..PROGRAM },
    Program { names: &["cd"], flags: "LP", max_operands: 1, ..PROGRAM },
    Program {
        names: &["basename"],
        flags: "az",
        valued: "s",
        long_flags: &["multiple", "zero"],
        long_valued: &["suffix"],
        operands: Operands::Text,
        ..PROGRAM
    },
    Program { names: &["dirname"], flags: "z", long_flags: &["zero"], operands: Operands::Text, ..PROGRAM },
    Program { names: &["pwd"], flags: "LP", operands: Operands::Text, max_operands: 0, ..PROGRAM },
    Program {
        names: &["echo"],
        flags: "neE",
        help: Help::NotOptions,
        operands: Operands::Text,
        unknown_words_ok: true,
        ..PROGRAM
    },
    // No options: `printf -v NAME` would assign a shell variable (even PATH) for the commands after it.
    Program { names: &["printf"], help: Help::NotOptions, operands: Operands::Text, ..PROGRAM },
    Program { names: &["which"], flags: "a", operands: Operands::Text, ..PROGRAM },
    Program { names: &["type"], flags: "afPpt", help: Help::NotOptions, operands: Operands::Text, ..PROGRAM },
    Program {
        names: &["true", "false"],
        help: Help::NotOptions,
        operands: Operands::Text,
        max_operands: 0,
        ..PROGRAM
    },
    Program {
        names: &["whoami", "nproc"],
        long_flags: &["all"],
        operands: Operands::Text,
        max_operands: 0,
        ..PROGRAM
    },
    Program {
        names: &["id"],
        flags: "aZgGnruz",
        long_flags: &["context", "group", "groups", "name", "real", "user", "zero"],
        operands: Operands::Text,
        ..PROGRAM
    },
    Program {
        names: &["uname"],
        flags: "asnrvmpio",
        long_flags: &[
            "all",
            "kernel-name",
            "nodename",
            "kernel-release",
            "kernel-version",
            "machine",
            "processor",
            "hardware-platform",
            "operating-system",
        ],
        operands: Operands::Text,
        max_operands: 0,
        ..PROGRAM
    },
    Program { names: &["printenv"], flags: "0", long_flags: &["null"], operands: Operands::Text, ..PROGRAM },
    Program {
        names: &["seq"],
        flags: "w",
        valued: "fs",
        long_flags: &["equal-width"],
        long_valued: &["format", "separator"],
        operands: Operands::Text,
        numeric: true,
        ..PROGRAM
    },
    Program { names: &["sleep"], help: Help::NotOptions, operands: Operands::Text, ..PROGRAM },
    Program {
        names: &["tree"],
        flags: "adlfxiqNQpugshDFCnrtcUvJX",
        valued: "LPI",
        long_flags: &["gitignore", "noreport", "du", "dirsfirst", "prune", "matchdirs"],
        long_valued: &["filelimit", "charset", "sort"],
        dangerous: &["fromfile", "fromtabfile"],
        follows_links: &["-l"],
        ..PROGRAM
    },
    Program {
        names: &["file"],
        flags: "biLhNnrskE0",
        valued: "eFP",
        path_valued: "mf",
        long_flags: &[
            "brief",
            "mime",
            "mime-type",
            "mime-encoding",
            "dereference",
            "no-dereference",
            "no-pad",
            "no-buffer",
            "raw",
            "special-files",
            "keep-going",
            "print0",
            "extension",
            "apple",
        ],
        long_valued: &["exclude", "exclude-quiet", "separator", "parameter"],
        long_paths: &["magic-file", "files-from"],
        dangerous: &["compile", "uncompress", "uncompress-noreport", "preserve-date"],
        ..PROGRAM
    },
    Program {
        names: &["date"],
        flags: "Ru",
        valued: "d",
        path_valued: "fr",
        long_flags: &["rfc-email", "utc", "universal", "debug"],
        long_valued: &["date", "rfc-3339"],
        long_paths: &["file", "reference"],
        long_optional: &["iso-8601"],
        dangerous: &["set"],
        operands: Operands::Text,
        ..PROGRAM
    },
];

/// The table of a program by its name.
pub(super) fn program(name: &str) -> Option<&'static Program> {
    PROGRAMS.iter().chain(SEARCHERS).find(|program| program.names.contains(&name))
}
