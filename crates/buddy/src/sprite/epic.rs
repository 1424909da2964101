//! Epic species art.

use super::Art;

pub(super) const STORMWYRM: Art = Art {
    hat_col: 3,
    idle: ["          _", r" /\_/\   / /", "( $ $ ) /_/_", r" \ v /\__ /", r"  ~~   \_/"],
    excited: ["     '  _ '", r" /\_/\ / /", "( $ $ )_/_", r" \ O /  /  ~", r"  ~~\__/ ~"],
    sad: ["", r" /\_/\", "( $ $ )", r" \ n /\_ _ _", r"  ~~   \_/ \_."],
};

pub(super) const VOIDCAT: Art = Art {
    hat_col: 5,
    idle: ["", r"  /\___/\", " ( $   $ )", " (   ^   )~", r"  \__*__/  )"],
    excited: ["          .", r"  /\___/\  '", " ( $   $ )  )", " (   w   ) /", r"  \__*__/-'"],
    sad: ["", r"  _\___/_", " ( $   $ )", " (   -   )", r"  \__*__/___"],
};

pub(super) const AETHERLING: Art = Art {
    hat_col: 6,
    idle: ["", "  .  .-.  .", r"\\ \($ $)/ //", r" \\ ( - ) //", "     ' '"],
    excited: ["  *       *", r"  \\ .-. //", r"  \\($ $)//", "    ( o )", "  *  ' '  *"],
    sad: ["", "     .-.", "    ($ $)", r" // ( n ) \\", r"//   ' '   \\"],
};
