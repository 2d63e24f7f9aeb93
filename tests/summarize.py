"""Sum JUnit XML results of the suite's runs; fail if anything failed or was skipped."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET  # noqa: S405 - our own pytest output


def main(paths: list[str]) -> int:
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for path in paths:
        root = ET.parse(path).getroot()  # noqa: S314
        suites = [root] if root.tag == "testsuite" else list(root)
        counts = {k: sum(int(s.get(k, 0)) for s in suites) for k in total}
        passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
        print(f"{path}: {passed} passed, {counts['failures'] + counts['errors']} failed, "
              f"{counts['skipped']} skipped")
        for k in total:
            total[k] += counts[k]
    failed = total["failures"] + total["errors"]
    passed = total["tests"] - failed - total["skipped"]
    print(f"total: {passed} passed, {failed} failed, {total['skipped']} skipped")
    if total["skipped"]:
        print("skipped tests are not allowed in CI: every suite must run", file=sys.stderr)
    return 1 if failed or total["skipped"] or not total["tests"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
