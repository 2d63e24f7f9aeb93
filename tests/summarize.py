"""Counts of a suite run from its JUnit XML files, per database backend; exit 1 if anything
failed or was skipped, or if a backend that must run ran no test or no browser test.

    python tests/summarize.py [--expect sqlite,postgresql] artifacts/junit/*.xml

A test's backend is the `backend` property conftest.py records (under `--db all` also the
`[sqlite]` / `[postgresql]` in its id); tests that touch no database count as "no database".
The last line is the total, as "total: N passed, N failed, N skipped".
"""
from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET  # noqa: S405 - our own pytest output
from collections import Counter, defaultdict

NO_DB = "no database"
_ID_BACKEND = re.compile(r"\[(?:.*-)?(sqlite|postgresql)(?:-.*)?\]$")


def _outcome(case: ET.Element) -> str:
    tags = {child.tag for child in case}
    if tags & {"failure", "error"}:
        return "failed"
    if "skipped" in tags:
        return "skipped"
    return "passed"


def _backend(case: ET.Element) -> str:
    for prop in case.iter("property"):
        if prop.get("name") == "backend":
            return str(prop.get("value"))
    found = _ID_BACKEND.search(case.get("name", ""))
    return found.group(1) if found else NO_DB


def tally(paths: list[str]) -> tuple[dict[str, Counter[str]], dict[str, int], list[str]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    browser: dict[str, int] = Counter()
    bad: list[str] = []
    for path in paths:
        for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314
            backend, outcome = _backend(case), _outcome(case)
            counts[backend][outcome] += 1
            if case.get("classname", "").startswith("tests.browser."):
                browser[backend] += 1
            if outcome != "passed":
                bad.append(f"{outcome}: {case.get('classname')}::{case.get('name')}")
    return counts, browser, bad


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expect", default="", help="backends that must have run, with their browser tests")
    parser.add_argument("junit", nargs="+")
    args = parser.parse_args(argv)
    counts, browser, bad = tally(args.junit)
    order = [b for b in ("sqlite", "postgresql", NO_DB) if b in counts] + sorted(
        set(counts) - {"sqlite", "postgresql", NO_DB})
    for backend in order:
        c = counts[backend]
        extra = f" ({browser[backend]} in the browser)" if browser[backend] else ""
        print(f"{backend + ':':<13}{c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped{extra}")
    problems = []
    for backend in filter(None, args.expect.split(",")):
        if not counts[backend]["passed"]:
            problems.append(f"no test ran on {backend}")
        elif not browser[backend]:
            problems.append(f"no browser test ran on {backend}")
    total = Counter[str]()
    for c in counts.values():
        total.update(c)
    if total["skipped"]:
        problems.append("skipped tests are not allowed in CI: every suite must run")
    if not sum(total.values()):
        problems.append("no test ran")
    for line in bad[:50]:
        print(f"  {line}", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"total: {total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
    return 1 if total["failed"] or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
