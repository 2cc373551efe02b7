"""Drive the ERPNext desk in Debian's Chromium through Playwright (no browser download)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from urllib.parse import quote, urlparse

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("KAM_CHROMIUM", "/usr/bin/chromium")
# the flags that keep Chromium from reaching out to the network on a closed machine
ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-dev-shm-usage",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]


@contextlib.contextmanager
def browser():
	"""One headless Chromium for a whole run; each user gets a context of their own."""
	with sync_playwright() as playwright:
		chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
		try:
			yield chromium
		finally:
			chromium.close()


class Watch:
	"""Everything that went wrong on a page: console errors, page errors, failed requests, error dialogs.

	``mark()`` and ``since(mark)`` scope the problems to one step of a journey.
	"""

	def __init__(self, page, base_url: str):
		self.page = page
		self.origin = "{0.scheme}://{0.netloc}".format(urlparse(base_url))
		self.events: list[str] = []
		page.on("console", self._console)
		page.on("pageerror", self._page_error)
		page.on("requestfailed", self._request_failed)
		page.on("response", self._response)

	def _console(self, message) -> None:
		if message.type == "error":
			location = message.location.get("url", "") if message.location else ""
			self.events.append(f"console error: {message.text} ({location})")

	def _page_error(self, error) -> None:
		stack = " <- ".join(
			line.strip() for line in (getattr(error, "stack", "") or "").splitlines()[1:4] if line.strip()
		)
		where = f" on {self.page.url}"
		self.events.append(f"page error: {error}" + (f" ({stack})" if stack else "") + where)

	def _request_failed(self, request) -> None:
		if not request.url.startswith(self.origin):
			return
		failure = request.failure or ""
		# a navigation that replaces a page aborts the old page's pending requests: not a failure
		if "ERR_ABORTED" in failure:
			return
		self.events.append(f"request failed: {request.method} {request.url} ({failure})")

	def _response(self, response) -> None:
		if response.status < 400:
			return
		detail = ""
		with contextlib.suppress(Exception):
			body = response.json()
			detail = body.get("exc_type") or ""
			messages = body.get("_server_messages")
			if messages:
				detail += " " + " | ".join(
					re.sub(r"<[^>]+>", "", json.loads(m).get("message", "")) for m in json.loads(messages)
				)
			elif body.get("exception"):
				detail += " " + str(body["exception"])[:300]
		self.events.append(
			f"HTTP {response.status}: {response.request.method} {response.url} {detail}".strip()
		)

	def mark(self) -> int:
		return len(self.events)

	def since(self, mark: int = 0) -> list[str]:
		return self.events[mark:] + self.error_dialogs()

	def error_dialogs(self) -> list[str]:
		"""Visible message dialogs with a red indicator or a server-error title."""
		found = []
		for dialog in self.page.locator(".modal.show").all():
			with contextlib.suppress(Exception):
				text = dialog.inner_text(timeout=1000)
				if dialog.locator(".indicator.red, .modal-title .indicator.red").count() or re.search(
					r"Server Error|Traceback|服务器错误", text
				):
					found.append("error dialog: " + " ".join(text.split())[:400])
		return found


def login(chromium, base_url: str, user: str, password: str, width: int = 1400, height: int = 1000):
	"""A new browser context logged in as ``user``; returns (context, page, watch)."""
	context = chromium.new_context(viewport={"width": width, "height": height}, locale="en-US")
	page = context.new_page()
	page.set_default_timeout(60000)
	watch = Watch(page, base_url)
	response = page.request.post(f"{base_url}/api/method/login", form={"usr": user, "pwd": password})
	assert response.ok, f"login as {user} failed: HTTP {response.status} {response.text()[:300]}"
	return context, page, watch


def wait_idle(page, settle_ms: int = 400, timeout_ms: int = 60000) -> None:
	"""Until the desk has no request in flight and no freeze overlay, then a short settle time."""
	deadline = time.monotonic() + timeout_ms / 1000
	while time.monotonic() < deadline:
		busy = page.evaluate(
			"""() => !window.frappe || !frappe.request ? 1 :
				(frappe.request.ajax_count || 0) + ((frappe.dom && frappe.dom.freeze_count) || 0)"""
		)
		if not busy:
			page.wait_for_timeout(settle_ms)
			if not page.evaluate(
				"() => window.frappe && frappe.request ? frappe.request.ajax_count || 0 : 1"
			):
				return
		page.wait_for_timeout(200)
	raise TimeoutError("the desk kept requests in flight for a minute")


def open_route(page, base_url: str, route: str) -> None:
	"""Open a desk route (``key-account-profile/NAME``) and wait for it to settle."""
	page.goto(f"{base_url}/app/{quote(route, safe='/')}")
	page.wait_for_function("() => window.frappe && frappe.boot && frappe.container && frappe.container.page")
	wait_idle(page)


def open_form(page, base_url: str, doctype: str, name: str) -> None:
	slug = doctype.lower().replace(" ", "-")
	open_route(page, base_url, f"{slug}/{name}")
	page.wait_for_function(
		"([doctype, name]) => window.cur_frm && cur_frm.doctype === doctype && cur_frm.docname === name",
		arg=[doctype, name],
	)
	wait_idle(page)


def call(page, method: str, **kwargs):
	"""A whitelisted method called from the page, with the user's session (frappe.xcall)."""
	return page.evaluate("([method, args]) => frappe.xcall(method, args)", [method, kwargs])


def api(request_context, base_url: str, method: str, **kwargs):
	"""A whitelisted method over REST with a logged-in request context (e.g. Administrator's set-up)."""
	response = request_context.post(f"{base_url}/api/method/{method}", data=kwargs)
	assert response.ok, f"{method}: HTTP {response.status} {response.text()[:500]}"
	return response.json().get("message")


def set_language(page, base_url: str, user: str, language: str) -> None:
	"""The desk's language is the user's; change it and reload."""
	# up to three tries: the write can meet a concurrent save of the same User (its last login, say) and the
	# first reload can still get the boot cached before it
	for _attempt in range(3):
		page.goto(f"{base_url}/app")
		page.wait_for_function("() => window.frappe && frappe.csrf_token")
		if page.evaluate("frappe.boot && frappe.boot.lang") == language:
			break
		page.request.post(
			f"{base_url}/api/method/frappe.client.set_value",
			data={"doctype": "User", "name": user, "fieldname": "language", "value": language},
			headers={"X-Frappe-CSRF-Token": page.evaluate("frappe.csrf_token")},
		)
		page.goto(f"{base_url}/app")
		page.wait_for_function("() => window.frappe && frappe.boot && frappe.boot.lang")
		if page.evaluate("frappe.boot.lang") == language:
			break
		page.wait_for_timeout(1000)
	page.wait_for_timeout(500)


@contextlib.contextmanager
def desk(base_url: str, user: str, password: str, width: int = 1400, height: int = 1000):
	"""A logged-in page; page errors are collected on ``page.errors``."""
	with sync_playwright() as playwright:
		chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
		page = chromium.new_context(viewport={"width": width, "height": height}).new_page()
		page.errors = []
		page.on("pageerror", lambda error: page.errors.append(str(error)))
		page.goto(f"{base_url}/login")
		page.fill("#login_email", user)
		page.fill("#login_password", password)
		page.click(".btn-login")
		page.wait_for_url("**/app**", timeout=60000)
		try:
			yield page
		finally:
			chromium.close()
