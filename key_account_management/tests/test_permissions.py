"""Row-level access matrix: role × doctype × operation × own account / other account."""

import frappe
from frappe.utils import add_days, now_datetime

from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

OWN, TEAM, OTHER = "KAM-Perm-Own", "KAM-Perm-Team", "KAM-Perm-Other"
MANAGER = "kam.perm.manager@example.com"
COLLEAGUE = "kam.perm.colleague@example.com"
DIRECTOR = "kam.perm.director@example.com"


class TestRowLevelAccess(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_users({"Key Account Manager": (MANAGER, COLLEAGUE), "Key Account Director": (DIRECTOR,)})
		f.make_accounts({OWN: MANAGER, OTHER: COLLEAGUE})
		f.make_accounts({TEAM: COLLEAGUE}, account_team=[{"user": MANAGER, "team_role": "Sales"}])
		cls.roles, cls.visits = {}, {}
		for account in (OWN, TEAM, OTHER):
			contact = f.make_contact(f"Perm {account}", account)
			cls.roles[account] = f.make_role(account, contact, "Decision Maker").name
			start = add_days(now_datetime(), -1)
			cls.visits[account] = (
				frappe.get_doc(
					{
						"doctype": "Visit Record",
						"key_account": account,
						"visit_method": "Phone",
						"planned_start": start,
						"actual_start": start,
					}
				)
				.insert()
				.name
			)

	def records(self):
		return {
			"Key Account Profile": {a: a for a in (OWN, TEAM, OTHER)},
			"Buying Center Role": self.roles,
			"Visit Record": self.visits,
		}

	def test_manager_sees_own_and_team_accounts_only(self):
		frappe.set_user(MANAGER)
		for doctype, by_account in self.records().items():
			listed = set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
			for account, name in by_account.items():
				allowed = account in (OWN, TEAM)
				self.assertEqual(name in listed, allowed, (doctype, account, "list"))
				for ptype in ("read", "write"):
					self.assertEqual(
						frappe.has_permission(doctype, ptype, doc=name, user=MANAGER),
						allowed,
						(doctype, account, ptype),
					)
			# link search goes through the same conditions
			from frappe.desk.search import search_widget

			found = {
				r[0] if isinstance(r, list | tuple) else r["value"]
				for r in search_widget(doctype, "", page_length=100) or []
			}
			self.assertNotIn(by_account[OTHER], found, doctype)

	def test_manager_cannot_open_or_edit_another_account(self):
		frappe.set_user(MANAGER)
		self.assertRaises(
			frappe.PermissionError, frappe.get_doc("Key Account Profile", OTHER).check_permission, "read"
		)
		doc = frappe.get_doc("Visit Record", self.visits[OTHER])
		doc.objective = "sneaky"
		self.assertRaises(frappe.PermissionError, doc.save)
		new_role = frappe.get_doc(
			{"doctype": "Buying Center Role", "key_account": OTHER, "contact": "x", "buying_role": "User"}
		)
		self.assertRaises(frappe.PermissionError, new_role.insert)

	def test_director_and_system_manager_see_everything(self):
		for user in (DIRECTOR, "Administrator"):
			frappe.set_user(user)
			for doctype, by_account in self.records().items():
				listed = set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
				self.assertTrue(set(by_account.values()) <= listed, (user, doctype))

	def test_reports_and_cards_respect_the_rows(self):
		from key_account_management.key_account_management.report.buying_center_coverage.buying_center_coverage import (
			execute,
		)

		frappe.set_user(MANAGER)
		accounts = {row["key_account"] for row in execute({})[1]}
		self.assertIn(OWN, accounts)
		self.assertNotIn(OTHER, accounts)

	def test_abc_analysis_shows_a_manager_only_their_accounts(self):
		from key_account_management.key_account_management.report.abc_analysis.abc_analysis import execute

		frappe.set_user(MANAGER)
		customers = {row["customer"] for row in execute({"company": f.COMPANY})[1]}
		self.assertTrue(customers <= {OWN, TEAM}, customers)

	def test_manager_cannot_open_a_profile_for_someone_elses_customer(self):
		other_customer = f.make_customer("KAM-Perm-Unassigned", account_manager=COLLEAGUE)
		frappe.set_user(MANAGER)
		doc = frappe.get_doc({"doctype": "Key Account Profile", "customer": other_customer})
		self.assertRaises(frappe.PermissionError, doc.insert)
		self.assertFalse(frappe.db.exists("Key Account Profile", other_customer))
		mine = frappe.get_doc(
			{
				"doctype": "Key Account Profile",
				"customer": other_customer,
				"account_team": [{"user": MANAGER}],
			}
		).insert()
		self.assertEqual(mine.account_manager, COLLEAGUE)
