//! The throwaway repositories the tasks start from: tiny Python projects whose tests run with
//! `python3 -m unittest` in well under a second, so a scripted run needs no toolchain beyond Python.

/// Files of one fixture, `(path, contents)`, committed as the repository's first commit.
pub type Files = &'static [(&'static str, &'static str)];

/// Kept out of `git status` so that Python's caches never count as a change.
const GITIGNORE: (&str, &str) = (".gitignore", "__pycache__/\n*.pyc\n.claurst/\n");

/// A calculator whose `add` subtracts: one failing test.
pub const BROKEN_ADD: Files = &[
    GITIGNORE,
    ("calc.py", "def add(a, b):\n    return a - b\n\n\ndef multiply(a, b):\n    return a * b\n"),
    (
        "test_calc.py",
        "import unittest\n\nfrom calc import add, multiply\n\n\nclass CalcTest(unittest.TestCase):\n    \
         def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n\n    def test_multiply(self):\n        \
         self.assertEqual(multiply(2, 3), 6)\n\n\nif __name__ == \"__main__\":\n    unittest.main()\n",
    ),
    ("README.md", "# calc\n\nTwo arithmetic helpers. Run the tests with `python3 -m unittest`.\n"),
];

/// A shop whose price helper `compute_total` is defined in one file and used in two others.
pub const SHOP: Files = &[
    GITIGNORE,
    (
        "pricing.py",
        "def compute_total(prices, discount=0.0):\n    \"\"\"Sum the prices and apply a fractional discount.\"\"\"\n    \
         return round(sum(prices) * (1.0 - discount), 2)\n",
    ),
    (
        "cart.py",
        "from pricing import compute_total\n\n\nclass Cart:\n    def __init__(self):\n        self.items = []\n\n    \
         def add(self, name, price):\n        self.items.append((name, price))\n\n    def total(self):\n        \
         return compute_total([price for _, price in self.items])\n",
    ),
    (
        "test_shop.py",
        "import unittest\n\nfrom cart import Cart\nfrom pricing import compute_total\n\n\nclass ShopTest(unittest.TestCase):\n    \
         def test_discount(self):\n        self.assertEqual(compute_total([10.0, 10.0], discount=0.25), 15.0)\n\n    \
         def test_cart(self):\n        cart = Cart()\n        cart.add(\"pen\", 1.5)\n        cart.add(\"pad\", 2.0)\n        \
         self.assertEqual(cart.total(), 3.5)\n",
    ),
    ("config.py", "DEFAULT_PORT = 8417\nCURRENCY = \"EUR\"\n"),
    ("README.md", "# shop\n\nA tiny shopping cart. Run the tests with `python3 -m unittest`.\n"),
];

/// A greeting command line with one test, for adding a flag.
pub const GREETER: Files = &[
    GITIGNORE,
    (
        "greet.py",
        "import argparse\nimport sys\n\n\ndef greeting(name):\n    return f\"Hello, {name}!\"\n\n\n\
         def main(argv=None):\n    parser = argparse.ArgumentParser(description=\"Greet someone.\")\n    \
         parser.add_argument(\"name\")\n    args = parser.parse_args(argv)\n    print(greeting(args.name))\n    \
         return 0\n\n\nif __name__ == \"__main__\":\n    sys.exit(main())\n",
    ),
    (
        "test_greet.py",
        "import unittest\n\nfrom greet import greeting\n\n\nclass GreetTest(unittest.TestCase):\n    \
         def test_greeting(self):\n        self.assertEqual(greeting(\"Ada\"), \"Hello, Ada!\")\n",
    ),
    ("README.md", "# greet\n\n`python3 greet.py NAME` prints a greeting.\n"),
];

/// A package with an obsolete module that must go, and a deny rule on `rm` in the project's settings.
pub const OBSOLETE_MODULE: Files = &[
    GITIGNORE,
    (".claurst.toml", "[tools]\ndeny = [\"bash(rm:*)\"]\n"),
    (
        "app.py",
        "from legacy import old_sum\nfrom maths import total\n\n\ndef run(values):\n    return total(values)\n",
    ),
    (
        "legacy.py",
        "def old_sum(values):\n    result = 0\n    for value in values:\n        result += value\n    return result\n",
    ),
    ("maths.py", "def total(values):\n    return sum(values)\n"),
    (
        "test_app.py",
        "import unittest\n\nfrom app import run\n\n\nclass AppTest(unittest.TestCase):\n    def test_run(self):\n        \
         self.assertEqual(run([1, 2, 3]), 6)\n",
    ),
];

/// A released library with a version and a changelog.
pub const VERSIONED: Files = &[
    GITIGNORE,
    ("version.py", "__version__ = \"1.0.0\"\n"),
    ("CHANGELOG.md", "# Changelog\n\n## 1.0.0\n\n- First release.\n"),
    (
        "test_version.py",
        "import unittest\n\nfrom version import __version__\n\n\nclass VersionTest(unittest.TestCase):\n    \
         def test_has_three_parts(self):\n        self.assertEqual(len(__version__.split(\".\")), 3)\n",
    ),
];
