"""Screenshots of the desk for the README, in English and Simplified Chinese.

Needs a running site with the demo data (`bench --site <site> execute key_account_management.demo.make_demo`,
then `bench serve`), Debian's chromium and `pip install playwright` (no browser download):

    python scripts/screenshots.py --url http://127.0.0.1:8000 --user Administrator --password admin
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from browser_tests.desk import desk, set_language

PROFILE = "DEMO-Huaxin Steel Group"


def pages(page, base: str) -> list[tuple[str, str, str | None]]:
	"""(file name, route, element to capture or None for the viewport)."""
	visit = page.evaluate(
		"""(profile) => frappe.xcall('frappe.client.get_list', {doctype: 'Visit Record',
			filters: {key_account: profile, docstatus: 1}, limit_page_length: 1}).then(r => r[0] && r[0].name)""",
		PROFILE,
	)
	request = page.evaluate(
		"""() => frappe.xcall('frappe.client.get_list', {doctype: 'Hospitality Request',
			filters: {workflow_state: 'Pending Director'}, limit_page_length: 1}).then(r => r[0] && r[0].name)"""
	)
	return [
		("workspace", "/app/key-accounts", None),
		("abc-analysis", "/app/query-report/ABC Analysis", None),
		("key-account-profile", f"/app/key-account-profile/{PROFILE}", None),
		("buying-center-chart", f"/app/key-account-profile/{PROFILE}", ".kam-bc-chart"),
		("visit-record", f"/app/visit-record/{visit}", None),
		("hospitality-request", f"/app/hospitality-request/{request}", None),
	]


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--user", default="Administrator")
	parser.add_argument("--password", default="admin")
	parser.add_argument("--out", default="docs/screenshots")
	args = parser.parse_args()

	with desk(args.url, args.user, args.password, height=1100) as page:
		original = page.evaluate("frappe.boot.lang") or "en"
		try:
			for language in ("en", "zh"):
				set_language(page, args.url, args.user, language)
				folder = os.path.join(args.out, language)
				os.makedirs(folder, exist_ok=True)
				for name, route, selector in pages(page, args.url):
					page.goto(args.url + route)
					page.wait_for_timeout(9000 if name == "workspace" else 4500)
					path = os.path.join(folder, f"{name}.png")
					if selector:
						page.locator(selector).first.scroll_into_view_if_needed()
						page.locator(selector).first.screenshot(path=path)
					else:
						page.screenshot(path=path)
					print(path)
		finally:
			set_language(page, args.url, args.user, original)
		if page.errors:
			print("page errors:", *page.errors, sep="\n  ")


if __name__ == "__main__":
	main()
