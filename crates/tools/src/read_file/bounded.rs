//! Reading files without trusting their size or kind: special files are refused before they are opened, and
//! a large file is read only as far as the requested lines need.

use crate::files::truncate_chars;
use std::fmt::Write as _;
use std::fs::{File, Metadata};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Files up to this size are read whole: exact line totals, and the content is recorded for later edits.
pub(super) const WHOLE_FILE_LIMIT: u64 = 16 * 1024 * 1024;
/// Bytes read to decide whether a large file is text.
const SNIFF_BYTES: u64 = 8 * 1024;
/// Read buffer for the line-by-line pass over a large file.
const READ_BUFFER: usize = 64 * 1024;

/// What a path is when it is neither a regular file nor a directory, in the user's words.
pub(super) fn special_kind(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if kind.is_char_device() {
        Some("a character device")
    } else if kind.is_block_device() {
        Some("a block device")
    } else if kind.is_socket() {
        Some("a socket")
    } else {
        None
    }
}

/// Open `path` for reading, refusing anything but a regular file.
///
/// `O_NONBLOCK` so that a path swapped for a FIFO after it was checked cannot block the open (which waits for
/// a writer); the handle's own metadata is then checked again, so what is read is what was checked.
pub(super) fn open_regular(path: &Path) -> std::io::Result<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        let kind = special_kind(&meta).unwrap_or("not a regular file");
        return Err(std::io::Error::other(format!("it is {kind}")));
    }
    Ok(file)
}

/// The first bytes of a file, for the binary check.
pub(super) fn sniff(file: &File) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF_BYTES as usize);
    Read::take(file, SNIFF_BYTES).read_to_end(&mut head)?;
    Ok(head)
}

/// Lines `offset..offset+limit` of a file too large to read whole, formatted as `N<TAB>text`.
pub(super) struct RangeRead {
    pub text: String,
    pub first: usize,
    pub last: usize,
    /// Lines seen in all; only a lower bound unless `reached_end`.
    pub seen: usize,
    pub reached_end: bool,
}

/// Read only as far as line `offset + limit - 1`, keeping at most `max_chars` characters of each line; the
/// rest of a long line is skipped without being held in memory.
pub(super) fn read_range(
    file: File,
    offset: usize,
    limit: usize,
    max_chars: usize,
) -> std::io::Result<RangeRead> {
    let mut reader = BufReader::with_capacity(READ_BUFFER, file);
    let mut line = Vec::new();
    let mut range =
        RangeRead { text: String::new(), first: offset, last: offset - 1, seen: 0, reached_end: false };
    while range.seen < offset - 1 + limit {
        let Some(bytes_cut) = next_line(&mut reader, max_chars * 4, &mut line)? else {
            range.reached_end = true;
            return Ok(range);
        };
        range.seen += 1;
        if range.seen < offset {
            continue;
        }
        push_numbered_line(
            &mut range.text,
            range.seen,
            &String::from_utf8_lossy(&line),
            max_chars,
            bytes_cut,
        );
        range.last = range.seen;
    }
    range.reached_end = reader.fill_buf()?.is_empty();
    Ok(range)
}

/// `line` as read_file shows it: `N<TAB>text`, cut to `max_chars` with a mark when it was cut here or
/// already (`cut_already`).
pub(super) fn push_numbered_line(
    out: &mut String,
    number: usize,
    line: &str,
    max_chars: usize,
    cut_already: bool,
) {
    let kept = truncate_chars(line, max_chars);
    let cut = if cut_already || kept.len() < line.len() { " … [line cut]" } else { "" };
    let _ = writeln!(out, "{number}\t{kept}{cut}");
}

/// Read one line (without its `\n`, or `\r\n`) into `line`, keeping at most `keep` bytes. `None` at end of
/// file; otherwise whether bytes were left out.
fn next_line(reader: &mut impl BufRead, keep: usize, line: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    line.clear();
    let mut started = false;
    let mut cut = false;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(started.then_some(cut));
        }
        started = true;
        let newline = buffer.iter().position(|&byte| byte == b'\n');
        let piece = &buffer[..newline.unwrap_or(buffer.len())];
        let room = keep.saturating_sub(line.len());
        line.extend_from_slice(&piece[..piece.len().min(room)]);
        cut |= piece.len() > room;
        let used = newline.map_or(buffer.len(), |at| at + 1);
        reader.consume(used);
        if newline.is_some() {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some(cut));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn range_of(text: &str, offset: usize, limit: usize, max_chars: usize) -> RangeRead {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, text).unwrap();
        read_range(File::open(&path).unwrap(), offset, limit, max_chars).unwrap()
    }

    #[test]
    fn reads_only_the_range_and_knows_when_more_follows() {
        let range = range_of("a\r\nb\nc\nd\n", 2, 2, 100);
        assert_eq!(range.text, "2\tb\n3\tc\n");
        assert_eq!((range.first, range.last, range.reached_end), (2, 3, false));
        let to_end = range_of("a\nb", 2, 5, 100);
        assert_eq!(to_end.text, "2\tb\n");
        assert!(to_end.reached_end);
        assert_eq!(to_end.seen, 2);
    }

    #[test]
    fn long_lines_are_cut_without_being_kept() {
        let range = range_of(&format!("{}\nnext\n", "é".repeat(50)), 1, 2, 10);
        assert_eq!(range.text, format!("1\t{} … [line cut]\n2\tnext\n", "é".repeat(10)));
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        assert_eq!(special_kind(&std::fs::metadata(&fifo).unwrap()), Some("a named pipe (FIFO)"));
        let error = open_regular(&fifo).unwrap_err();
        assert!(error.to_string().contains("named pipe"), "{error}");
    }
}
