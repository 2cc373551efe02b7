import frappe

from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

# the tests build their own customers and users; no generic test records are needed
test_ignore = ["Customer", "Customer Group", "Territory", "User"]


class TestKeyAccountProfile(KAMTestCase):
	def setUp(self):
		super().setUp()
		self.manager = f.make_user("kam.profile.manager@example.com", "Key Account Manager")
		self.customer = f.make_customer("KAM-Profile-Customer", account_manager=self.manager)

	def profile(self, **fields):
		return frappe.get_doc({"doctype": "Key Account Profile", "customer": self.customer, **fields})

	def test_named_by_customer_and_manager_defaults_from_customer(self):
		doc = self.profile().insert()
		self.assertEqual(doc.name, self.customer)
		self.assertEqual(doc.account_manager, self.manager)

	def test_second_profile_for_a_customer_is_rejected(self):
		self.profile().insert()
		with self.assertRaises(frappe.DuplicateEntryError) as raised:
			self.profile().insert()
		self.assertIn("already has a Key Account Profile", str(raised.exception))
		self.assertEqual(frappe.db.count("Key Account Profile", {"customer": self.customer}), 1)

	def test_disabled_customer_is_rejected(self):
		frappe.db.set_value("Customer", self.customer, "disabled", 1)
		with self.assertRaises(frappe.ValidationError) as raised:
			self.profile().insert()
		self.assertIn("is disabled", str(raised.exception))
		self.assertFalse(frappe.db.exists("Key Account Profile", self.customer))

	def test_override_needs_a_reason(self):
		with self.assertRaises(frappe.ValidationError) as raised:
			self.profile(override_class="A").insert()
		self.assertIn("Override Reason is required", str(raised.exception))
		self.assertFalse(frappe.db.exists("Key Account Profile", self.customer))

	def test_team_member_listed_twice_is_rejected(self):
		doc = self.profile(account_team=[{"user": self.manager}, {"user": self.manager}])
		self.assertRaises(frappe.ValidationError, doc.insert)
		self.assertFalse(frappe.db.exists("Key Account Profile", self.customer))

	def test_new_profile_keeps_the_class_the_customer_already_has(self):
		frappe.db.set_value("Customer", self.customer, "kam_abc_class", "A")
		doc = self.profile().insert()
		self.assertEqual((doc.computed_abc_class, doc.abc_class), ("A", "A"))
		self.assertEqual(frappe.db.get_value("Customer", self.customer, "kam_abc_class"), "A")

	def test_share_of_wallet_and_stage_through_the_form(self):
		from key_account_management.relationship.stages import install_default_stages

		install_default_stages()
		doc = self.profile(estimated_category_spend=100000).insert()
		self.assertEqual(doc.share_of_wallet, 0)
		self.assertEqual(doc.suggested_stage, "Incubation")
		doc.estimated_category_spend = -5
		self.assertRaisesRegex(frappe.ValidationError, "Estimated Annual Category Spend", doc.save)
		self.assertEqual(
			frappe.db.get_value("Key Account Profile", doc.name, "estimated_category_spend"), 100000
		)
		doc.reload()
		doc.relationship_stage = "Incubation"
		doc.save()
		doc.relationship_stage = "Middle"  # Incubation → Middle skips Early
		doc.stage_change_reason = None
		self.assertRaises(frappe.ValidationError, doc.save)
		self.assertEqual(
			frappe.db.get_value("Key Account Profile", doc.name, "relationship_stage"), "Incubation"
		)
		doc.reload()
		doc.relationship_stage = "Middle"
		doc.stage_change_reason = "Won the framework agreement"
		doc.save()
		self.assertEqual(doc.stage_history[-1].to_stage, "Middle")
		self.assertTrue(doc.playbook_items)

	def test_a_copy_for_another_customer_starts_without_the_first_customers_figures(self):
		# issue 18's sibling of an amended visit carrying its old follow-up: a duplicated profile carried
		# the first customer's class, override, estimate and histories into another customer's profile
		doc = self.profile(
			estimated_category_spend=100000, override_class="A", override_reason="Strategic account"
		).insert()
		self.assertTrue(doc.class_history)
		other = f.make_customer("KAM-Profile-Other", account_manager=self.manager)
		copy = frappe.copy_doc(doc, ignore_no_copy=False)  # what the desk's Duplicate does
		copy.customer = other
		copy.insert()
		self.assertEqual((copy.override_class or None, copy.abc_class or None), (None, None))
		self.assertFalse(copy.estimated_category_spend)
		self.assertEqual((copy.class_history, copy.spend_estimates), ([], []))
