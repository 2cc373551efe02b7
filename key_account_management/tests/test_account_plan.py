"""The account plan (issue 27, docs/DOMAIN.md §10): actuals against an independent count from the
documents, statuses, bad input refused with the field named, and the plan as private as its account."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, add_to_date, getdate, now_datetime, today

from key_account_management.plan.api import make_next_plan, refresh_actuals
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

test_ignore = ["Key Account Profile", "Customer", "Contact", "User", "ToDo"]

ACCOUNT, OTHER = "KAM-Plan-Account", "KAM-Plan-Other"
MANAGER = "kam.plan.manager@example.com"
COLLEAGUE = "kam.plan.colleague@example.com"
DIRECTOR = "kam.plan.director@example.com"
GROUP_A, GROUP_B = "KAM Plan Pumps", "KAM Plan Valves"
ITEM_A, ITEM_B = "KAM-PLAN-PUMP", "KAM-PLAN-VALVE"


def year_bounds():
	year = getdate(today()).year
	return getdate(f"{year}-01-01"), getdate(f"{year}-12-31")


def in_this_year(days: int) -> str:
	"""``days`` before today, but never before the 1st of January (the plan's period)."""
	start, _end = year_bounds()
	return str(max(getdate(add_days(today(), -days)), start))


class TestAccountPlan(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# nothing here is committed (the class's cleanup rolls it back: other tests classify this company's
		# customers); what an interrupted run on a dev site committed goes first
		f.remove_customers("KAM-Plan-")
		f.make_users({"Key Account Manager": (MANAGER, COLLEAGUE), "Key Account Director": (DIRECTOR,)})
		for group in (GROUP_A, GROUP_B):
			if not frappe.db.exists("Item Group", group):
				frappe.get_doc(
					{
						"doctype": "Item Group",
						"item_group_name": group,
						"parent_item_group": "All Item Groups",
					}
				).insert(ignore_permissions=True)
		for item, group in ((ITEM_A, GROUP_A), (ITEM_B, GROUP_B)):
			f.make_item(item)
			frappe.db.set_value("Item", item, "item_group", group)
			f.receive_stock(item, 100, 40, in_this_year(60))
		f.make_accounts({ACCOUNT: MANAGER, OTHER: COLLEAGUE})
		first = f.sell(ACCOUNT, [(ITEM_A, 5, 100), (ITEM_B, 2, 50)], in_this_year(20))
		f.sell(ACCOUNT, [(ITEM_A, 3, 120)], in_this_year(5))
		f.return_against(first, [(ITEM_A, 1)], in_this_year(3))
		f.sell(OTHER, [(ITEM_B, 4, 70)], in_this_year(5))
		cls.won = frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": ACCOUNT,
				"company": f.COMPANY,
				"opportunity_amount": 5000,
				"currency": "USD",
				"conversion_rate": 1,
				"expected_closing": today(),
			}
		).insert(ignore_permissions=True)
		# won two days ago (the funnel refuses a past closing date on an open opportunity)
		frappe.db.set_value(
			"Opportunity", cls.won.name, {"status": "Converted", "expected_closing": in_this_year(2)}
		)
		for days in (30, 10):
			start = add_to_date(now_datetime(), days=-min(days, (getdate(today()) - year_bounds()[0]).days))
			frappe.get_doc(
				{
					"doctype": "Visit Record",
					"key_account": ACCOUNT,
					"visit_method": "On Site",
					"planned_start": start,
					"actual_start": start,
					"actual_end": add_to_date(start, hours=1),
					"objective": "Review the plan",
					"talking_points": "<p>Plan</p>",
					"customer_views": "Fine",
				}
			).insert(ignore_permissions=True).submit()

	def plan(self, *measures, account=ACCOUNT, **fields):
		start, end = year_bounds()
		return frappe.get_doc(
			{
				"doctype": "Key Account Plan",
				"key_account": account,
				"period_start": start,
				"period_end": end,
				"status": "Active",
				"objectives": [{"objective": "Grow"}],
				"measures": [{"objective": "Grow", **measure} for measure in measures],
				**fields,
			}
		)

	# ------------------------------------------------------------------ actuals against the documents
	def documents_net_revenue(self, customer):
		start, end = year_bounds()
		return frappe.db.sql(
			"""select ifnull(sum(base_net_total), 0) from `tabSales Invoice`
			where docstatus = 1 and customer = %s and posting_date between %s and %s""",
			(customer, start, end),
		)[0][0]

	def documents_group_revenue(self, customer, group):
		return frappe.db.sql(
			"""select ifnull(sum(sii.base_net_amount), 0) from `tabSales Invoice` si
			join `tabSales Invoice Item` sii on sii.parent = si.name
			where si.docstatus = 1 and si.customer = %s and sii.item_group = %s""",
			(customer, group),
		)[0][0]

	def test_actuals_equal_an_independent_count_from_the_documents(self):
		from key_account_management.tests.test_gross_profit_scenarios import ledger_gross_profit

		doc = self.plan(
			{"measure": "Net Revenue", "target": 100_000},
			{"measure": "Gross Profit", "target": 100_000},
			{"measure": "Item Group Revenue", "item_group": GROUP_A, "target": 100},
			{"measure": "Item Groups Bought", "target": 5},
			{"measure": "Won Opportunity Amount", "target": 5000},
			{"measure": "Visits Completed", "target": 12},
			{"measure": "Milestone", "done": 1, "done_date": today(), "evidence": "Signed"},
		).insert()
		doc.reload()
		actual = {row.measure: row.actual for row in doc.measures}
		# 5 × 100 + 2 × 50 + 3 × 120 − 1 × 100 (the credit note) = 860
		self.assertAlmostEqual(actual["Net Revenue"], self.documents_net_revenue(ACCOUNT), 2)
		if frappe.db.count("Sales Invoice", {"customer": ACCOUNT, "docstatus": 1}) == 3:
			self.assertAlmostEqual(actual["Net Revenue"], 860, 2)
		# the stock ledger's cost of every row, not the app's SQL
		self.assertAlmostEqual(actual["Gross Profit"], ledger_gross_profit(f.COMPANY, ACCOUNT), 2)
		self.assertAlmostEqual(
			actual["Item Group Revenue"], self.documents_group_revenue(ACCOUNT, GROUP_A), 2
		)
		if frappe.db.count("Sales Invoice", {"customer": ACCOUNT, "docstatus": 1}) == 3:
			self.assertAlmostEqual(actual["Item Group Revenue"], 760, 2)
		self.assertEqual(actual["Item Groups Bought"], 2)
		won = frappe.get_all(
			"Opportunity",
			filters={"party_name": ACCOUNT, "status": "Converted"},
			pluck="opportunity_amount",
		)
		self.assertEqual(actual["Won Opportunity Amount"], sum(won))
		self.assertEqual(
			actual["Visits Completed"],
			frappe.db.count("Visit Record", {"key_account": ACCOUNT, "status": "Completed", "docstatus": 1}),
		)
		status = {row.measure: row.measure_status for row in doc.measures}
		self.assertEqual(status["Item Group Revenue"], "Achieved")
		self.assertEqual(status["Won Opportunity Amount"], "Achieved")
		self.assertEqual(status["Milestone"], "Achieved")
		self.assertIn(status["Net Revenue"], ("Behind", "At risk"))
		self.assertEqual(doc.plan_status, "At risk")
		self.assertGreaterEqual(doc.measures_behind, 1)
		self.assertIsNotNone(doc.refreshed_on)

	def test_a_refresh_writes_the_measures_that_moved_and_mends_a_wrong_one(self):
		from key_account_management.plan.actuals import refresh

		doc = self.plan(
			{"measure": "Net Revenue", "target": 100_000}, {"measure": "Visits Completed", "target": 12}
		).insert()
		doc.reload()
		right = {row.name: (row.actual, row.measure_status) for row in doc.measures}
		# a row holding a wrong figure is written again; the others hold what a refresh computes
		frappe.db.set_value(
			"Key Account Plan Measure", doc.measures[0].name, "actual", 1234567, update_modified=False
		)
		refresh([doc.name])
		for name, (actual, status) in right.items():
			held = frappe.db.get_value("Key Account Plan Measure", name, ["actual", "measure_status"])
			self.assertAlmostEqual(held[0], actual, 2)
			self.assertEqual(held[1], status)

	def test_a_colleagues_sales_do_not_count(self):
		doc = self.plan({"measure": "Net Revenue", "target": 1000}, account=OTHER).insert()
		doc.reload()
		self.assertAlmostEqual(doc.measures[0].actual, self.documents_net_revenue(OTHER), 2)
		if frappe.db.count("Sales Invoice", {"customer": OTHER, "docstatus": 1}) == 1:
			self.assertAlmostEqual(doc.measures[0].actual, 280, 2)

	# ------------------------------------------------------------------ each role
	def test_the_manager_plans_and_refreshes_their_account(self):
		frappe.set_user(MANAGER)
		doc = self.plan({"measure": "Visits Completed", "target": 2}).insert()
		refreshed = refresh_actuals(doc.name)
		self.assertEqual(refreshed["measures"][0]["measure_status"], "Achieved")
		next_plan = frappe.get_doc("Key Account Plan", make_next_plan(doc.name))
		self.assertEqual(next_plan.status, "Draft")
		self.assertEqual(getdate(next_plan.period_start), add_days(year_bounds()[1], 1))
		self.assertEqual(next_plan.measures[0].target, 2)
		self.assertEqual(next_plan.copied_from, doc.name)

	def test_the_director_reads_progress_behind_first(self):
		from key_account_management.key_account_management.report.account_plan_progress.account_plan_progress import (
			execute,
		)

		self.plan({"measure": "Visits Completed", "target": 2}).insert()
		self.plan({"measure": "Net Revenue", "target": 10_000_000}, account=OTHER).insert()
		frappe.set_user(DIRECTOR)
		columns, rows, _message, chart, summary = execute({})
		statuses = [row["measure_status_value"] for row in rows if row["key_account"] in (ACCOUNT, OTHER)]
		self.assertEqual(statuses[0], "At risk")
		self.assertEqual(statuses[-1], "Achieved")
		self.assertTrue(chart["data"]["labels"])
		self.assertTrue(summary)
		frappe.set_user(MANAGER)
		_columns, rows, *_rest = execute({})
		self.assertEqual({row["key_account"] for row in rows}, {ACCOUNT})

	# ------------------------------------------------------------------ privacy
	def test_another_manager_cannot_reach_the_plan(self):
		doc = self.plan({"measure": "Visits Completed", "target": 2}).insert()
		frappe.set_user(COLLEAGUE)
		self.assertEqual(frappe.get_list("Key Account Plan", filters={"name": doc.name}), [])
		from key_account_management.access.overrides import get_count

		self.assertEqual(get_count("Key Account Plan", filters={"name": doc.name}), 0)
		self.assertFalse(frappe.has_permission("Key Account Plan", "read", doc.name))
		self.assertRaises(frappe.PermissionError, refresh_actuals, doc.name)
		self.assertRaises(frappe.PermissionError, make_next_plan, doc.name)
		measures = frappe.get_list(
			"Key Account Plan Measure",
			filters={"parent": doc.name},
			fields=["name"],
			parent_doctype="Key Account Plan",
		)
		self.assertEqual(measures, [])
		# nor move a plan of theirs onto the account
		own = self.plan({"measure": "Visits Completed", "target": 2}, account=OTHER)
		own.insert()
		own.key_account = ACCOUNT
		self.assertRaises(frappe.PermissionError, own.save)

	# ------------------------------------------------------------------ bad input
	def assert_refused(self, doc, *words):
		with self.assertRaises(frappe.ValidationError) as caught:
			doc.insert()
		for word in words:
			self.assertIn(word, str(caught.exception))
		self.assertFalse(
			frappe.db.exists("Key Account Plan", {"key_account": doc.key_account, "name": doc.name})
		)

	def test_bad_input_is_refused_naming_the_field(self):
		self.assert_refused(self.plan({"measure": "Net Revenue", "target": -5}), "Target")
		self.assert_refused(self.plan({"measure": "Net Revenue", "target": 0}), "Target")
		self.assert_refused(self.plan({"measure": "Share of Wallet %", "target": 120}), "Target", "100")
		self.assert_refused(self.plan({"measure": "Milestone", "done": 1}), "Done On")
		self.assert_refused(
			self.plan({"measure": "Item Group Revenue", "item_group": "No Such Group", "target": 5}),
			"Item Group",
		)
		start, end = year_bounds()
		self.assert_refused(
			self.plan({"measure": "Net Revenue", "target": 5}, period_start=end, period_end=start),
			"Period End",
		)
		self.plan({"measure": "Net Revenue", "target": 5}).insert()
		self.assert_refused(self.plan({"measure": "Net Revenue", "target": 5}), "Status", "active plan")

	def test_a_plan_for_an_account_the_user_may_not_write_is_refused(self):
		frappe.set_user(COLLEAGUE)
		with self.assertRaises(frappe.PermissionError):
			self.plan({"measure": "Net Revenue", "target": 5}).insert()

	def test_a_closed_plans_targets_stay(self):
		doc = self.plan({"measure": "Net Revenue", "target": 5}).insert()
		doc.status = "Closed"
		doc.save()
		doc.measures[0].target = 50
		self.assertRaises(frappe.ValidationError, doc.save)
		doc.reload()
		self.assertEqual(doc.measures[0].target, 5)

	# ------------------------------------------------------------------ the review document
	def test_the_review_document_prints_the_goals_escaped(self):
		from frappe.www.printview import get_html_and_style

		frappe.db.set_value("Key Account Profile", ACCOUNT, "abc_class", "A")
		doc = self.plan(
			{"measure": "Visits Completed", "target": 2},
			{
				"measure": "Milestone",
				"done": 1,
				"done_date": today(),
				"evidence": "<script>alert(1)</script>",
			},
			objectives=[{"objective": "Grow <b>bold</b>"}],
		)
		for row in doc.measures:
			row.objective = "Grow <b>bold</b>"
		doc.insert()
		frappe.set_user(MANAGER)
		html = get_html_and_style("Key Account Plan", doc.name, print_format="Account Plan", no_letterhead=1)[
			"html"
		]
		self.assertIn("Visits Completed", html)
		self.assertIn("Grow &lt;b&gt;bold&lt;/b&gt;", html)
		self.assertNotIn("<script>alert(1)</script>", html)
		self.assertIn("Achieved", html)
		frappe.set_user(COLLEAGUE)
		self.assertRaises(
			frappe.PermissionError,
			get_html_and_style,
			"Key Account Plan",
			doc.name,
			print_format="Account Plan",
			no_letterhead=1,
		)

	def test_the_review_document_prints_for_a_profile_without_a_company(self):
		from frappe.www.printview import get_html_and_style

		doc = self.plan({"measure": "Visits Completed", "target": 2}).insert()
		frappe.db.set_value("Key Account Profile", ACCOUNT, "company", None)
		html = get_html_and_style("Key Account Plan", doc.name, print_format="Account Plan", no_letterhead=1)[
			"html"
		]
		self.assertIn("Visits Completed", html)
