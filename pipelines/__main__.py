"""Command line: `python -m pipelines run | extract | evaluate`.

Subcommands are imported lazily so `run` does not pay for the evaluator and `extract` does not
import Dagster.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "run": (
        "pipelines.run",
        "materialize every asset over ARTICLES_DIR, publish the warehouse, print a summary",
    ),
    "extract": ("pipelines.cli_extract", "extract FILE... --out DIR: gold-format JSON per article"),
    "evaluate": (
        "pipelines.evaluate",
        "evaluate GOLD_DIR: precision/recall/F1 against *.gold.json",
    ),
}


def _usage() -> str:
    lines = ["usage: python -m pipelines {run,extract,evaluate} [args...]", ""]
    lines += [f"  {name:<9} {help_}" for name, (_, help_) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"unknown command {command!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name = COMMANDS[command][0]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name != module_name:
            raise
        print(f"`{command}` is not available yet ({module_name} is missing)", file=sys.stderr)
        return 2
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
