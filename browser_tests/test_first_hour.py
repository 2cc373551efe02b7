"""The first hour with the demo (issue 29), as the demo users in Chromium against the served demo:

- realtime works: "Reclassify Now" as the director shows its progress bar to the end (socket.io reached
  from the desk's own origin, counted like any other request);
- privacy shows: a manager sees their own accounts and the one whose team they are on, and opening a
  colleague's profile is refused with the app's message;
- lists read by people's names and show nothing twice (profiles, visits, hospitality, buying center);
- the workspace's first load (a fresh browser, cold cache, to network idle) for each role, printed, with
  the assets served compressed and cached.
"""

from __future__ import annotations

import re
import time

import pytest

from browser_tests.conftest import BASE_URL, LANGUAGES, ROLE_USERS, ROLES
from browser_tests.desk import api, call, login, open_form, open_route, wait_idle

# generous: the README gives the figures measured on an idle machine (2.5 s at most); this catches a
# workspace that got several times slower, not noise from tests running beside it
FIRST_LOAD_LIMIT_S = 12.0


def clean(session, mark: int, step: str, allowed=()) -> None:
	problems = [p for p in session.watch.since(mark) if not any(a in p for a in allowed)]
	assert not problems, f"{session.role} ({session.language}), {step}:\n  " + "\n  ".join(problems)


# -- privacy --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def accounts(admin, sessions):
	"""All demo profiles with their manager (as Administrator) and the names the demo manager sees."""
	every = api(
		admin,
		BASE_URL,
		"frappe.client.get_list",
		doctype="Key Account Profile",
		fields='["name", "account_manager"]',
		limit_page_length=500,
	)
	mine = call(
		sessions("manager", "en").page,
		"frappe.client.get_list",
		doctype="Key Account Profile",
		fields=["name"],
		limit_page_length=500,
	)
	return every, {row["name"] for row in mine}


def test_manager_sees_own_accounts_and_the_shared_one(accounts):
	every, seen = accounts
	manager, colleague = ROLE_USERS["manager"][0], ROLE_USERS["colleague"][0]
	own = {p["name"] for p in every if p["account_manager"] == manager}
	theirs = {p["name"] for p in every if p["account_manager"] == colleague}
	assert own and own <= seen, f"{manager} misses own accounts: {sorted(own - seen)}"
	assert seen & theirs, f"{manager} is on no colleague's account team in the demo"
	assert theirs - seen, f"{manager} sees every account of {colleague}: the demo shows no privacy"


@pytest.mark.parametrize("language", LANGUAGES)
def test_colleague_profile_is_refused(sessions, accounts, language):
	every, seen = accounts
	colleague = ROLE_USERS["colleague"][0]
	name = sorted(p["name"] for p in every if p["account_manager"] == colleague and p["name"] not in seen)[0]
	session = sessions("manager", language)
	page, mark = session.page, session.watch.mark()
	page.goto(f"{BASE_URL}/app/key-account-profile/{name}")
	dialog = page.locator(".modal.show", has_text=re.compile("You cannot open|您无法打开"))
	dialog.first.wait_for(state="visible", timeout=60000)
	text = dialog.first.inner_text()
	assert name in text, text
	assert re.search("account team|专属服务团队", text), text
	assert "controller permission" not in text, (
		f"Frappe's permission log instead of the app's message: {text}"
	)
	# the one refused request is the form's load of that profile, nothing else failed
	clean(
		session,
		mark,
		f"refused {name}",
		allowed=("frappe.desk.form.load.getdoc", "You cannot open", "您无法打开"),
	)
	dialog.first.locator(".btn-modal-close").click()
	dialog.first.wait_for(state="hidden")


# -- realtime -------------------------------------------------------------------------------------------


def test_reclassify_now_shows_progress_to_the_end(sessions):
	session = sessions("director", "en")
	page, mark = session.page, session.watch.mark()
	open_form(page, BASE_URL, "Key Account Settings", "Key Account Settings")
	assert page.evaluate("frappe.realtime.socket && frappe.realtime.socket.connected"), (
		"socket.io is not connected"
	)
	before = page.evaluate("cur_frm.doc.last_run_on")
	# the job's steps as they arrive, and what the director sees on each frame: the progress bars on
	# screen and how full the first is
	page.evaluate(
		"""() => {
		window.kam_progress = [];
		window.kam_seen = [];
		frappe.realtime.on("kam_reclassify_progress", (data) => window.kam_progress.push(data.progress));
		const shown = () => Array.from(document.querySelectorAll('.modal .progress-bar'))
			.filter((bar) => bar.closest('.modal').style.display === 'block');
		const frame = () => {
			const bars = shown();
			if (bars.length) window.kam_seen.push([bars.length, bars[0].style.width]);
			if (!window.kam_stop) requestAnimationFrame(frame);
		};
		frame();
		}"""
	)
	page.locator(".page-actions button:visible, .custom-actions button:visible").filter(
		has_text=re.compile("Reclassify Now|立即重新分类")
	).first.click()
	page.wait_for_function("() => (window.kam_progress || []).includes(100)", timeout=600000)
	# then the bar goes and the settings show the new run
	page.wait_for_function(
		"() => window.kam_seen.length && !document.querySelector('.modal[style*=\"display: block\"] .progress-bar')",
		timeout=60000,
	)
	steps, seen = page.evaluate(
		"() => { window.kam_stop = true; return [window.kam_progress, window.kam_seen]; }"
	)
	assert len(steps) >= 2 and steps == sorted(steps), steps
	assert max(count for count, _width in seen) == 1, f"more than one progress bar on screen: {seen[-5:]}"
	assert "100%" in {width for _count, width in seen}, f"the bar never reached the end: {seen[-5:]}"
	page.wait_for_function(
		"(before) => cur_frm.doc.last_run_on && cur_frm.doc.last_run_on !== before", arg=before
	)
	wait_idle(page)
	clean(session, mark, "Reclassify Now")


# -- lists ----------------------------------------------------------------------------------------------

# doctype: (columns that must show, columns that must not: they would repeat what the row shows already,
# the title (the customer's or person's name), the status indicator (the class, the workflow state))
LISTS = {
	"Key Account Profile": (["Account Manager"], ["ID", "ABC Class", "Customer Name"]),
	"Hospitality Request": (["Requested By"], ["Key Account", "Workflow State", "Customer Name"]),
	"Visit Record": ([], ["Customer Name"]),
	"Buying Center Role": (["Key Account"], ["ID", "Name"]),
}


def list_columns(page) -> tuple[list[str], list[list[str]]]:
	"""The list's column heads (after the subject) and each row's cells."""
	heads = page.evaluate(
		"""() => Array.from(document.querySelectorAll('.frappe-list .list-row-head .list-row-col:not(.list-subject)'))
			.filter((e) => e.offsetParent).map((e) => e.innerText.trim()).filter(Boolean)"""
	)
	rows = page.evaluate(
		"""() => Array.from(document.querySelectorAll('.frappe-list .list-row-container .list-row'))
			.filter((e) => e.offsetParent)
			.map((row) => Array.from(row.querySelectorAll('.list-row-col')).map((c) => c.innerText.trim()))"""
	)
	return heads, rows


@pytest.mark.parametrize(
	("role", "language"), [("manager", "en"), ("director", "en"), ("manager", "zh")], ids=lambda v: v
)
def test_lists_show_people_by_name_and_nothing_twice(sessions, role, language):
	session = sessions(role, language)
	page, mark = session.page, session.watch.mark()
	for doctype, (wanted, unwanted) in LISTS.items():
		open_route(page, BASE_URL, doctype.lower().replace(" ", "-"))
		page.wait_for_selector(".frappe-list .list-row-head", state="visible")
		wait_idle(page)
		heads, rows = list_columns(page)
		label = {text: page.evaluate("(t) => __(t)", text) for text in wanted + unwanted}
		for text in wanted:
			assert label[text] in heads, f"{doctype} list ({language}): no {text!r} column in {heads}"
		for text in unwanted:
			assert label[text] not in heads, f"{doctype} list ({language}): {text!r} column repeats: {heads}"
		assert len(heads) == len(set(heads)), f"{doctype} list ({language}): a column twice: {heads}"
		assert rows, f"{doctype} list is empty for {session.user}"
		for cells in rows:
			assert not any("@" in cell for cell in cells), f"{doctype} list shows a user ID: {cells}"
			shown = [c for c in cells if c]
			assert len(shown) == len(set(shown)), f"{doctype} list shows a value twice in a row: {cells}"
		if doctype == "Key Account Profile":
			session.screenshot("profile-list")
	clean(session, mark, "lists")


# -- first load -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_workspace_first_load(chromium, logins, role):
	"""A fresh browser (cold cache) to network idle on the Key Accounts workspace; the figure is printed
	(README "Quick start" quotes it); the bundles come gzipped with a year's cache."""
	user, password = logins[role]
	context, page, watch = login(chromium, BASE_URL, user, password)
	assets = []
	page.on(
		"response",
		lambda r: assets.append(r) if "/assets/" in r.url and r.url.endswith((".js", ".css")) else None,
	)
	try:
		start = time.monotonic()
		page.goto(f"{BASE_URL}/app/key-accounts", wait_until="networkidle")
		elapsed = time.monotonic() - start
		page.wait_for_selector(".number-widget-box .widget-content .number")
		requests = page.evaluate("performance.getEntriesByType('resource').length")
		print(f"\nfirst load of the workspace as the {role} ({user}): {elapsed:.2f} s, {requests} requests")
		bundles = [r for r in assets if "/dist/" in r.url]
		assert bundles, "no script or style bundle from /assets/*/dist"
		for response in bundles:
			headers = response.headers
			assert headers.get("content-encoding") == "gzip", f"{response.url} is not compressed"
			assert "max-age=31536000" in headers.get("cache-control", ""), f"{response.url} is not cached"
		assert elapsed < FIRST_LOAD_LIMIT_S, f"the workspace's first load took {elapsed:.1f} s"
		assert watch.since(0) == []
	finally:
		context.close()
