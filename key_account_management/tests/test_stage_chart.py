"""The "Accounts by Relationship Stage" chart: stages in their order and the user's language, the user's accounts."""

import frappe

from key_account_management.key_account_management.dashboard_chart_source.accounts_by_relationship_stage import (
	accounts_by_relationship_stage as source,
)
from key_account_management.relationship.stages import install_default_stages
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

MANAGER, OTHER = "stage-chart-manager@example.com", "stage-chart-other@example.com"


class TestStageChart(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		install_default_stages()
		f.make_users({"Key Account Manager": (MANAGER, OTHER)})
		for index, (manager, stage) in enumerate(
			[(MANAGER, "Early"), (MANAGER, "Early"), (MANAGER, "Strategic Partner"), (OTHER, "Incubation")]
		):
			customer = f.make_customer(f"_Test Stage Chart {index}")
			f.make_profile(customer, account_manager=manager)
			frappe.db.set_value("Key Account Profile", customer, "relationship_stage", stage)

	def tearDown(self):
		frappe.local.lang = "en"
		super().tearDown()

	def counts(self, data: dict) -> dict:
		return dict(zip(data["labels"], data["datasets"][0]["values"]))

	def test_stages_in_sequence_with_the_managers_own_accounts(self):
		frappe.set_user(MANAGER)
		data = source.get(chart_name="Accounts by Relationship Stage")
		stages = frappe.get_all("Relationship Stage", order_by="sequence asc, name asc", pluck="name")
		self.assertEqual(data["labels"][: len(stages)], stages)
		counts = self.counts(data)
		# independent count: the profiles this manager manages, by stage, straight from the table
		expected = frappe._dict()
		for row in frappe.get_all(
			"Key Account Profile",
			filters={"account_manager": MANAGER},
			fields=["relationship_stage"],
		):
			expected[row.relationship_stage] = expected.get(row.relationship_stage, 0) + 1
		self.assertEqual({k: v for k, v in counts.items() if v}, dict(expected))
		self.assertEqual(counts["Incubation"], 0)  # another manager's account is not counted

	def test_labels_in_chinese(self):
		frappe.set_user(MANAGER)
		frappe.local.lang = "zh"
		data = source.get(chart_name="Accounts by Relationship Stage")
		self.assertIn("初期", data["labels"])
		self.assertIn("战略合作伙伴", data["labels"])
		self.assertNotIn("Early", data["labels"])
		self.assertEqual(self.counts(data)["初期"], 2)
		self.assertEqual(data["datasets"][0]["name"], "大客户")
