"""The command line, declared once: every command, argument and option.

Two things are derived from this table and nothing else: the typer app in
``cli.py`` (help, error messages, anything unusual) and the start-up parser
in ``entry.py``, which runs a well-formed command line without importing typer
(typer costs ~0.1 s, as long as parsing every file of a 2-node cluster, and
pre-commit starts eilint on every commit). A new option is one entry here and,
where it changes behaviour, the code that reads its value in ``handlers.py``.

Only the standard library is imported here: this module is on every start-up.
"""

from __future__ import annotations

from typing import NamedTuple

# Output formats of ``eilint check``; workflow.render writes each.
FORMATS = ("text", "json", "sarif", "github", "junit", "html", "dot", "mermaid")
FAIL_ON = ("error", "warning", "note")
COLOR = ("auto", "always", "never")
PROFILES = ("integrator", "business-process")


class Opt(NamedTuple):
    """An option: its spellings, where its value goes and what it holds."""

    names: tuple[str, ...]
    dest: str
    kind: str  # flag, str, path, int, float or choice
    help: str
    default: object = None
    multiple: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    required: bool = False


class Arg(NamedTuple):
    """A positional argument (``multiple``: any number of them)."""

    dest: str
    kind: str  # str or path
    help: str
    multiple: bool = False
    required: bool = False
    default: object = None


class Command(NamedTuple):
    """A sub-command; ``handler`` names its function in ``eilint.handlers``."""

    name: str
    help: str
    params: tuple[Opt | Arg, ...]
    handler: str
    hidden: bool = False

    def options(self) -> dict[str, Opt]:
        """Every spelling of every option, e.g. ``--format`` and ``-f``."""
        return {name: p for p in self.params if isinstance(p, Opt) for name in p.names}

    def arguments(self) -> list[Arg]:
        """The positional arguments, in order."""
        return [p for p in self.params if isinstance(p, Arg)]


JOBS = Opt(
    ("--jobs", "-j"), "jobs", "int", "Remote nodes fetched at once (each one ssh).",
    default=4, minimum=1,
)  # fmt: skip
TIMEOUT = Opt(
    ("--timeout",), "timeout", "float", "Seconds allowed per remote node.",
    default=60.0, minimum=1.0,
)  # fmt: skip
SSH_CONFIG = Opt(
    ("--ssh-config",), "ssh_config", "path",
    "ssh_config for remote nodes (default: ~/.ssh/config, as ssh does).",
)  # fmt: skip

CHECK = Command(
    "check",
    "Check a cluster: every node's config tree and the nginx tree in front of it.",
    (
        Arg("nodes", "str", "Node trees: PATH or NAME=PATH (an EI_HOME or the "
            "profile's conf/), or [NAME=][user@]host:/path read over ssh. "
            "Default: the nodes of eilint.yaml.", multiple=True),
        Opt(("--nginx",), "nginx", "path",
            "nginx.conf, or a directory holding it or vhost files."),
        Opt(("--format", "-f"), "fmt", "choice", "Output format; repeat for "
            "several. Default: text, or github under GitHub Actions.",
            multiple=True, choices=FORMATS),
        Opt(("--output", "-o"), "output", "path",
            "Write the --format at the same position to FILE (with no --format: "
            "FILE.html/.dot/.gv/.mmd picks the topology format).", multiple=True),
        Opt(("--select",), "select", "str",
            "Only these rules: ids, prefixes, names, tag:TAG.", multiple=True),
        Opt(("--ignore",), "ignore", "str", "Skip these rules.", multiple=True),
        Opt(("--fail-on",), "fail_on", "choice", "Exit 1 when a finding of this "
            "severity or worse exists (default: the manifest's fail-on, else error).",
            choices=FAIL_ON),
        Opt(("--exit-zero",), "exit_zero", "flag",
            "Exit 0 even when findings exist (2 still means unusable input).",
            default=False),
        Opt(("--fix",), "fix", "flag", "Apply the safe fixes, then lint again "
            "(local nodes only).", default=False),
        Opt(("--unsafe-fixes",), "unsafe_fixes", "flag", "With --fix or --diff: "
            "apply the unsafe fixes too (they make a choice: review the diff).",
            default=False),
        Opt(("--diff",), "diff", "flag", "Print the fixes as a unified diff "
            "(git apply, patch -p1) and write nothing; exit 1 when there is one.",
            default=False),
        Opt(("--show-fixes",), "show_fixes", "flag", "List the fixes applied (with "
            "--fix) or available.", default=False),
        Opt(("--snapshots",), "snapshots", "flag", "The local NODEs are "
            "`eilint snapshot` copies: apply their .eilint-snapshot.json records "
            "(elsewhere such a file is never read).", default=False),
        Opt(("--config",), "config", "path",
            "The manifest (default: eilint.yaml here or above)."),
        Opt(("--offline",), "offline", "flag",
            "Never connect anywhere: a host:/path node is an error.", default=False),
        Opt(("--no-inline-suppressions",), "no_inline_suppressions", "flag",
            "Ignore eilint: disable= comments (for audits).", default=False),
        Opt(("--baseline",), "baseline", "path",
            "Hide the findings recorded in this baseline file."),
        Opt(("--write-baseline",), "write_baseline", "path",
            "Record today's findings in FILE and exit 0."),
        Opt(("--sarif-category",), "sarif_category", "str",
            "SARIF automationDetails.id category (code scanning)."),
        Opt(("--color",), "color", "choice", "Colour in the text report: auto "
            "(a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always "
            "or never.", default="auto", choices=COLOR),
        Opt(("--quiet", "-q"), "quiet", "flag", "Print the findings only: no "
            "summary line, no progress.", default=False),
        Opt(("--statistics",), "statistics", "flag", "Print how many findings "
            "each rule has instead of the findings (text format).", default=False),
        JOBS,
        TIMEOUT,
        SSH_CONFIG,
        Opt(("--map",), "path_map", "str", "NAME=DIR: show remote node NAME's "
            "files in SARIF and GitHub annotations as DIR/... (its copy in the "
            "repo).", multiple=True),
        Opt(("--profile",), "profile", "choice", "The EI profile to lint "
            "(default: the manifest's, else found in the trees).",
            choices=PROFILES),
        Opt(("--ei-version",), "ei_version", "str", "The EI 6.x release whose "
            "facts apply (default: the manifest's, else found in carbon.xml)."),
    ),
    "check",
)  # fmt: skip

INIT = Command(
    "init",
    "Write a commented eilint.yaml listing the node and nginx directories found.",
    (
        Arg("directory", "path", "The directory holding the node trees (searched "
            "two levels down).", default="."),
        Opt(("--force",), "force", "flag", "Overwrite eilint.yaml.", default=False),
    ),
    "init",
)  # fmt: skip

SNAPSHOT = Command(
    "snapshot",
    "Copy the files eilint reads from live nodes, to lint them offline later.",
    (
        Arg("nodes", "str", "Nodes: [NAME=][user@]host:/path (or a local PATH).",
            multiple=True, required=True),
        Opt(("--output", "-o"), "output", "path",
            "Write DIR/<node>/ for each node.", required=True),
        Opt(("--force",), "force", "flag", "Replace an existing DIR/<node>/.",
            default=False),
        JOBS,
        TIMEOUT,
        SSH_CONFIG,
    ),
    "snapshot",
)  # fmt: skip

RULES = Command(
    "rules",
    "List every rule in the catalog.",
    (
        Opt(("--format", "-f"), "fmt", "choice", "text (a table) or json.",
            default="text", choices=("text", "json")),
    ),
    "rules",
)  # fmt: skip

EXPLAIN = Command(
    "explain",
    "Explain a rule: why it matters, what EI really does, how to fix it, examples.",
    (Arg("rule", "str", "A rule id or name, e.g. REG001.", required=True),),
    "explain",
)

DOCS = Command(
    "docs",
    "Print the rule reference (rules/README.md) generated from the catalog.",
    (Opt(("--output", "-o"), "output", "path", "Write to FILE."),),
    "docs",
    hidden=True,
)

NEW_RULE = Command(
    "new-rule",
    "Scaffold a rule in a source checkout: catalog entry, fixtures, check stub.",
    (
        Arg("rule", "str", "The new rule's id, e.g. NGX031.", required=True),
        Arg("name", "str", "Its kebab-case name, e.g. upstream-without-keepalive.",
            required=True),
        Opt(("--title",), "title", "str", "One line: what is wrong."),
        Opt(("--severity",), "severity", "choice", "error, warning or note.",
            default="warning", choices=FAIL_ON),
        Opt(("--scope",), "scope", "choice", "What the rule compares.",
            default="node", choices=("file", "node", "cluster", "edge")),
    ),
    "new_rule",
    hidden=True,
)  # fmt: skip

COMMANDS: dict[str, Command] = {
    c.name: c for c in (CHECK, INIT, SNAPSHOT, RULES, EXPLAIN, DOCS, NEW_RULE)
}
APP_HELP = "Lint WSO2 EI 6.3.0 business-process clusters and their nginx load balancer."
HELP_NAMES = ("-h", "--help")
