# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""The stage master: defaults, ranges checked together, nothing saved on bad input."""

import frappe

from key_account_management.core.relationship import DEFAULT_PLAYBOOKS, DEFAULT_STAGES
from key_account_management.relationship.stages import get_stages, install_default_stages, set_stage_ranges
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

test_ignore = ["Customer", "User", "Key Account Profile", "Company", "ToDo"]


class TestRelationshipStage(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		install_default_stages()

	def test_defaults_installed_once_with_playbooks(self):
		self.assertEqual(install_default_stages(), 0)  # idempotent
		self.assertEqual(
			{s.name for s in get_stages()} >= {s.name for s in DEFAULT_STAGES},
			True,
		)
		for stage, actions in DEFAULT_PLAYBOOKS.items():
			doc = frappe.get_doc("Relationship Stage", stage)
			self.assertEqual([row.action for row in doc.playbook], actions)
		top = frappe.get_doc("Relationship Stage", "Strategic Partner")
		self.assertEqual((top.sow_from, top.sow_to), (100, 0))  # 0 = no upper bound
		self.assertTrue(frappe.get_doc("Relationship Stage", "Interrupted").interrupted)

	def test_admin_can_edit_description_and_playbook(self):
		doc = frappe.get_doc("Relationship Stage", "Early")
		doc.description = "Edited"
		doc.append("playbook", {"action": "Invite them to the product day."})
		doc.append("playbook", {"action": "   "})  # blank rows are dropped
		doc.save()
		doc.reload()
		self.assertEqual(doc.playbook[-1].action, "Invite them to the product day.")
		self.assertEqual(len(doc.playbook), len(DEFAULT_PLAYBOOKS["Early"]) + 1)

	def test_overlapping_range_is_refused_and_nothing_saved(self):
		before = f.stage_ranges()
		doc = frappe.get_doc("Relationship Stage", "Early")
		doc.sow_to = 60
		with self.assertRaises(frappe.ValidationError) as caught:
			doc.save()
		self.assertIn("overlaps", str(caught.exception))
		self.assertEqual(f.stage_ranges(), before)

	def test_gap_is_refused(self):
		doc = frappe.get_doc("Relationship Stage", "Early")
		doc.sow_to = 45
		with self.assertRaises(frappe.ValidationError) as caught:
			doc.save()
		self.assertIn("No stage covers SoW from 45% to 50%", str(caught.exception))

	def test_new_overlapping_stage_is_refused(self):
		stage = frappe.get_doc(
			{
				"doctype": "Relationship Stage",
				"stage_name": "Courtship",
				"sequence": 2,
				"sow_from": 20,
				"sow_to": 40,
			}
		)
		self.assertRaises(frappe.ValidationError, stage.insert)
		self.assertFalse(frappe.db.exists("Relationship Stage", "Courtship"))

	def test_from_not_below_to_and_negative_are_refused(self):
		doc = frappe.get_doc("Relationship Stage", "Middle")
		doc.sow_from, doc.sow_to = 100, 50
		self.assertRaises(frappe.ValidationError, doc.save)
		doc = frappe.get_doc("Relationship Stage", "Incubation")
		doc.sow_from = -5
		self.assertRaises(frappe.ValidationError, doc.save)

	def test_interrupted_stage_has_no_range(self):
		doc = frappe.get_doc("Relationship Stage", "Interrupted")
		doc.sow_from, doc.sow_to = 10, 20
		doc.save()
		self.assertEqual((doc.sow_from, doc.sow_to), (0, 0))

	def test_moving_a_boundary_needs_all_ranges_together(self):
		# one stage at a time, either order leaves an overlap or a gap ...
		doc = frappe.get_doc("Relationship Stage", "Middle")
		doc.sow_from = 55
		self.assertRaises(frappe.ValidationError, doc.save)
		# ... so both are changed at once and checked together
		self.assertEqual(set_stage_ranges({"Early": {"sow_to": 55}, "Middle": {"sow_from": 55}}), 2)
		self.assertEqual(f.stage_ranges()["Early"], (30, 55))
		self.assertEqual(f.stage_ranges()["Middle"], (55, 100))
		before = f.stage_ranges()
		self.assertRaises(frappe.ValidationError, set_stage_ranges, {"Early": {"sow_to": 70}})
		self.assertEqual(f.stage_ranges(), before)

	def test_deleting_a_middle_stage_is_refused(self):
		self.assertRaises(frappe.ValidationError, frappe.delete_doc, "Relationship Stage", "Early")
		self.assertTrue(frappe.db.exists("Relationship Stage", "Early"))

	def test_managers_cannot_edit_stages(self):
		from key_account_management.tests import factories as f

		f.make_user("kam.stage.manager@example.com", "Key Account Manager")
		frappe.set_user("kam.stage.manager@example.com")
		self.assertRaises(frappe.PermissionError, set_stage_ranges, {"Early": {"sow_to": 55}})
		doc = frappe.get_doc("Relationship Stage", "Early")
		doc.description = "x"
		self.assertRaises(frappe.PermissionError, doc.save)
