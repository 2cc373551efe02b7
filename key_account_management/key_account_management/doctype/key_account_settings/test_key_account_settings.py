import frappe
from frappe.tests.utils import FrappeTestCase

from key_account_management.classification.jobs import is_due

test_ignore = ["Company"]


class TestKeyAccountSettings(FrappeTestCase):
	def assert_rejected(self, message_part, **values):
		settings = frappe.get_single("Key Account Settings")
		before = frappe.db.get_singles_dict("Key Account Settings")
		settings.update(values)
		with self.assertRaises(frappe.ValidationError) as raised:
			settings.save(ignore_permissions=True)
		self.assertIn(message_part, str(raised.exception))
		after = frappe.db.get_singles_dict("Key Account Settings")
		for key in values:
			self.assertEqual(str(after.get(key)), str(before.get(key)), key)

	def test_bad_thresholds_and_period_are_rejected(self):
		self.assert_rejected("must be lower than B Threshold", a_threshold=95, b_threshold=80)
		self.assert_rejected("must be lower than B Threshold", a_threshold=80, b_threshold=80)
		self.assert_rejected("at most 100", a_threshold=80, b_threshold=120)
		self.assert_rejected("above 0", a_threshold=0, b_threshold=95)
		self.assert_rejected("at least 1", period_months=0)

	def test_schedule(self):
		self.assertTrue(is_due("Daily", None))
		self.assertTrue(is_due("Daily", "2026-11-20 10:00:00", now="2026-11-21 01:00:00"))
		self.assertFalse(is_due("Daily", "2026-11-21 00:30:00", now="2026-11-21 01:00:00"))
		self.assertFalse(is_due("Weekly", "2026-11-18 01:00:00", now="2026-11-21 01:00:00"))
		self.assertTrue(is_due("Weekly", "2026-11-14 01:00:00", now="2026-11-21 01:00:00"))
		self.assertFalse(is_due("Monthly", "2026-11-01 01:00:00", now="2026-11-21 01:00:00"))
		self.assertTrue(is_due("Monthly", "2026-10-21 01:00:00", now="2026-11-21 01:00:00"))
