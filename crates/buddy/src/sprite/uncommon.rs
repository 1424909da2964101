//! Uncommon species art.

use super::Art;

pub(super) const CLOUDFERRET: Art = Art {
    hat_col: 3,
    idle: ["", r" /\_/\", "( $ $ ).-~-.", r" \ - /(  (  )~", r#"  `"` `-'`-'"#],
    excited: ["        .  '", r" /\_/\ .-~-.", "( $ $ )(  (  )", r" \ w / `-'`-'", r#"  `"`"#],
    sad: ["", r" _\_/_", "( $ $ ).-~-.", r" \ n /(  (  )", r#"  `"` `-'`-'~"#],
};

pub(super) const GUSTOWL: Art = Art {
    hat_col: 5,
    idle: ["", r"  /\___/\", " ( $ v $ ) ~", r" /)~~~~~(\  ~", r#"  `"` `"`"#],
    excited: ["", r"  /\___/\", r"\( $ v $ )/ ~", r" \)~~~~~(/ ~", r#"  `"` `"`"#],
    sad: ["", r"  _\___/_", " ( $ , $ )", r" /)~~~~~(\", r#"  `"` `"`"#],
};

pub(super) const BRAMBLEBEAR: Art = Art {
    hat_col: 5,
    idle: ["", " ()_____()", r" /  $ $  \", "(  ,(_),  )", " `-m*-*m-'"],
    excited: ["", r"\()_____()/", r" \  $ $  /", " (  (O)  )", " `-m*-*m-'"],
    sad: ["", " .-_____-.", r" /  $ $  \", "(  '(_)'  )", " `-m*-*m-'"],
};

pub(super) const THORNFOX: Art = Art {
    hat_col: 4,
    idle: ["", r" /\   /\", r"/  '-'  \  ,^,", r"\ $   $ / /^/", " '-.v.-'~'^'"],
    excited: ["            ^", r" /\   /\   /^\", r"/  '-'  \  \^\", r"\ $   $ /  /^/", " '-.V.-'~'^'"],
    sad: ["", r" _\   /_", r"/  '-'  \", r"\ $   $ /", " '-.n.-'~~~^^~"],
};
