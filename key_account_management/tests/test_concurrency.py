"""Concurrent edits of a key account: two people load the same document, the first saves, and the second's
stale copy is refused with frappe.TimestampMismatchError instead of silently overwriting the first (no
lost update). Checked on the document API and on frappe.client.save, the path the desk and REST use."""

import json

import frappe
from frappe.client import save as client_save

from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

test_ignore = ["Customer", "Contact", "User", "Key Account Profile"]

ACCOUNT = "KAM-Concurrency-Account"
MANAGER = "kam.concurrency.manager@example.com"  # the account manager
TEAM = "kam.concurrency.team@example.com"  # on the account team
PROFILE = "Key Account Profile"


class TestConcurrentEdits(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_users({"Key Account Manager": (MANAGER, TEAM)})
		f.make_accounts({ACCOUNT: MANAGER}, account_team=[{"user": TEAM, "team_role": "Sales"}])
		contact = f.make_contact("Concurrency Buyer", ACCOUNT)
		cls.role = f.make_role(ACCOUNT, contact, "Purchaser").name

	def load(self, user, doctype=PROFILE, name=ACCOUNT):
		frappe.set_user(user)
		return frappe.get_doc(doctype, name)

	def assert_stale_save_rejected(self, edit_first, edit_second, *document):
		"""MANAGER and TEAM load ``document``; MANAGER saves ``edit_first`` of their copy, then TEAM's save
		of ``edit_second`` on the stale copy is refused."""
		first = self.load(MANAGER, *document)
		second = self.load(TEAM, *document)
		frappe.set_user(MANAGER)
		edit_first(first)
		first.save()
		frappe.set_user(TEAM)
		edit_second(second)
		self.assertRaises(frappe.TimestampMismatchError, second.save)
		frappe.clear_messages()

	def test_second_stale_save_is_rejected_and_the_first_kept(self):
		first = self.load(MANAGER)
		second = self.load(TEAM)
		self.assertEqual(first.modified, second.modified)

		frappe.set_user(MANAGER)
		first.competitors = "Acme Industrial"
		first.save()

		frappe.set_user(TEAM)
		second.competitors = "Globex"
		with self.assertRaises(frappe.TimestampMismatchError):
			second.save()
		frappe.clear_messages()

		self.assertEqual(frappe.db.get_value(PROFILE, ACCOUNT, "competitors"), "Acme Industrial")
		self.assertEqual(frappe.db.get_value(PROFILE, ACCOUNT, "modified_by"), MANAGER)

		# the second person reloads, sees the first's change and saves on top of it
		second.reload()
		self.assertEqual(second.competitors, "Acme Industrial")
		second.competitors = "Acme Industrial, Globex"
		second.save()
		self.assertEqual(frappe.db.get_value(PROFILE, ACCOUNT, "competitors"), "Acme Industrial, Globex")

	def test_stale_save_of_another_field_is_rejected_too(self):
		# no silent field-by-field merge: a stale copy carries every old value
		self.assert_stale_save_rejected(
			lambda doc: doc.update({"annual_goals": "Double the share of wallet"}),
			lambda doc: doc.update({"operations_notes": "Two plants, one central purchasing team"}),
		)
		values = frappe.db.get_value(PROFILE, ACCOUNT, ["annual_goals", "operations_notes"], as_dict=True)
		self.assertEqual(values.annual_goals, "Double the share of wallet")
		self.assertIsNone(values.operations_notes)

	def test_stale_child_table_edit_is_rejected(self):
		self.assert_stale_save_rejected(
			lambda doc: doc.append(
				"account_team", {"user": "Administrator", "team_role": "Executive Sponsor"}
			),
			# would drop the member the first just added, and themselves
			lambda doc: doc.set("account_team", []),
		)
		team = frappe.get_all(
			"Key Account Team Member", filters={"parent": ACCOUNT, "parenttype": PROFILE}, pluck="user"
		)
		self.assertEqual(set(team), {TEAM, "Administrator"})

	def test_stale_save_through_frappe_client_save(self):
		# the desk and REST send the document with the `modified` they loaded
		stale = json.loads(frappe.as_json(self.load(TEAM).as_dict()))
		first = self.load(MANAGER)
		first.strategy_plan = "<p>Become the single source for drives</p>"
		first.save()

		frappe.set_user(TEAM)
		stale["strategy_plan"] = "<p>Exit the account</p>"
		with self.assertRaises(frappe.TimestampMismatchError):
			client_save(frappe.as_json(stale))
		frappe.clear_messages()
		self.assertEqual(
			frappe.db.get_value(PROFILE, ACCOUNT, "strategy_plan"),
			"<p>Become the single source for drives</p>",
		)

	def test_buying_center_member_stale_save(self):
		self.assert_stale_save_rejected(
			lambda doc: doc.update({"attitude": "Champion"}),
			lambda doc: doc.update({"attitude": "Opponent"}),
			"Buying Center Role",
			self.role,
		)
		self.assertEqual(frappe.db.get_value("Buying Center Role", self.role, "attitude"), "Champion")
