"""Screenshots of the desk for the README, in English and Simplified Chinese, from the browser suite's run.

The browser suite (browser_tests/test_journeys.py, test_plan.py) walks each role's journeys as the demo
users and saves docs/screenshots/<language>/<role>-<page>.png on its way; this runs it. Needs a served
site with the demo data (`bench --site <site> execute key_account_management.demo.make_demo`, then
`bench serve` on the site's host_name: the plan's PDF loads its style from there), Debian's chromium,
poppler-utils and `pip install playwright pytest` (no browser download):

    python scripts/screenshots.py --url http://127.0.0.1:8000 --site kam.test --password admin
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--site", default=os.environ.get("KAM_TEST_SITE", "kam.test"))
	parser.add_argument("--password", default="admin", help="Administrator's password (test set-up only)")
	parser.add_argument("-k", default="", help="only the journeys matching this pytest expression")
	args = parser.parse_args()
	env = {**os.environ, "KAM_BASE_URL": args.url, "KAM_TEST_SITE": args.site, "KAM_PASSWORD": args.password}
	command = [
		sys.executable,
		"-m",
		"pytest",
		"-q",
		"-p",
		"no:cacheprovider",
		"browser_tests/test_journeys.py",
		"browser_tests/test_plan.py",
	]
	if args.k:
		command += ["-k", args.k]
	return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
	sys.exit(main())
