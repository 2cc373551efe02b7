"""Drive the ERPNext desk in Debian's Chromium through Playwright (no browser download)."""

from __future__ import annotations

import contextlib
import os

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
def desk(base_url: str, user: str, password: str, width: int = 1400, height: int = 1000):
	"""A logged-in page; page errors are collected on ``page.errors``."""
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
		page = browser.new_context(viewport={"width": width, "height": height}).new_page()
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
			browser.close()


def set_language(page, base_url: str, user: str, language: str) -> None:
	"""The desk's language is the user's; change it and reload."""
	page.request.post(
		f"{base_url}/api/method/frappe.client.set_value",
		data={"doctype": "User", "name": user, "fieldname": "language", "value": language},
		headers={"X-Frappe-CSRF-Token": page.evaluate("frappe.csrf_token")},
	)
	page.goto(f"{base_url}/app")
	page.wait_for_timeout(1500)
