//! Generated shell lines (filled below).
