"""Audit: the key-account DocTypes keep a Version for every change, and a hospitality request keeps its
approval trail (Hospitality Approval rows in the `approvals` table): who did what, at which level, when."""

import json
import unittest
from contextlib import contextmanager

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import get_datetime, now_datetime, today

from key_account_management.core import hospitality_flow as flow
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

test_ignore = ["Customer", "Contact", "User", "Key Account Profile", "Company", "Workflow State"]

ACCOUNT = "KAM-Audit-Account"
MANAGER = "kam.audit.manager@example.com"
DIRECTOR = "kam.audit.director@example.com"
TRACKED = ("Key Account Profile", "Buying Center Role", "Hospitality Request", "Visit Record")


@contextmanager
def saves_as_on_a_live_site():
	"""Frappe skips Versions while tests run (Document._save: ignore_version defaults to
	frappe.flags.in_test); switch that off around the saves under test."""
	in_test = frappe.flags.in_test
	frappe.flags.in_test = False
	try:
		yield
	finally:
		frappe.flags.in_test = in_test


def versions(doctype, name):
	return frappe.get_all(
		"Version",
		filters={"ref_doctype": doctype, "docname": name},
		fields=["owner", "data", "creation"],
		order_by="creation asc",
	)


def changed(version) -> dict[str, tuple]:
	return {row[0]: (row[1], row[2]) for row in json.loads(version.data).get("changed", [])}


class TestAudit(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_users({"Key Account Manager": (MANAGER,), "Key Account Director": (DIRECTOR,)})
		f.make_accounts({ACCOUNT: MANAGER})
		cls.contact = f.make_contact("Audit Buyer", ACCOUNT, "Purchasing Manager")

	def test_track_changes_is_on(self):
		for doctype in TRACKED:
			self.assertTrue(frappe.get_meta(doctype).track_changes, doctype)
		# the approval trail is a child table of the request, versioned with its parent
		self.assertEqual(
			frappe.get_meta("Hospitality Request").get_field("approvals").options, "Hospitality Approval"
		)
		self.assertTrue(frappe.get_meta("Hospitality Approval").istable)

	def test_saving_a_profile_records_who_changed_what(self):
		before = len(versions("Key Account Profile", ACCOUNT))
		frappe.set_user(MANAGER)
		doc = frappe.get_doc("Key Account Profile", ACCOUNT)
		doc.competitors = "Acme Industrial"
		with saves_as_on_a_live_site():
			doc.save()
		frappe.set_user("Administrator")
		rows = versions("Key Account Profile", ACCOUNT)
		self.assertEqual(len(rows), before + 1)
		self.assertEqual(rows[-1].owner, MANAGER)
		self.assertEqual(changed(rows[-1])["competitors"], (None, "Acme Industrial"))

	def test_saving_a_buying_center_member_records_a_version(self):
		role = f.make_role(ACCOUNT, self.contact, "Purchaser")
		frappe.set_user(MANAGER)
		role = frappe.get_doc("Buying Center Role", role.name)
		role.attitude = "Champion"
		role.hobbies = "Sailing"  # personal notes are audited like every other field
		with saves_as_on_a_live_site():
			role.save()
		frappe.set_user("Administrator")
		rows = versions("Buying Center Role", role.name)
		self.assertEqual(rows[-1].owner, MANAGER)
		self.assertEqual(changed(rows[-1])["attitude"][1], "Champion")
		self.assertEqual(changed(rows[-1])["hobbies"], (None, "Sailing"))

	def approved_request(self):
		frappe.set_user(MANAGER)
		doc = frappe.get_doc(
			{
				"doctype": "Hospitality Request",
				"key_account": ACCOUNT,
				"company": f.COMPANY,
				"request_type": "Meal",
				"planned_date": today(),
				"business_purpose": "Plant visit lunch",
				"estimated_amount": 120,
				"recipients": [{"contact": self.contact, "amount": 120}],
			}
		).insert()
		with saves_as_on_a_live_site():
			apply_workflow(doc.as_dict(), flow.ACTION_SUBMIT)
			frappe.set_user(DIRECTOR)
			apply_workflow(frappe.get_doc("Hospitality Request", doc.name).as_dict(), flow.ACTION_APPROVE)
		frappe.set_user("Administrator")
		return doc.name

	def test_hospitality_approval_trail_shows_who_approved_what_and_when(self):
		started = now_datetime()
		name = self.approved_request()

		doc = frappe.get_doc("Hospitality Request", name)
		self.assertEqual(doc.workflow_state, flow.APPROVED)
		self.assertEqual(
			[(r.approval_round, r.level, r.action, r.approver) for r in doc.approvals],
			[(1, "", flow.TRAIL_SUBMITTED, MANAGER), (1, "Manager", flow.TRAIL_APPROVED, DIRECTOR)],
		)
		for row in doc.approvals:
			self.assertTrue(started <= get_datetime(row.approved_on) <= now_datetime(), row.approved_on)
		self.assertEqual(doc.approved_amount, 120)

		# the Version log tells the same story: each state change by the user who made it
		moves = [
			(row.owner, changed(row)["workflow_state"])
			for row in versions("Hospitality Request", doc.name)
			if "workflow_state" in changed(row)
		]
		self.assertEqual(
			moves,
			[
				(MANAGER, (flow.DRAFT, flow.PENDING["Manager"])),
				(DIRECTOR, (flow.PENDING["Manager"], flow.APPROVED)),
			],
		)

	def test_trail_rows_carry_the_approvers_name(self):
		"""App bug: Hospitality Approval.approver_name is `fetch_from: approver.full_name`, but the rows are
		appended in validate (add_trail), after Frappe has resolved fetch_from, and restore_protected copies
		them back from the database on every later save, so the name is never filled (the print format's
		"By" column shows only the e-mail)."""
		name = self.approved_request()
		doc = frappe.get_doc("Hospitality Request", name)
		self.assertEqual(doc.approvals[-1].approver_name, frappe.utils.get_fullname(DIRECTOR))
