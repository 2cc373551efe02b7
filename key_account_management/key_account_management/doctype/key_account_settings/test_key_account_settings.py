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

	# -- issue 18: every number in its range, the message naming the field ------------------------------

	def test_every_numeric_setting_out_of_range_is_refused_naming_the_field(self):
		meta = frappe.get_meta("Key Account Settings")
		for field, value in (
			("interruption_days", -5),
			("interruption_days", 0),
			("cadence_a_days", 0),
			("cadence_b_days", -1),
			("cadence_c_days", 0),
			("follow_up_days", 0),
			("weight_recency", -10),
			("weight_sow_trend", -1),
			("default_yearly_income", -1),
			("per_recipient_per_year", -100),
			("account_budget_amount", -1),
			("account_budget_percent", -5),
			("account_budget_percent", 250),
			("reapproval_tolerance_percent", -10),
			("receipt_required_above", -1),
		):
			with self.subTest(field=field, value=value):
				self.assert_rejected(meta.get_label(field), **{field: value})

	def test_all_health_weights_zero_is_refused(self):
		self.assert_rejected(
			"health weights are all 0",
			weight_recency=0,
			weight_revenue_trend=0,
			weight_sow_trend=0,
			weight_coverage=0,
			weight_visits=0,
		)

	def test_negative_limits_in_the_tables_are_refused(self):
		settings = frappe.get_single("Key Account Settings")
		settings.set("event_limits", [{"request_type": "Meal", "per_recipient_amount": -50}])
		with self.assertRaises(frappe.ValidationError) as raised:
			settings.save(ignore_permissions=True)
		self.assertIn("Row 1 of", str(raised.exception))
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")

	def test_a_bad_value_stored_before_the_rule_stops_the_jobs_with_the_field_named(self):
		from key_account_management.relationship.evaluation import get_config
		from key_account_management.visits.cadence import get_cadence

		frappe.db.savepoint("kam_bad_settings")
		frappe.db.set_single_value("Key Account Settings", "interruption_days", -5)
		frappe.db.set_single_value("Key Account Settings", "cadence_b_days", -60)
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")
		try:
			with self.assertRaises(frappe.ValidationError) as raised:
				get_config()
			self.assertIn("Interrupted After", str(raised.exception))
			with self.assertRaises(frappe.ValidationError) as raised:
				get_cadence()
			self.assertIn("Class B", str(raised.exception))
		finally:
			frappe.db.rollback(save_point="kam_bad_settings")
			frappe.clear_document_cache("Key Account Settings", "Key Account Settings")
