"""The account plan in the desk, in English and in Chinese, as the demo users (docs/DOMAIN.md §10).

- manager (demo.kam.li): a new plan for one of their accounts with four measures, made through the form;
  after saving, the measures grid shows each measure's actual and status.
- director: Account Plan Progress shows rows (the demo's plans, some behind).
- manager: the plan printed as PDF ("Account Plan" print format, wkhtmltopdf); its text, extracted with
  pdftotext, holds the goals and the figures, with the labels in the user's language.

Every step ends with no console error, no failed request, no error dialog; in Chinese no label is English.
Screenshots: docs/screenshots/<language>/manager-plan.png, director-plan-progress.png and
manager-plan-pdf.png (the PDF's first page, pdftoppm).

Needs poppler-utils (pdftotext, pdftoppm), and the site answering on its host_name as well as on
KAM_BASE_URL: wkhtmltopdf loads the print style from the host_name (Frappe's get_url()).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

import pytest

from browser_tests.conftest import BASE_URL, LANGUAGES, ROLE_USERS, SCREENSHOTS
from browser_tests.desk import api, call, open_route, wait_idle
from browser_tests.test_journeys import assert_chinese, assert_clean, pick_link, save, set_values

ZH = Path(__file__).resolve().parent.parent / "key_account_management" / "translations" / "zh.csv"
DOCTYPE = "Key Account Plan"
GOAL = "Win the PLC retrofit"
RELATIONSHIP_GOAL = "Meet the engineers"
# (objective, measure, target): four measures; the figures are checked in the grid and the PDF
MEASURES = [
	(GOAL, "Net Revenue", 480000),
	(GOAL, "Gross Profit", 150000),
	(RELATIONSHIP_GOAL, "Visits Completed", 6),
	(RELATIONSHIP_GOAL, "Milestone", None),
]
STATUSES = ("Achieved", "On track", "Behind", "At risk")
# labels of the review document; in Chinese each must print as zh.csv translates it
PDF_LABELS = (
	"Account Plan",
	"Account Summary",
	"Goals against Actuals",
	"Objective",
	"Measure",
	"Target",
	"Actual",
	"Net Revenue",
	"Gross Profit",
	"Visits Completed",
	"Milestone",
)


# CJK Radicals Supplement -> the simplified character a PDF font may map to them (pdftotext reads ⻛ for 风)
RADICALS = str.maketrans(
	{
		"\u2ec4": "西",
		"\u2ec5": "见",
		"\u2ec6": "角",
		"\u2ec9": "贝",
		"\u2ecb": "车",
		"\u2ed3": "长",
		"\u2ed4": "门",
		"\u2ed8": "青",
		"\u2eda": "页",
		"\u2edb": "风",
		"\u2edc": "飞",
		"\u2edd": "食",
		"\u2ee2": "马",
		"\u2ee3": "骨",
		"\u2ee4": "鬼",
		"\u2ee5": "鱼",
		"\u2ee6": "鸟",
		"\u2ee9": "黄",
		"\u2eec": "齐",
		"\u2eee": "齿",
		"\u2ef0": "龙",
		"\u2ef3": "龟",
	}
)


def chinese() -> dict[str, str]:
	"""zh.csv as it is now (source -> translation)."""
	with ZH.open(encoding="utf-8") as handle:
		return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2 and row[1].strip()}


def in_language(text: str, language: str) -> str:
	return chinese().get(text, text) if language == "zh" else text


def figure(value: float) -> str:
	"""The whole part of a figure as the desk prints a Float, thousands grouped (480,000 of 480,000.00)."""
	return f"{int(value):,}"


@pytest.fixture(scope="module")
def account(admin, sessions):
	"""One of the manager's accounts with no plan over today: the demo plans the first accounts only."""
	manager = sessions("manager", "en").page
	profiles = call(
		manager,
		"frappe.client.get_list",
		doctype="Key Account Profile",
		filters={"account_manager": ROLE_USERS["manager"][0]},
		fields=["name", "customer_name"],
		order_by="name asc",
		limit_page_length=100,
	)
	assert profiles, "demo.kam.li manages no profile: run make_demo first"
	delete_journey_plans(admin)
	today = manager.evaluate("frappe.datetime.get_today()")
	planned = {
		plan["key_account"]
		for plan in api(
			admin,
			BASE_URL,
			"frappe.client.get_list",
			doctype=DOCTYPE,
			filters=json.dumps([["period_start", "<=", today], ["period_end", ">=", today]]),
			fields=json.dumps(["key_account"]),
			limit_page_length=0,
		)
	}
	free = [p for p in profiles if p["name"] not in planned]
	assert free, f"every account of demo.kam.li already has a plan for {today}"
	yield free[-1]
	delete_journey_plans(admin)


@pytest.fixture
def fresh(admin, account):
	"""The account, and after the test no plan of this journey (one active plan per account and period)."""
	yield account
	delete_journey_plans(admin)


def delete_journey_plans(admin) -> None:
	"""The plans this journey made (by their goal), left by an earlier run or made now."""
	for plan in api(
		admin,
		BASE_URL,
		"frappe.client.get_list",
		doctype=DOCTYPE,
		filters=json.dumps([["Key Account Plan Objective", "objective", "=", GOAL]]),
		limit_page_length=0,
	):
		api(admin, BASE_URL, "frappe.client.delete", doctype=DOCTYPE, name=plan["name"])


def add_row(page, table: str, values: list[tuple[str, object]]) -> None:
	"""Add Row under the form's table, fill the row's form like a user (a select is chosen, the other
	fields typed) and close it again."""
	page.locator(f".frappe-control[data-fieldname='{table}'] .grid-add-row:visible").first.click()
	row = page.locator(".grid-row-open").first
	row.wait_for(state="visible")
	for fieldname, value in values:
		field = row.locator(f".frappe-control[data-fieldname='{fieldname}']").first
		if field.locator("select").count():
			field.locator("select").select_option(str(value))
		else:
			field.locator("input, textarea").first.fill(str(value))
			field.locator("input, textarea").first.press("Tab")
		# the control writes the row once its input settles: wait for it before the next field
		page.wait_for_function(
			"([table, fieldname, value]) => String(cur_frm.doc[table].slice(-1)[0][fieldname]) === value",
			arg=[table, fieldname, str(value)],
			timeout=10000,
		)
	row.locator(".grid-collapse-row").first.click()
	page.wait_for_selector(".grid-row-open", state="detached")
	wait_idle(page, 200)


def make_plan(session, account: dict) -> str:
	"""The manager's new plan through the form: account, period, two objectives, four measures; saved."""
	page = session.page
	open_route(page, BASE_URL, "key-account-plan")
	page.locator(".page-actions .primary-action:visible").first.click()
	page.wait_for_function(f"() => window.cur_frm && cur_frm.doctype === '{DOCTYPE}' && cur_frm.is_new()")
	wait_idle(page)
	pick_link(page, "key_account", account["customer_name"] or account["name"], account["name"])
	# the calendar year the demo's fiscal years are, typed as the date picker would
	year = page.evaluate("frappe.datetime.get_today().slice(0, 4)")
	set_values(page, {"period_start": f"{year}-01-01", "period_end": f"{year}-12-31"})
	assert page.evaluate("cur_frm.doc.status") == "Active"
	for goal in (GOAL, RELATIONSHIP_GOAL):
		add_row(page, "objectives", [("objective", goal)])
	for objective, measure, target in MEASURES:
		values = [("measure", measure), ("objective", objective)]
		add_row(page, "measures", values + ([("target", target)] if target is not None else []))
	entered = page.evaluate("cur_frm.doc.measures.map((m) => [m.objective, m.measure, m.target || null])")
	assert entered == [list(m) for m in MEASURES], entered
	save(page)
	return page.evaluate("cur_frm.doc.name")


@pytest.mark.parametrize("language", LANGUAGES)
def test_plan_progress_and_review_document(sessions, fresh, language):
	account = fresh
	# -- the manager plans ------------------------------------------------------------------------------
	manager = sessions("manager", language)
	page, mark = manager.page, manager.watch.mark()
	name = make_plan(manager, account)
	measures = page.evaluate("cur_frm.doc.measures")
	assert [m["measure"] for m in measures] == [m[1] for m in MEASURES]
	assert all(m.get("measure_status") in STATUSES for m in measures), [
		(m["measure"], m.get("measure_status")) for m in measures
	]
	assert page.evaluate("cur_frm.doc.refreshed_on"), "saving the plan refreshed no actual"
	# the grid shows the actuals and the statuses, in the user's language
	grid = page.locator(".frappe-control[data-fieldname='measures'] .grid-body").first
	grid.scroll_into_view_if_needed()
	text = grid.inner_text()
	for row in measures:
		assert in_language(row["measure_status"], language) in text, (row["measure_status"], text)
	revenue = next(m for m in measures if m["measure"] == "Net Revenue")
	assert revenue["actual"] > 0, f"{account['name']} shows no net revenue this year"
	assert figure(revenue["actual"]) in text, (revenue["actual"], text)
	manager.screenshot("plan")
	assert_clean(manager, mark, f"new plan {name}")
	company = page.evaluate("cur_frm.doc.company")
	data = {
		account["name"],
		account["customer_name"] or "",
		name,
		GOAL,
		RELATIONSHIP_GOAL,
		manager.user,
		company,
	}
	assert_chinese(manager, data)

	# -- the director reads the progress ----------------------------------------------------------------
	director = sessions("director", language)
	page, mark = director.page, director.watch.mark()
	report = "Account Plan Progress"
	open_route(page, BASE_URL, f"query-report/{report}")
	page.wait_for_function(
		"(name) => window.frappe.query_report && frappe.query_report.report_name === name", arg=report
	)
	wait_idle(page, 1500)
	rows = page.evaluate("frappe.query_report.data || []")
	assert rows, "Account Plan Progress shows no row to the director"
	assert any(row.get("plan") == name for row in rows), (
		f"the director's Account Plan Progress does not hold {name}"
	)
	director.screenshot("plan-progress")
	assert_clean(director, mark, report)
	accounts = {str(row.get(key) or "") for row in rows for key in ("key_account", "customer_name")}
	assert_chinese(director, accounts | data | {str(row.get("objective") or "") for row in rows})

	# -- the manager prints the review document -----------------------------------------------------------
	page, mark = manager.page, manager.watch.mark()
	# Frappe's download_pdf takes the print language as ``language`` (the user's is the default anyway)
	query = urlencode({"doctype": DOCTYPE, "name": name, "format": "Account Plan", "language": language})
	response = page.request.get(f"{BASE_URL}/api/method/frappe.utils.print_format.download_pdf?{query}")
	assert response.ok, f"PDF of {name}: HTTP {response.status} {response.text()[-600:]}" + (
		"\n(wkhtmltopdf loads the print style from the site's host_name: serve the site there too)"
		if "network error" in response.text()
		else ""
	)
	body = response.body()
	assert body.startswith(b"%PDF"), body[:200]
	text = pdf_text(body, manager, language)
	squeezed = " ".join(text.split())
	for goal in (GOAL, RELATIONSHIP_GOAL):
		assert goal in squeezed, f"the PDF does not hold the goal {goal!r}"
	for _objective, _measure, target in MEASURES:
		if target:
			assert figure(target) in squeezed, f"the PDF does not hold the target {figure(target)}"
	assert figure(revenue["actual"]) in squeezed, "the PDF does not hold the net revenue's actual"
	# a narrow column breaks a Chinese label anywhere: labels are compared without white space
	bare = "".join(text.split())
	for label in (*PDF_LABELS, revenue["measure_status"]):
		translated = in_language(label, language)
		assert "".join(translated.split()) in bare, f"the PDF ({language}) lacks {translated!r} ({label})"
	if language == "zh":
		assert re.search(r"[\u3400-\u9fff]", text)
	assert_clean(manager, mark, f"PDF of {name}")


def pdf_text(body: bytes, session, language: str) -> str:
	"""The PDF's text (pdftotext); its first page as docs/screenshots/<language>/manager-plan-pdf.png."""
	assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
	with tempfile.TemporaryDirectory() as folder:
		pdf = Path(folder) / "plan.pdf"
		pdf.write_bytes(body)
		text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
		if shutil.which("pdftoppm"):
			target = SCREENSHOTS / language / f"{session.role}-plan-pdf"
			target.parent.mkdir(parents=True, exist_ok=True)
			subprocess.run(
				["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)],
				check=True,
			)
	# the PDF's ligatures (ﬁ) and Kangxi radicals as the characters they stand for; the CJK font maps some
	# simplified characters to radicals of the supplement (风 as ⻛), which NFKC leaves as they are
	return unicodedata.normalize("NFKC", text).translate(RADICALS)
