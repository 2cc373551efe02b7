"""Browser test: the Key Accounts workspace renders its cards and charts with the demo data, as Administrator.

The roles' own journeys are in test_journeys.py. Run against a running site with the demo data
(``.ci/run`` does both):

    KAM_BASE_URL=http://127.0.0.1:8000 KAM_PASSWORD=admin python -m pytest browser_tests
"""

import os
import re

import pytest

from browser_tests.conftest import BASE_URL
from browser_tests.desk import login, open_route, wait_idle

USER = os.environ.get("KAM_USER", "Administrator")
PASSWORD = os.environ.get("KAM_PASSWORD", "admin")
CARDS = [
	"A Accounts",
	"Accounts at Risk",
	"Visits Overdue",
	"Follow-ups Overdue",
	"Hospitality Pending My Approval",
	"Hospitality Spend vs Budget",
]
CHARTS = [
	"Customers by ABC Class",
	"Key Account Value by ABC Class",
	"Accounts by Relationship Stage",
	"Visits per Month",
	"Hospitality Spend per Month",
]


@pytest.fixture(scope="module")
def admin(chromium):
	context, page, watch = login(chromium, BASE_URL, USER, PASSWORD, height=1600)
	open_route(page, BASE_URL, "key-accounts")
	page.wait_for_selector(".number-widget-box .widget-content .number", timeout=60000)
	for chart in page.locator(".widget.dashboard-widget-box").all():
		chart.scroll_into_view_if_needed()
	wait_idle(page, 2000)
	yield page, watch
	context.close()


def test_number_cards_show_numbers(admin):
	page, _watch = admin
	for label in CARDS:
		card = page.locator(".widget.number-widget-box", has_text=re.compile(label, re.I)).first
		value = card.locator(".widget-content .number").inner_text(timeout=30000).strip()
		assert re.search(r"\d", value), f"{label}: {value!r}"


def test_charts_render_with_data(admin):
	page, _watch = admin
	for title in CHARTS:
		chart = page.locator(".widget.dashboard-widget-box", has_text=title).first
		chart.scroll_into_view_if_needed()
		page.wait_for_timeout(800)
		assert chart.locator("svg").count() > 0, f"{title} drew no chart"
		assert "No Data" not in chart.inner_text(), f"{title} has no data"


def test_no_page_errors(admin):
	_page, watch = admin
	assert watch.since(0) == []
