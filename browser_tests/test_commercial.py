"""The commercial position and the account's documents in the desk, in English and in Chinese, as the
demo's manager (holding only Key Account Manager) of an account with overdue invoices (docs/DOMAIN.md
§12).

- the profile's Commercial tab shows the figures, the chart and the overdue invoices;
- an overdue invoice opens from there, read-only (no Save, Submit or Cancel);
- another customer's invoice is refused with a message, and shows nothing of it.

Every step ends with no console error, no failed request, no error dialog (the refusal's own 403 is the
one expected); in Chinese no label is English. Screenshots: docs/screenshots/<language>/
manager-profile-commercial.png and manager-invoice-read-only.png.
"""

from __future__ import annotations

import json

import pytest

from browser_tests.conftest import BASE_URL, LANGUAGES, ROLE_USERS
from browser_tests.desk import api, open_form, wait_idle
from browser_tests.test_journeys import assert_chinese, assert_clean

CUSTOMER = "DEMO-Zhongyuan Power Grid"


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
	assert roles.get(found["account_manager"]) in ("manager", "colleague"), found
	found["role"] = roles[found["account_manager"]]
	mine = api(
		admin,
		BASE_URL,
		"frappe.client.get_list",
		doctype="Key Account Profile",
		filters=json.dumps({"account_manager": found["account_manager"]}),
		fields=json.dumps(["customer"]),
		limit_page_length=0,
	)
	teams = api(
		admin,
		BASE_URL,
		"frappe.client.get_list",
		doctype="Key Account Team Member",
		parent="Key Account Profile",
		filters=json.dumps({"user": found["account_manager"]}),
		fields=json.dumps(["parent"]),
		limit_page_length=0,
	)
	mine += [{"customer": row["parent"]} for row in teams]  # a profile is named after its customer
	others = api(
		admin,
		BASE_URL,
		"frappe.client.get_list",
		doctype="Sales Invoice",
		filters=json.dumps(
			[["customer", "not in", [row["customer"] for row in mine]], ["docstatus", "=", 1]]
		),
		fields=json.dumps(["name", "customer"]),
		limit_page_length=1,
	)
	assert others, "the demo has no invoice of a customer the manager does not work on"
	found["other_invoice"], found["other_customer"] = others[0]["name"], others[0]["customer"]
	return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_commercial_tab_and_the_accounts_invoices(sessions, account, language):
	session = sessions(account["role"], language)
	page, mark = session.page, session.watch.mark()
	open_form(page, BASE_URL, "Key Account Profile", account["name"])
	page.locator("[id$='-tab_commercial-tab']").first.click()
	page.wait_for_selector(".kam-commercial .kam-document", timeout=30000)
	page.wait_for_selector(".kam-commercial-chart svg", timeout=30000)
	wait_idle(page)
	text = page.locator(".kam-commercial").inner_text()
	assert "$" not in text, f"a dollar sign in a CNY company: {text[:300]}"
	assert "¥" in text or "CNY" in text, f"the CNY company's figures not in CNY: {text[:300]}"
	session.screenshot("profile-commercial", ".kam-commercial")
	assert_clean(session, mark, f"commercial tab of {account['name']}")
	invoices = page.evaluate(
		"() => [...document.querySelectorAll('.kam-commercial a.kam-document')].map((a) => a.innerText.trim())"
	)
	assert_chinese(session, set(invoices) | {account["name"], account["customer_name"] or ""})

	# the first overdue invoice, opened from the tab: the form shows it, read-only
	mark = session.watch.mark()
	invoice = invoices[0]
	page.locator(".kam-commercial a.kam-document").first.click()
	page.wait_for_function(
		"(name) => window.cur_frm && cur_frm.doctype === 'Sales Invoice' && cur_frm.docname === name",
		arg=invoice,
	)
	wait_idle(page, 1000)
	assert page.evaluate("cur_frm.doc.customer") == CUSTOMER
	assert not page.evaluate("cur_frm.perm[0].write || cur_frm.perm[0].cancel || cur_frm.perm[0].submit")
	assert not page.locator(".page-actions .primary-action:visible").count(), "a primary action is offered"
	# ERPNext's Create and action buttons lead only to "not permitted" for who reads only: none shown
	buttons = page.evaluate(
		"() => [...document.querySelectorAll('.page-actions .inner-group-button, .page-actions .custom-actions button')]"
		".filter((b) => b.offsetParent).map((b) => b.innerText.trim())"
	)
	assert not buttons, f"action buttons offered on a read-only invoice: {buttons}"
	session.screenshot("invoice-read-only")
	assert_clean(session, mark, f"invoice {invoice}")

	# another customer's invoice: refused with a message, nothing of it shown
	mark = session.watch.mark()
	page.goto(f"{BASE_URL}/app/sales-invoice/{account['other_invoice']}")
	page.wait_for_selector(".modal.show .msgprint, .page-card", timeout=60000)
	wait_idle(page, 1000)
	body = page.locator("body").inner_text()
	assert account["other_customer"] not in body, "another customer's invoice shows its customer"
	refused = page.evaluate(
		"() => !(window.cur_frm && cur_frm.doctype === 'Sales Invoice' && cur_frm.docname && cur_frm.doc.customer)"
	)
	assert refused or page.evaluate("cur_frm.docname") != account["other_invoice"]
	assert page.locator(".msgprint, .page-card, .modal.show").count(), "no message says why"
	problems = [p for p in session.watch.since(mark) if "403" not in p and "PermissionError" not in p]
	assert not [p for p in problems if not p.startswith("error dialog")], problems
