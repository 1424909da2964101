//! Common species art. Common companions never wear hats; `hat_col` is kept for completeness.

use super::Art;

pub(super) const PEBBLECRAB: Art = Art {
    hat_col: 6,
    idle: ["    $   $", " _  |   |  _", r"(_\.-'''-./_)", "   (_____)", r"   /|/ \|\"],
    excited: [r"\/  $   $  \/", r" \  |   |  /", r"  \.-'''-./", "   (__w__)", r"   /|/ \|\"],
    sad: ["", r"  $\     /$", "   .-'''-.", r"(_\(__n__)/_)", r"   /|/ \|\"],
};

pub(super) const DUSTBUNNY: Art = Art {
    hat_col: 6,
    idle: [r"    (\ /)", "  .:'   ':.", " :  $   $  :", " ':.  .  .:'", "   '~'~'~'"],
    excited: [r"  (\     /)", r"  .:\   /:.", " :  $   $  :", " ':.  w  .:'", " * '~'~'~' *"],
    sad: ["", " _.:'''''':._", r"/ :  $   $ : \", "  ':.  ~ .:'", "   '~'~'~'"],
};

pub(super) const MOSSFROG: Art = Art {
    hat_col: 5,
    idle: ["  .-.,,.-.", " ( $ )( $ )", r" /`-'  `-'\", "( ,______, )", " `m'----`m'"],
    excited: ["  .-.,,.-.  '", " ( $ )( $ )", r" /`-'  `-'\", r"( \______/ )", r"/m'      `m\"],
    sad: ["", "  .-.,,.-.", " ( $ )( $ )", r#"( ,-'""'-, )"#, " `m'----`m'"],
};

pub(super) const TWIGLING: Art = Art {
    hat_col: 6,
    idle: [r"     \|/", "   .-'|'-.", "   | $ $ |", "  -|  -  |-", r"   '-/ \-'"],
    excited: [r"   \ \|/ /  '", r"  \.-'|'-./", "   | $ $ |", "   |  D  |", r"   '-/ \-'"],
    sad: ["      |", "   .-'|'-.", "   | $ $ |", r"  /|  n  |\", r"   '-/ \-'"],
};

pub(super) const DEWDROP: Art = Art {
    hat_col: 6,
    idle: ["      .", r"     / \", r"    / $ $ \", "   (   u   )", "    `-----'"],
    excited: ["   '  .  '", r"     / \", r"    / $ $ \", "   (   w   )", "  ' `-----' '"],
    sad: ["", "      .", "   .-'$ $'-.", "  (    n    )", "   `-------'"],
};

pub(super) const PUDDLEFISH: Art = Art {
    hat_col: 5,
    idle: ["          o", "  ,-----.", r"|\/  )  $ \", r"|/\  )   _<", "~~~`-----'~~"],
    excited: ["        o  O", "  ,-----.", r"|\/  )  $ \ !", r"|/\  )   ()", "~~~`-----'~~"],
    sad: ["", "  ,-----.", r" \/  )  $ \", r" /\  )   _<", "~~~`-----'~~~"],
};
