"""Fixtures of the browser suite: the site, the demo users' logins, one logged-in page per role and language.

Run against a served site with the demo data (``.ci/run`` / ``scripts/dev-bench test`` do it all):

    KAM_BASE_URL=http://127.0.0.1:8000 KAM_PASSWORD=admin python -m pytest browser_tests

The demo users' logins come from ``key_account_management.demo.demo_logins()``: from KAM_DEMO_LOGINS (its
JSON output) when set, else from ``bench --site $KAM_TEST_SITE execute ...`` in $KAM_BENCH_DIR.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from browser_tests.desk import browser, login, set_language

BASE_URL = os.environ.get("KAM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ADMIN_PASSWORD = os.environ.get("KAM_PASSWORD", "admin")
BENCH_DIR = Path(os.environ.get("KAM_BENCH_DIR", Path.home() / "frappe-bench"))
SITE = os.environ.get("KAM_TEST_SITE", "kam.test")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

# the three roles of the README and the demo user who holds each (demo.kam.zhao is the second manager)
ROLE_USERS = {
	"manager": ("demo.kam.li@example.com", "Key Account Manager"),
	"director": ("demo.director@example.com", "Key Account Director"),
	"approver": ("demo.finance@example.com", "Hospitality Approver"),
	"colleague": ("demo.kam.zhao@example.com", "Key Account Manager"),
}
ROLES = ("manager", "director", "approver")
LANGUAGES = ("en", "zh")


def pytest_collection_modifyitems(items):
	"""All English tests first, then all Chinese ones: a user's language is one setting on the server."""

	def language(item) -> int:
		params = item.callspec.params if hasattr(item, "callspec") else {}
		value = params.get("language") or (params.get("session") or ("en",))[0]
		return LANGUAGES.index(value) if value in LANGUAGES else 0

	items.sort(key=language)


def _demo_logins() -> list[dict]:
	raw = os.environ.get("KAM_DEMO_LOGINS")
	if not raw:
		result = subprocess.run(
			["bench", "--site", SITE, "execute", "key_account_management.demo.demo_logins"],
			cwd=BENCH_DIR,
			capture_output=True,
			text=True,
			timeout=300,
		)
		assert result.returncode == 0, f"demo_logins failed on {SITE}: {result.stderr[-2000:]}"
		raw = result.stdout[result.stdout.find("[") :]
	return json.loads(raw)


@pytest.fixture(scope="session")
def logins() -> dict:
	"""role -> (user, password); each user holds exactly the one role of the README."""
	by_user = {entry["user"]: entry for entry in _demo_logins()}
	found = {}
	for role, (user, app_role) in ROLE_USERS.items():
		entry = by_user.get(user)
		assert entry, f"demo_logins() has no {user} ({role})"
		assert app_role in entry.get("roles", [app_role]), f"{user} does not hold {app_role}: {entry}"
		found[role] = (user, entry["password"])
	return found


@pytest.fixture(scope="session")
def chromium():
	with browser() as instance:
		yield instance


@pytest.fixture(scope="session")
def admin(chromium):
	"""Administrator's REST session, only to set up data a journey starts from and to clean up after it."""
	context, page, _watch = login(chromium, BASE_URL, "Administrator", ADMIN_PASSWORD)
	yield context.request
	context.close()


# the sessions open now: a failing test leaves a picture of each of their pages (CI keeps no browser)
OPEN_SESSIONS: list[Session] = []
FAILURES = Path(
	os.environ.get("KAM_BROWSER_FAILURES", Path(os.environ.get("TMPDIR", "/tmp")) / "kam-browser-failures")
)


class Session:
	"""A user logged in, in a language, with what went wrong on its page."""

	def __init__(self, chromium, role: str, user: str, password: str, language: str):
		self.role, self.user, self.language = role, user, language
		self.context, self.page, self.watch = login(chromium, BASE_URL, user, password, height=1100)
		set_language(self.page, BASE_URL, user, language)
		assert self.page.evaluate("frappe.boot.lang") == language
		OPEN_SESSIONS.append(self)

	def close(self):
		if self in OPEN_SESSIONS:
			OPEN_SESSIONS.remove(self)
		self.context.close()

	def screenshot(self, name: str, selector: str | None = None) -> Path:
		"""docs/screenshots/<language>/<role>-<name>.png: the viewport, or one element of the page."""
		folder = SCREENSHOTS / self.language
		folder.mkdir(parents=True, exist_ok=True)
		path = folder / f"{self.role}-{name}.png"
		if selector:
			element = self.page.locator(selector).first
			element.scroll_into_view_if_needed()
			element.screenshot(path=str(path))
		else:
			# the workspace scrolls in its own container (.layout-main-section-wrapper), not the window
			self.page.evaluate(
				"window.scrollTo(0, 0); document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })"
			)
			self.page.wait_for_timeout(300)
			self.page.screenshot(path=str(path))
		return path


@pytest.fixture(scope="session")
def sessions(chromium, logins):
	"""(role, language) -> Session, opened on first use and closed (language reset) at the end."""
	opened: dict[tuple[str, str], Session] = {}

	def get(role: str, language: str) -> Session:
		key = (role, language)
		if key not in opened:
			# one session per user at a time: a user's language is one setting
			for other in [k for k in opened if k[0] == role]:
				opened.pop(other).close()
			user, password = logins[role]
			opened[key] = Session(chromium, role, user, password, language)
		return opened[key]

	yield get
	for session in opened.values():
		if session.language != "en":
			set_language(session.page, BASE_URL, session.user, "en")
		session.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	outcome = yield
	report = outcome.get_result()
	if report.when != "call" or not report.failed:
		return
	FAILURES.mkdir(parents=True, exist_ok=True)
	slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.name)
	for session in OPEN_SESSIONS:
		path = FAILURES / f"{slug}--{session.role}-{session.language}.png"
		try:
			session.page.screenshot(path=str(path), full_page=True)
			dialogs = session.page.evaluate(
				"Array.from(document.querySelectorAll('.modal.show .modal-body, #alert-container .alert-message'))"
				".map((e) => e.innerText.trim()).filter(Boolean)"
			)
		except Exception as error:  # a closed page: nothing to show
			report.sections.append(("failure picture", f"{session.role}: {error}"))
			continue
		report.sections.append(
			("failure picture", f"{path} ({session.page.url}); dialogs: {dialogs or 'none'}")
		)
