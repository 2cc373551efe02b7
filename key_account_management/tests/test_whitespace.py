"""Whitespace (issue 28 part 1, docs/DOMAIN.md §11): cells against an independent count from the
submitted invoice rows (a credit note and a cancelled invoice among them), the item group rollup after
submit and cancel equal to a rebuild, the level refused when it does not exist, and the report and the
profile's panel as private as the account."""

from __future__ import annotations

import frappe
from frappe.utils import add_months, get_first_day, get_last_day, getdate, today

from key_account_management.key_account_management.report.key_account_whitespace.key_account_whitespace import (
	execute as whitespace_report,
)
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase
from key_account_management.whitespace import rollup
from key_account_management.whitespace.api import get_account_whitespace
from key_account_management.whitespace.cells import Whitespace

test_ignore = ["Key Account Profile", "Customer", "Contact", "User", "ToDo"]

ACCOUNT, OTHER = "KAM-WS-Account", "KAM-WS-Other"
MANAGER = "kam.ws.manager@example.com"
COLLEAGUE = "kam.ws.colleague@example.com"
DIRECTOR = "kam.ws.director@example.com"
PUMPS, SMALL_PUMPS, VALVES, SEALS, MOTORS = (
	"KAM WS Pumps",
	"KAM WS Small Pumps",
	"KAM WS Valves",
	"KAM WS Seals",
	"KAM WS Motors",
)
ITEMS = {
	"KAM-WS-PUMP": SMALL_PUMPS,
	"KAM-WS-VALVE": VALVES,
	"KAM-WS-SEAL": SEALS,
	"KAM-WS-MOTOR": MOTORS,
}


def months_ago(months: int) -> str:
	"""The 15th of the month ``months`` before this one: well inside a window."""
	return str(get_first_day(add_months(today(), -months)).replace(day=15))


class TestWhitespace(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.remove_customers("KAM-WS-")
		f.make_users({"Key Account Manager": (MANAGER, COLLEAGUE), "Key Account Director": (DIRECTOR,)})
		for group, parent in (
			(PUMPS, "All Item Groups"),
			(SMALL_PUMPS, PUMPS),
			(VALVES, "All Item Groups"),
			(SEALS, "All Item Groups"),
			(MOTORS, "All Item Groups"),
		):
			if not frappe.db.exists("Item Group", group):
				frappe.get_doc(
					{
						"doctype": "Item Group",
						"item_group_name": group,
						"parent_item_group": parent,
						"is_group": int(group == PUMPS),
					}
				).insert(ignore_permissions=True)
		frappe.local.kam_item_group_chains = None
		for item, group in ITEMS.items():
			f.make_item(item)
			frappe.db.set_value("Item", item, "item_group", group)
			f.receive_stock(item, 200, 40, months_ago(22))
		f.make_accounts({ACCOUNT: MANAGER, OTHER: COLLEAGUE})
		# Valves: bought in the 12 months before, not since (Lost)
		f.sell(ACCOUNT, [("KAM-WS-VALVE", 2, 50)], months_ago(15))
		# Seals: bought before, and an open opportunity now (In pipeline)
		f.sell(ACCOUNT, [("KAM-WS-SEAL", 1, 30)], months_ago(16))
		# Pumps: bought now, one returned by a credit note (Bought)
		pumps = f.sell(ACCOUNT, [("KAM-WS-PUMP", 5, 100), ("KAM-WS-VALVE", 1, 10)], months_ago(2))
		cls.credit = f.return_against(pumps, [("KAM-WS-PUMP", 1)], months_ago(1))
		# Motors: an invoice cancelled (White)
		motors = f.sell(ACCOUNT, [("KAM-WS-MOTOR", 3, 80)], months_ago(1))
		motors.cancel()
		f.sell(OTHER, [("KAM-WS-MOTOR", 4, 70)], months_ago(3))
		cls.opportunity = cls.open_opportunity(ACCOUNT, items=[("KAM-WS-SEAL", 4, 100)])
		cls.bare = cls.open_opportunity(ACCOUNT, amount=1000)

	@staticmethod
	def open_opportunity(customer, items=(), amount=0):
		doc = frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": customer,
				"company": f.COMPANY,
				"currency": "USD",
				"conversion_rate": 1,
				"opportunity_amount": amount,
				"expected_closing": str(add_months(today(), 2)),
				"items": [{"item_code": i, "qty": q, "rate": r} for i, q, r in items],
			}
		).insert(ignore_permissions=True)
		if doc.kam_key_account != customer:
			frappe.db.set_value("Opportunity", doc.name, "kam_key_account", customer)
		return doc

	# ------------------------------------------------------------------ the documents, counted apart
	def documents(self, customer, level_groups):
		"""{level group: (last 12 months, the 12 before)} summed from the submitted invoice rows, each row's
		item group placed under the level group whose subtree (lft/rgt) holds it."""
		recent_start = get_first_day(add_months(today(), -11))
		before_start = get_first_day(add_months(today(), -23))
		end = get_last_day(today())
		bounds = {g: frappe.db.get_value("Item Group", g, ["lft", "rgt"]) for g in level_groups}
		totals = {g: [0.0, 0.0] for g in level_groups}
		for posting_date, item_group, amount in frappe.db.sql(
			"""select si.posting_date, sii.item_group, sii.base_net_amount
			from `tabSales Invoice` si join `tabSales Invoice Item` sii on sii.parent = si.name
			where si.docstatus = 1 and si.customer = %s and si.is_opening = 'No'""",
			customer,
		):
			lft, rgt = frappe.db.get_value("Item Group", item_group, ["lft", "rgt"])
			day = getdate(posting_date)
			for group, (g_lft, g_rgt) in bounds.items():
				if g_lft <= lft and rgt <= g_rgt:
					if recent_start <= day <= end:
						totals[group][0] += amount
					elif before_start <= day < recent_start:
						totals[group][1] += amount
		return totals

	def test_cells_equal_the_documents(self):
		ws = Whitespace([ACCOUNT], f.COMPANY, 1)
		expected = self.documents(ACCOUNT, (PUMPS, VALVES, SEALS, MOTORS))
		cells = ws.cells[ACCOUNT]
		for group, (recent, before) in expected.items():
			cell = cells.get(group)
			self.assertAlmostEqual(cell.recent if cell else 0, recent, 2, group)
			self.assertAlmostEqual(cell.before if cell else 0, before, 2, group)
		# 5 × 100 − 1 × 100 (the credit note); valves 2 × 50 before, 1 × 10 now; the cancelled motors left out
		self.assertAlmostEqual(cells[PUMPS].recent, 400, 2)
		self.assertAlmostEqual(cells[VALVES].before, 100, 2)
		self.assertAlmostEqual(cells[SEALS].open_amount, 400, 2)
		self.assertAlmostEqual(ws.open_without_group[ACCOUNT], 1000, 2)
		row = {cell["item_group"]: cell for cell in ws.row(ACCOUNT)["cells"]}
		self.assertEqual(row[PUMPS]["status"], "Bought")
		self.assertEqual(row[VALVES]["status"], "Bought")  # 1 × 10 in the last 12 months
		self.assertEqual(row[SEALS]["status"], "In pipeline")
		self.assertEqual(row[MOTORS]["status"], "White")

	def test_lost_when_not_bought_now(self):
		# the recent valve row gone (its invoice cancelled): Valves is Lost
		credit = frappe.get_doc("Sales Invoice", self.credit.name)
		credit.cancel()
		pumps = frappe.get_doc("Sales Invoice", credit.return_against)
		pumps.cancel()
		ws = Whitespace([ACCOUNT], f.COMPANY, 1)
		row = {cell["item_group"]: cell for cell in ws.row(ACCOUNT)["cells"]}
		self.assertEqual(row[VALVES]["status"], "Lost")
		self.assertEqual(row[PUMPS]["status"], "White")
		expected = self.documents(ACCOUNT, (PUMPS, VALVES))
		self.assertAlmostEqual(row[VALVES]["before"], expected[VALVES][1], 2)
		self.assertAlmostEqual(row[PUMPS]["recent"], expected[PUMPS][0], 2)
		self.assertEqual(row[VALVES]["potential"], 100)

	def test_level_two_shows_the_children(self):
		ws = Whitespace([ACCOUNT], f.COMPANY, 2)
		self.assertIn(SMALL_PUMPS, ws.groups)
		self.assertNotIn(PUMPS, ws.groups)
		# a leaf at level 1 counts as itself at level 2
		self.assertIn(VALVES, ws.groups)
		expected = self.documents(ACCOUNT, (SMALL_PUMPS,))
		self.assertAlmostEqual(ws.cells[ACCOUNT][SMALL_PUMPS].recent, expected[SMALL_PUMPS][0], 2)

	def test_rollup_after_submit_and_cancel_equals_a_rebuild(self):
		customers = [ACCOUNT, OTHER]
		kept = rollup.stored(f.COMPANY, customers=customers)
		self.assertTrue(kept)
		# nothing to correct: the events kept the rows equal to the ledger
		self.assertEqual(rollup.check(f.COMPANY, customers=customers), 0)
		frappe.db.sql(f"delete from {rollup.TABLE} where customer in %s", (tuple(customers),))
		rollup.check(f.COMPANY, customers=customers)
		rebuilt = rollup.stored(f.COMPANY, customers=customers)
		self.assertEqual(set(kept), set(rebuilt))
		# the first build names its rows as the invoice events do: a later submit adds to the same row
		for key in rebuilt:
			self.assertTrue(frappe.db.exists(rollup.DOCTYPE, rollup.row_name(f.COMPANY, *key)), key)
		for key, amount in kept.items():
			self.assertAlmostEqual(amount, rebuilt[key], 2, key)
		# and each row equals the invoice rows of its month, counted apart
		for (customer, month, item_group), amount in kept.items():
			documents = frappe.db.sql(
				"""select ifnull(sum(sii.base_net_amount), 0) from `tabSales Invoice` si
				join `tabSales Invoice Item` sii on sii.parent = si.name
				where si.docstatus = 1 and si.customer = %s and sii.item_group = %s
					and si.posting_date between %s and %s""",
				(customer, item_group, month, get_last_day(month)),
			)[0][0]
			self.assertAlmostEqual(amount, documents, 2, (customer, month, item_group))

	def test_the_monthly_rebuild_checks_the_item_groups_too(self):
		from key_account_management.classification.rollup_rebuild import rebuild

		frappe.db.sql(f"update {rollup.TABLE} set net_revenue = net_revenue + 7 where customer = %s", ACCOUNT)
		rebuild(f.COMPANY, commit=False)
		ws = Whitespace([ACCOUNT], f.COMPANY, 1)
		self.assertAlmostEqual(ws.cells[ACCOUNT][PUMPS].recent, 400, 2)

	def test_a_level_that_does_not_exist_is_refused(self):
		before = frappe.db.get_single_value("Key Account Settings", "whitespace_item_group_level")
		for value in (0, -1, 99, 15):
			with self.assertRaises(frappe.ValidationError) as caught:
				f.save_settings({"whitespace_item_group_level": value})
			self.assertIn("Whitespace Item Group Level", str(caught.exception))
			frappe.clear_messages()
		# 15 is in the setting's range but deeper than the item group tree
		self.assertIn("the deepest level of the item group tree", str(caught.exception))
		self.assertEqual(
			frappe.db.get_single_value("Key Account Settings", "whitespace_item_group_level"), before
		)
		with self.assertRaises(frappe.ValidationError) as caught:
			whitespace_report({"company": f.COMPANY, "item_group_level": 99})
		self.assertIn("Item Group Level", str(caught.exception))

	def test_the_report_as_a_manager_shows_only_their_accounts(self):
		frappe.set_user(MANAGER)
		_columns, data, *_rest = whitespace_report({"company": f.COMPANY})
		accounts = {row["key_account"] for row in data}
		self.assertIn(ACCOUNT, accounts)
		self.assertNotIn(OTHER, accounts)
		row = next(row for row in data if row["key_account"] == ACCOUNT)
		self.assertGreaterEqual(row["count_bought"], 1)
		self.assertAlmostEqual(row["open_amount"], 1400, 2)
		# asking for the colleague's accounts gives nothing
		_columns, data, *_rest = whitespace_report({"company": f.COMPANY, "account_manager": COLLEAGUE})
		self.assertFalse([row for row in data if row["key_account"] == OTHER])
		frappe.set_user(DIRECTOR)
		_columns, data, *_rest = whitespace_report({"company": f.COMPANY})
		self.assertTrue({ACCOUNT, OTHER} <= {row["key_account"] for row in data})
		# largest potential first
		potentials = [row["potential"] for row in data]
		self.assertEqual(potentials, sorted(potentials, reverse=True))

	def test_the_profile_panel_as_another_manager_is_refused(self):
		frappe.set_user(MANAGER)
		self.assertEqual(get_account_whitespace(ACCOUNT)["company"], f.COMPANY)
		frappe.set_user(COLLEAGUE)
		with self.assertRaises(frappe.PermissionError):
			get_account_whitespace(ACCOUNT)

	def test_the_plan_review_prints_the_whitespace_row(self):
		year = getdate(today()).year
		plan = frappe.get_doc(
			{
				"doctype": "Key Account Plan",
				"key_account": ACCOUNT,
				"period_start": f"{year}-01-01",
				"period_end": f"{year}-12-31",
				"status": "Active",
				"objectives": [{"objective": "Grow"}],
				"measures": [{"objective": "Grow", "measure": "Net Revenue", "target": 1000}],
			}
		).insert(ignore_permissions=True)
		frappe.set_user(MANAGER)
		html = frappe.get_print("Key Account Plan", plan.name, print_format="Account Plan")
		self.assertIn("Whitespace", html)
		for group in (PUMPS, VALVES, SEALS, MOTORS):
			self.assertIn(group, html)
		self.assertIn("In pipeline", html)
