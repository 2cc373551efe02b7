"""Group accounts (集团客户, docs/DOMAIN.md §13) on a real site: bad members refused with the field named
and nothing saved; the history of who joined and left; the group's figures against an independent sum
over its members' submitted invoices; "classify groups as one" against a hand ranking; the tree panel and
the members' privacy from another manager."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, flt, getdate, today

from key_account_management.access.roles import KEY_ACCOUNT_DIRECTOR, KEY_ACCOUNT_MANAGER
from key_account_management.classification.reclassify import reclassify
from key_account_management.core.periods import calendar_months
from key_account_management.groups.members import customers_of
from key_account_management.groups.tree import get_group_tree
from key_account_management.relationship.job import evaluate_all_profiles
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

PROFILE = "Key Account Profile"
MEMBER = "Key Account Group Member"
MANAGER = "kam.group.manager@example.com"
OTHER = "kam.group.other@example.com"
DIRECTOR = "kam.group.director@example.com"
GROUP, M1, M2, M3 = "KAM-GRP-Holding", "KAM-GRP-Sub-1", "KAM-GRP-Sub-2", "KAM-GRP-Sub-3"
GROUP_2 = "KAM-GRP-Second-Holding"
OWNED = "KAM-GRP-Owned-By-Other"  # a key account of the other manager
STRANGER = "KAM-GRP-No-Dealings"  # never dealt with the test company
SERVICE = "KAM-GRP-SERVICE"
SALES = {GROUP: 1000, M1: 700, M2: 400, M3: 300, GROUP_2: 50, OWNED: 90}


class TestGroupAccounts(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_users({KEY_ACCOUNT_MANAGER: (MANAGER, OTHER), KEY_ACCOUNT_DIRECTOR: (DIRECTOR,)})
		f.make_item(SERVICE, is_stock_item=0)
		for customer in (*SALES, STRANGER):
			f.make_customer(customer)
		frappe.db.set_value("Customer", M2, "customer_name", "Sub 2 <img src=x onerror=alert(1)>")
		for customer, amount in SALES.items():
			if not frappe.db.exists("Sales Invoice", {"customer": customer, "docstatus": 1}):
				f.sell(customer, [(SERVICE, 1, amount)], f.days_ago(40), update_stock=0)
				f.sell(customer, [(SERVICE, 2, amount / 2)], f.days_ago(5), update_stock=0)
		f.make_profile(GROUP, account_manager=MANAGER)
		f.make_profile(GROUP_2, account_manager=MANAGER)
		f.make_profile(OWNED, account_manager=OTHER)
		group = frappe.get_doc(PROFILE, GROUP)
		if not group.is_group:
			group.is_group = 1
			for customer in (M1, M2):
				group.append("group_members", {"customer": customer, "joined_on": f.days_ago(400)})
			group.save(ignore_permissions=True)
		# not committed: the class's clean-up rolls it all back, so no other test's company sees these sales

	def as_manager(self, profile=GROUP):
		frappe.set_user(MANAGER)
		return frappe.get_doc(PROFILE, profile)

	def assert_refused(self, doc, *phrases):
		stored = frappe.get_all(
			MEMBER, filters={"parent": doc.name}, fields=["customer", "joined_on", "left_on"]
		)
		with self.assertRaises(frappe.ValidationError) as caught:
			doc.save()
		message = str(caught.exception)
		self.assertIn("Group Members", message)
		for phrase in phrases:
			self.assertIn(phrase, message)
		after = frappe.get_all(
			MEMBER, filters={"parent": doc.name}, fields=["customer", "joined_on", "left_on"]
		)
		self.assertEqual(
			sorted(map(tuple, map(dict.values, stored))), sorted(map(tuple, map(dict.values, after)))
		)

	# ---- bad input ---------------------------------------------------------------------------------

	def test_left_before_joined(self):
		doc = self.as_manager()
		doc.append("group_members", {"customer": M3, "joined_on": today(), "left_on": f.days_ago(3)})
		self.assert_refused(doc, "Left On", "Joined On", M3)

	def test_group_contains_its_own_customer(self):
		doc = self.as_manager()
		doc.append("group_members", {"customer": GROUP, "joined_on": today()})
		self.assert_refused(doc, GROUP, "cannot contain itself")

	def test_group_inside_itself_through_another_group(self):
		frappe.set_user("Administrator")
		second = frappe.get_doc(PROFILE, GROUP_2)
		second.is_group = 1
		second.append("group_members", {"customer": GROUP, "joined_on": f.days_ago(10)})
		second.save()
		doc = self.as_manager()
		doc.append("group_members", {"customer": GROUP_2, "joined_on": today()})
		self.assert_refused(doc, "would contain itself", GROUP_2)

	def test_customer_in_two_groups_at_once(self):
		frappe.set_user("Administrator")
		second = frappe.get_doc(PROFILE, GROUP_2)
		second.is_group = 1
		second.append(
			"group_members", {"customer": M3, "joined_on": f.days_ago(30), "left_on": f.days_ago(5)}
		)
		second.save()
		doc = self.as_manager()
		doc.append("group_members", {"customer": M3, "joined_on": f.days_ago(10)})
		self.assert_refused(doc, M3, "already a member of", GROUP_2)
		# the same customer twice in one group, periods overlapping
		doc = self.as_manager()
		doc.append("group_members", {"customer": M1, "joined_on": f.days_ago(20)})
		self.assert_refused(doc, M1, "listed twice")
		# after it left the other group, it may join this one
		doc = self.as_manager()
		doc.append("group_members", {"customer": M3, "joined_on": f.days_ago(5)})
		doc.save()
		self.assertIn(M3, customers_of(GROUP))

	def test_member_managed_by_another_manager_until_released(self):
		doc = self.as_manager()
		doc.append("group_members", {"customer": OWNED, "joined_on": today()})
		self.assert_refused(doc, OWNED, "another manager")
		# a director releases it: the member's profile is given the group's manager
		frappe.set_user(DIRECTOR)
		owned = frappe.get_doc(PROFILE, OWNED)
		owned.account_manager = MANAGER
		owned.save()
		doc = self.as_manager()
		doc.append("group_members", {"customer": OWNED, "joined_on": today()})
		doc.save()
		self.assertIn(OWNED, customers_of(GROUP))

	def test_member_of_another_company(self):
		doc = self.as_manager()
		doc.append("group_members", {"customer": STRANGER, "joined_on": today()})
		self.assert_refused(doc, STRANGER, f.COMPANY)

	def test_members_without_is_group(self):
		frappe.set_user("Administrator")
		doc = frappe.get_doc(PROFILE, GROUP_2)
		doc.is_group = 0
		doc.append("group_members", {"customer": M3, "joined_on": today()})
		self.assert_refused(doc, "Is Group")

	# ---- history ------------------------------------------------------------------------------------

	def test_join_and_leave_history(self):
		self.assertEqual(customers_of(GROUP), [GROUP, M1, M2])
		doc = self.as_manager()
		doc.append("group_members", {"customer": M3, "joined_on": f.days_ago(60), "notes": "acquired"})
		doc.save()
		self.assertEqual(customers_of(GROUP), [GROUP, M1, M2, M3])
		# M3 leaves today: its row stays with the date, it no longer counts
		doc = self.as_manager()
		row = next(r for r in doc.group_members if r.customer == M3)
		row.left_on = today()
		doc.save()
		self.assertEqual(customers_of(GROUP), [GROUP, M1, M2])
		self.assertEqual(customers_of(GROUP, on=f.days_ago(1)), [GROUP, M1, M2, M3])
		rows = frappe.get_all(
			MEMBER, filters={"parent": GROUP, "customer": M3}, fields=["joined_on", "left_on"]
		)
		self.assertEqual(rows, [{"joined_on": getdate(f.days_ago(60)), "left_on": getdate(today())}])
		# a member joining in the future is not a member yet
		doc = self.as_manager()
		doc.append("group_members", {"customer": M3, "joined_on": add_days(today(), 10)})
		doc.save()
		self.assertEqual(customers_of(GROUP), [GROUP, M1, M2])
		self.assertIn(M3, customers_of(GROUP, on=add_days(today(), 11)))

	# ---- figures ------------------------------------------------------------------------------------

	def invoiced(self, customers, from_date, to_date) -> float:
		"""Net revenue straight from the submitted invoices (credit notes net out)."""
		return flt(
			frappe.db.sql(
				"""select sum(base_net_total) from `tabSales Invoice`
				where docstatus = 1 and company = %s and customer in %s and posting_date between %s and %s""",
				(f.COMPANY, tuple(customers), from_date, to_date),
			)[0][0]
		)

	def test_group_figures_cover_its_members(self):
		from_date, to_date = calendar_months(getdate(today()), 12)
		expected = self.invoiced((GROUP, M1, M2), from_date, to_date)
		self.assertAlmostEqual(expected, 1.0 * (1000 + 700 + 400) * 2, places=2)
		f.save_settings({"company": f.COMPANY})
		doc = self.as_manager()
		doc.save()
		self.assertAlmostEqual(flt(doc.revenue_this_period), expected, places=2)
		# the nightly job agrees, and a profile that is not a group keeps its own customer's figure
		frappe.set_user("Administrator")
		evaluate_all_profiles()
		self.assertAlmostEqual(flt(frappe.db.get_value(PROFILE, GROUP, "revenue_this_period")), expected, 2)
		self.assertAlmostEqual(
			flt(frappe.db.get_value(PROFILE, OWNED, "revenue_this_period")),
			self.invoiced((OWNED,), from_date, to_date),
			2,
		)
		# share of wallet from the group's combined revenue
		doc = self.as_manager()
		doc.estimated_category_spend = expected * 4
		doc.spend_estimate_as_of = today()
		doc.save()
		self.assertAlmostEqual(flt(doc.share_of_wallet), 25.0, places=2)

	def test_plan_actuals_cover_its_members(self):
		year = getdate(today()).year
		start, end = getdate(f"{year}-01-01"), getdate(f"{year}-12-31")
		plan = frappe.get_doc(
			{
				"doctype": "Key Account Plan",
				"key_account": GROUP,
				"period_start": start,
				"period_end": end,
				"status": "Active",
				"objectives": [{"objective": "Grow"}],
				"measures": [{"objective": "Grow", "measure": "Net Revenue", "target": 100_000}],
			}
		).insert(ignore_permissions=True)
		plan.reload()
		expected = self.invoiced((GROUP, M1, M2), start, today())
		self.assertGreater(expected, self.invoiced((GROUP,), start, today()))
		self.assertAlmostEqual(flt(plan.measures[0].actual), expected, places=2)

	# ---- classify groups as one ---------------------------------------------------------------------

	def hand_classes(self, groups: dict[str, list[str]], a=80.0, b=95.0) -> dict[str, str]:
		"""The ranking done by hand from the invoices: each group's members summed into the group."""
		from_date, to_date = calendar_months(getdate(today()), 12)
		values: dict[str, float] = {}
		for customer, amount in frappe.db.sql(
			"""select customer, sum(base_net_total) from `tabSales Invoice`
			where docstatus = 1 and company = %s and posting_date between %s and %s group by customer""",
			(f.COMPANY, from_date, to_date),
		):
			values[customer] = flt(amount)
		owner = {member: group for group, members in groups.items() for member in members}
		combined: dict[str, float] = {}
		for customer, value in values.items():
			combined[owner.get(customer, customer)] = combined.get(owner.get(customer, customer), 0) + value
		ranked = sorted(combined.items(), key=lambda item: (-item[1], item[0]))
		total = sum(value for _c, value in ranked if value > 0)
		classes, above = {}, 0.0
		for customer, value in ranked:
			if value <= 0:
				classes[customer] = "C"
				continue
			classes[customer] = "A" if above < a else "B" if above < b else "C"
			above += value / total * 100
		for member, group in owner.items():
			if group in classes:
				classes[member] = classes[group]
		return classes

	def test_classify_groups_as_one_against_a_hand_ranking(self):
		f.save_settings(
			{
				"company": f.COMPANY,
				"basis": "Net Revenue",
				"period_months": 12,
				"a_threshold": 80,
				"b_threshold": 95,
				"auto_create_profiles": 0,
				"classify_groups_as_one": 0,
			}
		)
		reclassify(f.COMPANY)
		alone = self.hand_classes({})
		for customer in (GROUP, M1, M2, OWNED):
			self.assertEqual(
				frappe.db.get_value("Customer", customer, "kam_abc_class"), alone[customer], customer
			)

		f.save_settings({"classify_groups_as_one": 1})
		reclassify(f.COMPANY)
		together = self.hand_classes({GROUP: [M1, M2]})
		for customer in (GROUP, M1, M2, OWNED):
			self.assertEqual(
				frappe.db.get_value("Customer", customer, "kam_abc_class"), together[customer], customer
			)
		self.assertEqual(together[M1], together[GROUP])
		# the ABC Analysis ranks the group as one row, its members' values in it
		from key_account_management.key_account_management.report.abc_analysis.abc_analysis import execute

		rows = {row["customer"]: row for row in execute({"company": f.COMPANY, "basis": "Net Revenue"})[1]}
		from_date, to_date = calendar_months(getdate(today()), 12)
		self.assertNotIn(M1, rows)
		self.assertAlmostEqual(
			rows[GROUP]["basis_value"], self.invoiced((GROUP, M1, M2), from_date, to_date), 2
		)
		self.assertEqual(rows[GROUP]["abc_class"], together[GROUP])
		self.assertEqual(frappe.db.get_value(PROFILE, GROUP, "computed_abc_class"), together[GROUP])

	# ---- the tree and its privacy -------------------------------------------------------------------

	def test_tree_on_the_profile(self):
		frappe.set_user(MANAGER)
		html = get_group_tree(GROUP)
		self.assertIn(M1, html)
		self.assertIn("Sub 2 &lt;img", html)
		self.assertNotIn("<img", html)

	def test_customer_form_names_its_group(self):
		from key_account_management.groups.tree import get_customer_group_account

		# who may open the Customer form and read the group's profile (here a System Manager)
		self.assertEqual(get_customer_group_account(M1)["profile"], GROUP)
		self.assertIsNone(get_customer_group_account(M3))
		# another manager, and an ERPNext sales user who reads customers but no key account
		sales_user = f.make_user("kam.group.sales@example.com", "Sales User")
		for user in (OTHER, sales_user):
			frappe.set_user(user)
			self.assertIsNone(get_customer_group_account(M1), user)

	def test_another_manager_cannot_read_the_members(self):
		frappe.set_user(OTHER)
		self.assertRaises(frappe.PermissionError, get_group_tree, GROUP)
		rows = frappe.get_all(MEMBER, filters={"parent": GROUP}, pluck="name")
		self.assertTrue(rows)
		self.assertEqual(frappe.get_list(MEMBER, filters={"parent": GROUP}, parent_doctype=PROFILE), [])
		from frappe.desk.reportview import get

		frappe.local.form_dict = frappe._dict(
			doctype=MEMBER, fields=["customer"], filters={"parent": GROUP}, parent_doctype=PROFILE
		)
		try:
			answer = get()
		except frappe.PermissionError:
			answer = {}
		self.assertFalse((answer or {}).get("values"))
		self.assertRaises(frappe.PermissionError, frappe.get_doc(MEMBER, rows[0]).check_permission, "read")
