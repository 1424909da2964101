//! Rare species art.

use super::Art;

pub(super) const DEEPSTAG: Art = Art {
    hat_col: 6,
    idle: [r"\/         \/", r" \\_.---._//", "   ( $ $ )", r"  ° \ ~ / o", r"     \_/"],
    excited: [r"\/    °    \/", r" \\_.---._//", "   ( $ $ )  o", r"  °  \O/", "  o   V   °"],
    sad: ["", r"__/\.---./\__", "   ( $ $ )", r"    \ n /", r"  ° `\_/'"],
};

pub(super) const CRYSTALDRAKE: Art = Art {
    hat_col: 4,
    idle: ["", r"  /\_/\ <>", r" ( $ $ )/\/\", r" /`vvv'\   /\", r"(_/ \_)~~~'"],
    excited: ["          <>", r"  /\_/\ /\/\", r"\( $ $ )/  /\", r" \`VVV'/ ~~'", r"  (/ \)"],
    sad: ["", r"  /\_/\", r" ( $ $ ) /\", r" /`---'\/\/\", r"(_/ \_)~~~~'"],
};

pub(super) const LAVAPUP: Art = Art {
    hat_col: 6,
    idle: ["", r"  _/\___/\_", r" ( /$   $\ )", r"  \  (_)  /", r"  ,\_'u'_/."],
    excited: ["   ,  ;  ,", r"  _/\___/\_", r" ( /$   $\ )", r"  \  (_)  /", r"  '\_'U'_/'"],
    sad: ["", "  _,-___-,_", r" ( /$   $\ )", r"  \  (_)  /", r"   \_'n'_/ ."],
};
