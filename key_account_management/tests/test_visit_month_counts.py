"""Visits per Month from the kept counts (visits/month_counts.py, issue 30), against the visits themselves.

The chart is compared with a hand count of the submitted Visit Records (their dates and accounts, read
as documents) and with what Frappe's own Count chart on Visit Record draws for the same user: the same
periods, labels and values, before and after a submit and a cancel, for a director (every account) and
a key account manager (their own accounts only). The weekly check mends a wrong row.
"""

from __future__ import annotations

from collections import Counter

import frappe
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get_chart_config
from frappe.utils import add_to_date, now_datetime
from frappe.utils.dateutils import get_period

from key_account_management.access.roles import (
	HOSPITALITY_APPROVER,
	KEY_ACCOUNT_DIRECTOR,
	KEY_ACCOUNT_MANAGER,
)
from key_account_management.key_account_management.dashboard_chart_source.visits_per_month.visits_per_month import (
	get as visits_chart,
)
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase
from key_account_management.visits import month_counts

PREFIX = "KAM-VMC-"
OWN, OTHER = f"{PREFIX}Own", f"{PREFIX}Other"
MANAGER = "kam.vmc.manager@example.com"
COLLEAGUE = "kam.vmc.colleague@example.com"
DIRECTOR = "kam.vmc.director@example.com"
APPROVER = "kam.vmc.approver@example.com"
CHART = "Visits per Month"


def submitted_visit(account: str, months_ago: int = 0):
	# the chart is compared with a count of the documents, so the month a visit falls in is not asserted
	start = add_to_date(now_datetime(), months=-months_ago, hours=-3)
	doc = f.visit(
		start=start,
		key_account=account,
		talking_points="Forecast",
		customer_views="Steady",
	)
	doc.insert(ignore_permissions=True)
	doc.submit()
	return doc


def hand_count(accounts: set[str] | None = None) -> Counter:
	"""Submitted visits per month label, counted from the documents."""
	counts: Counter = Counter()
	for row in frappe.get_all(
		"Visit Record", filters={"docstatus": 1}, fields=["visit_date", "key_account"], limit_page_length=0
	):
		if row.visit_date and (accounts is None or row.key_account in accounts):
			counts[get_period(row.visit_date, "Monthly")] += 1
	return counts


def frappe_count_chart() -> dict:
	"""What the chart drew before (Frappe's Count chart on Visit Record), for the session user."""
	chart = frappe.get_doc(
		{
			"doctype": "Dashboard Chart",
			"chart_name": "kam-vmc-count",
			"chart_type": "Count",
			"document_type": "Visit Record",
			"based_on": "visit_date",
			"timeseries": 1,
			"timespan": "Last Year",
			"time_interval": "Monthly",
		}
	)
	filters = [["Visit Record", "docstatus", "=", "1", False]]
	return get_chart_config(chart, filters, "Last Year", "Monthly", None, None)


class TestVisitMonthCounts(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_users(
			{
				KEY_ACCOUNT_MANAGER: (MANAGER, COLLEAGUE),
				KEY_ACCOUNT_DIRECTOR: (DIRECTOR,),
				HOSPITALITY_APPROVER: (APPROVER,),
			}
		)
		f.make_accounts({OWN: MANAGER, OTHER: COLLEAGUE})
		# the counts start from what the visits say, whatever other tests left
		month_counts.check()
		frappe.db.commit()

	def chart(self, user: str) -> dict:
		frappe.set_user(user)
		try:
			return {"kept": visits_chart(chart_name=CHART, refresh=1), "frappe": frappe_count_chart()}
		finally:
			frappe.set_user("Administrator")

	def assert_chart_counts(self, user: str, accounts: set[str] | None) -> None:
		charts = self.chart(user)
		kept = charts["kept"]
		expected = hand_count(accounts)
		self.assertEqual(kept["labels"], charts["frappe"]["labels"])
		self.assertEqual(kept["datasets"][0]["values"], charts["frappe"]["datasets"][0]["values"])
		self.assertEqual(
			dict(zip(kept["labels"], kept["datasets"][0]["values"], strict=True)),
			{label: expected.get(label, 0) for label in kept["labels"]},
		)

	def test_submit_and_cancel_move_the_chart_as_the_visits_do(self):
		visits = [submitted_visit(OWN), submitted_visit(OWN, 2), submitted_visit(OTHER, 1)]
		self.assert_chart_counts(DIRECTOR, None)
		self.assert_chart_counts(MANAGER, {OWN})
		self.assert_chart_counts(COLLEAGUE, {OTHER})
		own_label = get_period(visits[0].visit_date, "Monthly")
		values = self.chart(MANAGER)["kept"]
		own_before = dict(zip(values["labels"], values["datasets"][0]["values"], strict=True))[own_label]
		visits[0].cancel()
		values = self.chart(MANAGER)["kept"]
		own_after = dict(zip(values["labels"], values["datasets"][0]["values"], strict=True))[own_label]
		self.assertEqual(own_after, own_before - 1)
		self.assert_chart_counts(DIRECTOR, None)
		self.assert_chart_counts(MANAGER, {OWN})

	def test_the_weekly_check_mends_a_wrong_row(self):
		submitted_visit(OWN)
		frappe.db.sql(f"update {month_counts.TABLE} set visits = visits + 41 where every_account = 1")
		frappe.db.sql(f"update {month_counts.TABLE} set visits = visits + 7 where key_account = %s", OWN)
		self.assertGreater(month_counts.check(), 0)
		self.assert_chart_counts(DIRECTOR, None)
		self.assert_chart_counts(MANAGER, {OWN})
		# checked again, nothing moves
		self.assertEqual(month_counts.check(), 0)

	def test_a_user_who_may_not_read_visits_is_refused(self):
		frappe.set_user(APPROVER)
		with self.assertRaises(frappe.PermissionError):
			visits_chart(chart_name=CHART, refresh=1)
