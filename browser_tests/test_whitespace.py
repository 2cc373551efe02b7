"""Whitespace in the desk, in English and in Chinese, as the demo's manager of the account that shows
all four statuses (docs/DOMAIN.md §11).

- the profile's Whitespace tab lists the account's item groups with Bought, In pipeline, Lost and White;
- the report "Key Account Whitespace" holds the account, largest potential first.

Every step ends with no console error, no failed request, no error dialog; in Chinese no label is English.
Screenshots: docs/screenshots/<language>/<role>-profile-whitespace.png and <role>-report-whitespace.png.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from browser_tests.conftest import BASE_URL, LANGUAGES, ROLE_USERS
from browser_tests.desk import api, open_form, open_route, wait_idle
from browser_tests.test_journeys import assert_chinese, assert_clean

ZH = Path(__file__).resolve().parent.parent / "key_account_management" / "translations" / "zh.csv"
CUSTOMER = "DEMO-Huaxin Steel Group"
STATUSES = ("Bought", "In pipeline", "Lost", "White")


def status_label(status: str, language: str) -> str:
	if language != "zh":
		return status
	# the row with the context "Whitespace", else the plain one (Frappe falls back to it)
	with ZH.open(encoding="utf-8", newline="") as handle:
		rows = {(row[0], row[2] if len(row) == 3 else ""): row[1] for row in csv.reader(handle)}
	found = rows.get((status, "Whitespace")) or rows.get((status, ""))
	assert found, f"no Chinese for {status}"
	return found


@pytest.fixture(scope="module")
def account(admin) -> dict:
	found = api(
		admin,
		BASE_URL,
		"frappe.client.get_value",
		doctype="Key Account Profile",
		filters=json.dumps({"customer": CUSTOMER}),
		fieldname=json.dumps(["name", "account_manager", "customer_name"]),
	)
	assert found, f"the demo has no profile of {CUSTOMER} (load the demo data)"
	roles = {user: role for role, (user, _app_role) in ROLE_USERS.items()}
	assert found["account_manager"] in roles, f"{CUSTOMER} is managed by {found['account_manager']}"
	found["role"] = roles[found["account_manager"]]
	return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_whitespace_tab_and_report(sessions, account, language):
	session = sessions(account["role"], language)
	page, mark = session.page, session.watch.mark()
	open_form(page, BASE_URL, "Key Account Profile", account["name"])
	page.locator("[id$='-tab_whitespace-tab']").first.click()
	page.wait_for_selector(".kam-whitespace-cell", timeout=30000)
	wait_idle(page)
	cells = page.evaluate(
		"""() => [...document.querySelectorAll('.kam-whitespace-cell')].map((row) =>
			[row.dataset.status, row.querySelector('.indicator-pill').innerText.trim(),
			 row.querySelector('td').innerText.trim()])"""
	)
	shown = {status for status, _label, _group in cells}
	assert set(STATUSES) <= shown, f"{account['name']} shows {shown}"
	for status, label, group in cells:
		assert label == status_label(status, language), (group, status, label)
	session.screenshot("profile-whitespace", ".kam-whitespace")
	assert_clean(session, mark, f"whitespace tab of {account['name']}")
	groups = {group for _status, _label, group in cells}
	assert_chinese(session, groups | {account["name"], account["customer_name"] or ""})

	mark = session.watch.mark()
	report = "Key Account Whitespace"
	open_route(page, BASE_URL, f"query-report/{report}")
	page.wait_for_function(
		"(name) => window.frappe.query_report && frappe.query_report.report_name === name", arg=report
	)
	page.wait_for_function("() => (frappe.query_report.data || []).length > 0", timeout=60000)
	wait_idle(page, 1500)
	rows = page.evaluate("frappe.query_report.data || []")
	names = [row.get("key_account") for row in rows if row.get("key_account")]
	assert account["name"] in names, f"{report} lacks {account['name']}: {names}"
	# the accounts' rows (the total row names no manager)
	potentials = [row.get("potential") or 0 for row in rows if row.get("account_manager")]
	assert potentials == sorted(potentials, reverse=True), potentials
	session.screenshot("report-whitespace")
	assert_clean(session, mark, report)
	data = {
		str(row.get(key) or "") for row in rows for key in ("key_account", "customer_name", "account_manager")
	}
	assert_chinese(session, data | groups)
