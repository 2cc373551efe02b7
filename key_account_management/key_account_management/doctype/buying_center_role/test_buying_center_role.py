import frappe

from key_account_management.buying_center.api import get_buying_center, get_contact_roles
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

test_ignore = ["Key Account Profile", "Contact", "Customer"]

ACCOUNT, OTHER = "KAM-BC-Account", "KAM-BC-Other"


class TestBuyingCenterRole(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		for customer in (ACCOUNT, OTHER):
			f.make_customer(customer)
			f.make_profile(customer)
		cls.ceo = f.make_contact("Ceo", ACCOUNT, "CEO")
		cls.cto = f.make_contact("Cto", ACCOUNT, "CTO")
		cls.buyer = f.make_contact("Buyer", ACCOUNT, "Purchasing Manager")
		cls.stranger = f.make_contact("Stranger", OTHER)
		cls.loose = f.make_contact("Loose")

	def assert_rejected(self, message, **fields):
		before = frappe.db.count("Buying Center Role")
		with self.assertRaises(frappe.ValidationError) as raised:
			f.make_role(ACCOUNT, **fields)
		self.assertIn(message, str(raised.exception))
		self.assertEqual(frappe.db.count("Buying Center Role"), before)

	def test_map_a_buying_center_and_see_it_as_a_chart(self):
		ceo = f.make_role(ACCOUNT, self.ceo, "Decision Maker", influence=5, attitude="Supporter")
		cto = f.make_role(
			ACCOUNT, self.cto, "Technical Gatekeeper", influence=4, attitude="Champion", reports_to=ceo.name
		)
		f.make_role(
			ACCOUNT,
			self.buyer,
			"Purchaser",
			influence=3,
			attitude="Skeptic",
			reports_to=ceo.name,
			is_insider=1,
		)
		f.make_role(ACCOUNT, self.cto, "User", influence=2, attitude="Champion", reports_to=cto.name)
		data = get_buying_center(ACCOUNT)
		root = data["chart"][0]
		self.assertEqual(
			(root["name"], root["role"], root["attitude"], root["influence"]),
			(ceo.name, "Decision Maker", "Supporter", 5),
		)
		self.assertEqual(len(root["children"]), 2)
		self.assertTrue(any(c["insider"] for c in root["children"]))
		self.assertEqual(data["coverage"]["coverage_percent"], 80.0)  # no financial gatekeeper
		self.assertEqual(data["coverage"]["support_score"], 5 + 8 - 3 + 4)
		profile = frappe.get_doc("Key Account Profile", ACCOUNT)
		self.assertEqual(profile.coverage_percent, 80.0)
		self.assertEqual(profile.support_score, 14)
		self.assertEqual(profile.buying_center_flags, "")
		# the contact form lists the person's roles
		self.assertEqual(
			{r.buying_role for r in get_contact_roles(self.cto)}, {"Technical Gatekeeper", "User"}
		)

	def test_decision_maker_leaving_is_flagged(self):
		ceo = f.make_role(ACCOUNT, self.ceo, "Decision Maker", influence=5, attitude="Supporter")
		ceo.status = "Left the Company"
		ceo.save()
		flags = frappe.db.get_value("Key Account Profile", ACCOUNT, "buying_center_flags").split("\n")
		self.assertIn("Key Person Left", flags)
		self.assertIn("No Decision Maker", flags)

	def test_bad_input_is_rejected_and_nothing_saved(self):
		self.assert_rejected("must be from 1 to 5", contact=self.ceo, buying_role="User", influence=6)
		self.assert_rejected(
			"must be from 1 to 5", contact=self.ceo, buying_role="User", relationship_strength=0
		)
		self.assert_rejected("belongs to customer", contact=self.stranger, buying_role="User")
		self.assert_rejected("is not linked to customer", contact=self.loose, buying_role="User")
		f.make_role(ACCOUNT, self.ceo, "Decision Maker")
		self.assert_rejected("already recorded as", contact=self.ceo, buying_role="Decision Maker")
		other_role = f.make_role(OTHER, self.stranger, "User")
		self.assert_rejected(
			"belongs to key account", contact=self.cto, buying_role="User", reports_to=other_role.name
		)

	def test_reports_to_loop_is_rejected(self):
		ceo = f.make_role(ACCOUNT, self.ceo, "Decision Maker")
		cto = f.make_role(ACCOUNT, self.cto, "Technical Gatekeeper", reports_to=ceo.name)
		buyer = f.make_role(ACCOUNT, self.buyer, "Purchaser", reports_to=cto.name)
		ceo.reports_to = buyer.name
		with self.assertRaises(frappe.ValidationError) as raised:
			ceo.save()
		self.assertIn("close a loop", str(raised.exception))
		self.assertIsNone(frappe.db.get_value("Buying Center Role", ceo.name, "reports_to"))

	def test_confirmed_contact_is_linked_to_the_customer(self):
		role = f.make_role(ACCOUNT, self.loose, "Influencer", link_contact_to_customer=1)
		links = frappe.get_all(
			"Dynamic Link", filters={"parent": self.loose, "link_doctype": "Customer"}, pluck="link_name"
		)
		self.assertIn(ACCOUNT, links)
		self.assertEqual(role.customer, ACCOUNT)

	def test_coverage_report_filters_by_flag(self):
		from key_account_management.key_account_management.report.buying_center_coverage.buying_center_coverage import (
			execute,
		)

		f.make_role(ACCOUNT, self.ceo, "Decision Maker", attitude="Opponent")
		_columns, data, _m, chart = execute({"flag": "Decision Maker Opposes"})
		self.assertEqual(
			[row["key_account"] for row in data if row["key_account"] in (ACCOUNT, OTHER)], [ACCOUNT]
		)
		self.assertEqual(chart["type"], "bar")
		_columns, data, *_ = execute({"flag": "No Decision Maker"})
		accounts = [row["key_account"] for row in data]
		self.assertIn(OTHER, accounts)
		self.assertNotIn(ACCOUNT, accounts)

	# -- issue 18 --------------------------------------------------------------------------------------

	def flags(self, account):
		return set(
			(frappe.db.get_value("Key Account Profile", account, "buying_center_flags") or "").split("\n")
		)

	def test_a_person_others_report_to_cannot_move_and_a_move_refreshes_both_accounts(self):
		ceo = f.make_role(ACCOUNT, self.ceo, "Decision Maker", influence=5, attitude="Champion")
		cto = f.make_role(ACCOUNT, self.cto, "Technical Gatekeeper", reports_to=ceo.name)
		self.assertNotIn("No Decision Maker", self.flags(ACCOUNT))
		self.assertIn("No Decision Maker", self.flags(OTHER))

		ceo.key_account = OTHER
		ceo.link_contact_to_customer = 1
		with self.assertRaises(frappe.ValidationError) as raised:
			ceo.save()
		self.assertIn("report to them", str(raised.exception))
		self.assertEqual(frappe.db.get_value("Buying Center Role", ceo.name, "key_account"), ACCOUNT)
		# refused: the contact was not linked to the other customer either
		links = frappe.get_all(
			"Dynamic Link", filters={"parent": self.ceo, "link_doctype": "Customer"}, pluck="link_name"
		)
		self.assertNotIn(OTHER, links)

		# once nobody reports to them here, the move goes through and both accounts are recomputed
		cto.reports_to = None
		cto.save()
		ceo = frappe.get_doc("Buying Center Role", ceo.name)
		ceo.key_account = OTHER
		ceo.link_contact_to_customer = 1
		ceo.save()
		self.assertIn("No Decision Maker", self.flags(ACCOUNT))
		self.assertNotIn("No Decision Maker", self.flags(OTHER))
		self.assertEqual(frappe.db.get_value("Key Account Profile", OTHER, "support_score"), 10)
		self.assertEqual(frappe.db.get_value("Key Account Profile", ACCOUNT, "support_score"), 0)
		self.assertFalse(
			frappe.db.exists("Buying Center Role", {"reports_to": ceo.name, "key_account": ACCOUNT})
		)

	def test_a_moved_person_leaves_their_manager_behind(self):
		ceo = f.make_role(ACCOUNT, self.ceo, "Decision Maker")
		cto = f.make_role(ACCOUNT, self.cto, "Technical Gatekeeper", reports_to=ceo.name)
		cto.key_account = OTHER
		cto.link_contact_to_customer = 1
		cto.save()
		self.assertEqual(
			frappe.db.get_value("Buying Center Role", cto.name, ["key_account", "reports_to"]), (OTHER, None)
		)

	def test_a_refused_role_links_no_contact(self):
		other_role = f.make_role(OTHER, self.stranger, "User")
		with self.assertRaises(frappe.ValidationError):
			# the contact check passes (link it), the reports-to check refuses
			f.make_role(ACCOUNT, self.loose, "User", link_contact_to_customer=1, reports_to=other_role.name)
		links = frappe.get_all(
			"Dynamic Link", filters={"parent": self.loose, "link_doctype": "Customer"}, pluck="link_name"
		)
		self.assertEqual(links, [])

	def test_key_person_left_clears_once_a_new_decision_maker_is_in_place(self):
		ceo = f.make_role(ACCOUNT, self.ceo, "Decision Maker", influence=5)
		ceo.status = "Left the Company"
		ceo.save()
		self.assertIn("Key Person Left", self.flags(ACCOUNT))
		f.make_role(ACCOUNT, self.cto, "Decision Maker", influence=4)
		flags = self.flags(ACCOUNT)
		self.assertNotIn("Key Person Left", flags)
		self.assertNotIn("No Decision Maker", flags)
