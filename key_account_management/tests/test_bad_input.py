"""Bad input across the DocTypes and whitelisted APIs: each case asserts the exact message the user gets
and that nothing was persisted (a count, a state or the stored values, read back after the refusal and
before any rollback). docs/BAD_INPUT.md lists every case with its message and its tests."""

import re
import unittest

import frappe
from frappe.client import save as client_save
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, now_datetime, today

from key_account_management.core import hospitality_flow as flow
from key_account_management.hospitality.api import get_limit_preview, set_rejection_reason
from key_account_management.hospitality.approvers import HospitalityApprovalError
from key_account_management.key_account_management.doctype.hospitality_request.test_hospitality_request import (
	configure,
)
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

test_ignore = ["Customer", "Contact", "User", "Key Account Profile", "Company", "Workflow State"]

ACME, OTHER = "KAM-Bad-Acme", "KAM-Bad-Other"
MANAGER = "kam.bad.manager@example.com"  # Key Account Manager of ACME
TEAM = "kam.bad.team@example.com"  # Key Account Manager on ACME's team, the manager's superior
OUTSIDER = "kam.bad.outsider@example.com"  # Key Account Manager of OTHER
DIRECTOR = "kam.bad.director@example.com"
FINANCE = "kam.bad.finance@example.com"
REQUEST = "Hospitality Request"
SETTINGS = "Key Account Settings"


def message_of(exc: Exception) -> str:
	"""What the user reads: the dialog's text without the bold markup, one line per <br>."""
	# a permission error carries its text in frappe.flags.error_message, which the response shows
	text = re.sub(r"<br\s*/?>", "\n", str(exc) or frappe.flags.error_message or "")
	return re.sub(r"<[^>]+>", "", text).strip()


class TestBadInput(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		# after the class's rollback, the cached settings must not keep what configure() saved
		cls.addClassCleanup(frappe.clear_document_cache, SETTINGS, SETTINGS)
		super().setUpClass()
		frappe.set_user("Administrator")
		from key_account_management.relationship.stages import install_default_stages

		install_default_stages()
		f.make_users(
			{
				"Key Account Manager": (MANAGER, TEAM, OUTSIDER),
				"Key Account Director": (DIRECTOR,),
				"Hospitality Approver": (FINANCE,),
			}
		)
		# TEAM is the manager's superior: the one who approves their requests at Manager level
		f.make_employee(TEAM)
		f.make_employee(MANAGER, reports_to=TEAM)
		f.make_accounts({ACME: MANAGER}, account_team=[{"user": TEAM, "team_role": "Sales"}])
		f.make_accounts({OTHER: OUTSIDER})
		cls.buyer = f.make_contact("Bad Buyer", ACME, "Purchasing Manager")
		cls.engineer = f.make_contact("Bad Engineer", ACME, "Chief Engineer")
		cls.stranger = f.make_contact("Bad Stranger", OTHER)
		cls.loose = f.make_contact("Bad Loose")
		cls.decision_maker = f.make_role(ACME, cls.buyer, "Decision Maker").name
		cls.other_role = f.make_role(OTHER, cls.stranger, "User").name
		configure()

	def tearDown(self):
		super().tearDown()
		frappe.clear_document_cache(SETTINGS, SETTINGS)

	# helpers -------------------------------------------------------------------------------------------

	def assertRefused(self, fn, message, snapshot, exc=frappe.ValidationError, user="Administrator"):
		"""``fn`` run as ``user`` raises ``exc`` with exactly ``message``, and ``snapshot()`` (what the
		database holds) is the same before and after."""
		frappe.set_user("Administrator")
		before = snapshot()
		frappe.set_user(user)
		frappe.clear_messages()
		frappe.flags.error_message = None
		with self.assertRaises(exc) as caught:
			fn()
		frappe.set_user("Administrator")
		actual = message_of(caught.exception)
		frappe.flags.error_message = None
		self.assertEqual(actual, message, f"ACTUAL<<{actual}>>")
		self.assertEqual(snapshot(), before)
		frappe.clear_messages()

	def count(self, doctype, filters=None):
		return lambda: frappe.db.count(doctype, filters)

	def values(self, doctype, name, *fields):
		return lambda: frappe.db.get_value(doctype, name, list(fields), as_dict=True)

	def settings(self, **values):
		def save():
			doc = frappe.get_doc(SETTINGS)
			doc.update(values)
			doc.save(ignore_permissions=True)

		return save

	def settings_snapshot(self):
		values = frappe.db.get_singles_dict(SETTINGS)
		bands = frappe.get_all(
			"Hospitality Approval Band", filters={"parent": SETTINGS}, fields=["up_to_amount"]
		)
		return {k: str(values.get(k)) for k in ("a_threshold", "b_threshold", "period_months")}, bands

	def profile(self, customer=ACME, **fields):
		return frappe.get_doc({"doctype": "Key Account Profile", "customer": customer, **fields})

	def saved_profile(self, **fields):
		def save():
			doc = frappe.get_doc("Key Account Profile", ACME)
			doc.update(fields)
			doc.save()

		return save

	def role(self, **fields):
		values = {"key_account": ACME, "contact": self.engineer, "buying_role": "User", **fields}
		return lambda: f.make_role(
			values.pop("key_account"), values.pop("contact"), values.pop("buying_role"), **values
		)

	def stage(self, name, **fields):
		def save():
			doc = frappe.get_doc("Relationship Stage", name)
			doc.update(fields)
			doc.save()

		return save

	def visit(self, **fields):
		return f.visit(
			**{
				"key_account": ACME,
				"talking_points": "Delivery schedule",
				"customer_views": "Satisfied",
				**fields,
			}
		)

	def request(self, amount=400, recipients=None, **fields):
		return frappe.get_doc(
			{
				"doctype": REQUEST,
				"key_account": ACME,
				"company": f.COMPANY,
				"request_type": "Meal",
				"planned_date": today(),
				"business_purpose": "Quarterly business review",
				"estimated_amount": amount,
				"recipients": [
					{"contact": contact, "amount": share}
					for contact, share in (recipients if recipients is not None else [(self.buyer, amount)])
				],
				**fields,
			}
		)

	def submitted_request(self, amount=400, **fields):
		frappe.set_user(MANAGER)
		doc = self.request(amount, **fields).insert()
		apply_workflow(doc.as_dict(), flow.ACTION_SUBMIT)
		frappe.set_user("Administrator")
		return doc.name

	def act(self, name, action):
		return lambda: apply_workflow(frappe.get_doc(REQUEST, name).as_dict(), action)

	def direct_save(self, name, **values):
		def save():
			doc = frappe.get_doc(REQUEST, name).as_dict()
			doc.update(values)
			client_save(frappe.as_json(doc))

		return save

	def trail(self, name):
		def snapshot():
			doc = frappe.get_doc(REQUEST, name)
			return doc.workflow_state, doc.rejection_reason, [(r.action, r.approver) for r in doc.approvals]

		return snapshot

	# Key Account Settings ------------------------------------------------------------------------------

	def test_settings_a_threshold_not_below_b(self):
		self.assertRefused(
			self.settings(a_threshold=95, b_threshold=80),
			"A Threshold (95.0%) must be lower than B Threshold (80.0%): A is the top of the Pareto curve.",
			self.settings_snapshot,
		)

	def test_settings_threshold_above_100(self):
		self.assertRefused(
			self.settings(a_threshold=80, b_threshold=120),
			"B Threshold (Cumulative %) must be above 0 and at most 100; it is 120.0.",
			self.settings_snapshot,
		)

	def test_settings_threshold_zero(self):
		self.assertRefused(
			self.settings(a_threshold=0, b_threshold=95),
			"A Threshold (Cumulative %) must be above 0 and at most 100; it is 0.0.",
			self.settings_snapshot,
		)

	def test_settings_period_zero(self):
		self.assertRefused(
			self.settings(period_months=0),
			"Period (Months) must be at least 1; it is 0.",
			self.settings_snapshot,
		)

	def test_settings_band_table_without_open_ended_band(self):
		"""A band table that cannot decide every amount is refused when the settings are saved, not later
		by every hospitality request."""
		self.assertRefused(
			self.settings(approval_bands=[{"up_to_amount": 200, "manager": 1}]),
			"The approval levels by amount cannot decide every amount: exactly one band must have no upper bound, found 0.",
			self.settings_snapshot,
		)

	# Key Account Profile -------------------------------------------------------------------------------

	def test_profile_duplicate(self):
		self.assertRefused(
			self.profile().insert,
			f"Customer {ACME} already has a Key Account Profile ({ACME}); open that profile instead of creating another.",
			self.count("Key Account Profile"),
			exc=frappe.DuplicateEntryError,
		)

	def test_profile_disabled_customer(self):
		customer = f.make_customer("KAM-Bad-Disabled")
		frappe.db.set_value("Customer", customer, "disabled", 1)
		self.assertRefused(
			self.profile(customer).insert,
			f"Customer {customer} is disabled; enable the customer before keeping a Key Account Profile for it.",
			self.count("Key Account Profile"),
		)

	def test_profile_override_without_reason(self):
		customer = f.make_customer("KAM-Bad-Override")
		self.assertRefused(
			self.profile(customer, override_class="A").insert,
			f"Override Reason is required when Override Class is set: say why {customer} should be class A.",
			self.count("Key Account Profile"),
		)

	def test_profile_team_member_twice(self):
		self.assertRefused(
			self.saved_profile(account_team=[{"user": TEAM}, {"user": DIRECTOR}, {"user": TEAM}]),
			f"Row 3: {TEAM} is already in the account team; list each person once.",
			lambda: frappe.get_all("Key Account Team Member", filters={"parent": ACME}, pluck="user"),
			user=MANAGER,
		)

	def test_profile_negative_spend(self):
		self.assertRefused(
			self.saved_profile(estimated_category_spend=-5),
			"Estimated Annual Category Spend cannot be negative (-5.0): enter the customer's yearly spend on the category, or leave it empty.",
			self.values("Key Account Profile", ACME, "estimated_category_spend", "share_of_wallet"),
			user=MANAGER,
		)

	def test_profile_spend_estimate_dated_in_the_future(self):
		tomorrow = add_days(today(), 1)
		self.assertRefused(
			self.saved_profile(estimated_category_spend=1000, spend_estimate_as_of=tomorrow),
			f"Estimate As Of cannot be in the future ({tomorrow}).",
			self.values("Key Account Profile", ACME, "estimated_category_spend", "spend_estimate_as_of"),
			user=MANAGER,
		)

	def test_profile_stage_skip_without_reason(self):
		frappe.db.set_value("Key Account Profile", ACME, "relationship_stage", "Incubation")
		self.assertRefused(
			self.saved_profile(relationship_stage="Middle", stage_change_reason=None),
			f"Moving {ACME} from Incubation to Middle skips Early: enter a Stage Change Reason saying why the account jumps stages.",
			self.values("Key Account Profile", ACME, "relationship_stage", "modified"),
			user=MANAGER,
		)

	def test_profile_of_another_managers_account(self):
		def edit():
			doc = frappe.get_doc("Key Account Profile", OTHER)
			doc.competitors = "x"
			doc.save()

		self.assertRefused(
			edit,
			"Insufficient Permission for Key Account Profile (write)",
			self.values("Key Account Profile", OTHER, "competitors", "modified"),
			exc=frappe.PermissionError,
			user=MANAGER,
		)

	# Buying Center Role --------------------------------------------------------------------------------

	def test_role_influence_out_of_range(self):
		self.assertRefused(
			self.role(influence=6),
			"Influence (1–5) must be from 1 to 5; it is 6.",
			self.count("Buying Center Role"),
		)

	def test_role_strength_out_of_range(self):
		self.assertRefused(
			self.role(relationship_strength=0),
			"Relationship Strength (1–5) must be from 1 to 5; it is 0.",
			self.count("Buying Center Role"),
		)

	def test_role_contact_of_another_customer(self):
		self.assertRefused(
			self.role(contact=self.stranger),
			f"Contact {self.stranger} belongs to customer {OTHER}, not to {ACME}. Pick a contact of {ACME}.",
			self.count("Buying Center Role"),
		)

	def test_role_contact_not_linked(self):
		self.assertRefused(
			self.role(contact=self.loose),
			f"Contact {self.loose} is not linked to customer {ACME}. Tick 'Link this contact to the customer' to link it, or pick a contact of {ACME}.",
			lambda: (
				frappe.db.count("Buying Center Role"),
				frappe.db.count("Dynamic Link", {"parent": self.loose}),
			),
		)

	def test_role_duplicate(self):
		self.assertRefused(
			self.role(contact=self.buyer, buying_role="Decision Maker"),
			f"Bad Buyer is already recorded as Decision Maker in this account ({self.decision_maker}); one record per person and role.",
			self.count("Buying Center Role"),
		)

	def test_role_reports_to_another_account(self):
		self.assertRefused(
			self.role(reports_to=self.other_role),
			f"Reports To {self.other_role} belongs to key account {OTHER}, not {ACME}; pick someone of the same account.",
			self.count("Buying Center Role"),
		)

	def test_role_reports_to_self(self):
		def save():
			doc = frappe.get_doc("Buying Center Role", self.decision_maker)
			doc.reports_to = doc.name
			doc.save()

		self.assertRefused(
			save,
			"A person cannot report to themselves; clear Reports To or pick their manager.",
			self.values("Buying Center Role", self.decision_maker, "reports_to", "modified"),
		)

	def test_role_reports_to_loop(self):
		engineer = f.make_role(ACME, self.engineer, "Technical Gatekeeper", reports_to=self.decision_maker)

		def save():
			doc = frappe.get_doc("Buying Center Role", self.decision_maker)
			doc.reports_to = engineer.name
			doc.save()

		self.assertRefused(
			save,
			f"Reports To {engineer.name} would close a loop in the reporting line; someone in it already reports to this person.",
			self.values("Buying Center Role", self.decision_maker, "reports_to", "modified"),
		)

	def test_role_on_another_managers_account(self):
		doc = frappe.get_doc(
			{
				"doctype": "Buying Center Role",
				"key_account": OTHER,
				"contact": self.stranger,
				"buying_role": "Influencer",
			}
		)
		self.assertRefused(
			doc.insert,
			"Insufficient Permission for Buying Center Role (create)",
			self.count("Buying Center Role"),
			exc=frappe.PermissionError,
			user=MANAGER,
		)

	# Relationship Stage --------------------------------------------------------------------------------

	def test_stage_overlap(self):
		self.assertRefused(
			self.stage("Early", sow_to=60),
			"The SoW ranges of the relationship stages must cover 0% upward exactly once:\n"
			"Early (30-60%) overlaps Middle (50-100%).",
			f.stage_ranges,
		)

	def test_stage_gap(self):
		self.assertRefused(
			self.stage("Early", sow_to=45),
			"The SoW ranges of the relationship stages must cover 0% upward exactly once:\n"
			"No stage covers SoW from 45% to 50%.",
			f.stage_ranges,
		)

	def test_stage_negative_range(self):
		self.assertRefused(
			self.stage("Incubation", sow_from=-5),
			"Share of Wallet From % cannot be negative (-5.0%).",
			f.stage_ranges,
		)

	def test_stage_from_not_below_to(self):
		self.assertRefused(
			self.stage("Middle", sow_from=100, sow_to=50),
			"The SoW ranges of the relationship stages must cover 0% upward exactly once:\n"
			"Stage Middle: SoW from (100%) must be lower than SoW to (50%).\n"
			"No stage covers SoW from 50% to 100%.",
			f.stage_ranges,
		)

	def test_stage_set_ranges_unknown_stage(self):
		from key_account_management.relationship.stages import set_stage_ranges

		self.assertRefused(
			lambda: set_stage_ranges({"Courtship": {"sow_to": 40}}),
			"Relationship Stage Courtship does not exist.",
			f.stage_ranges,
			exc=frappe.DoesNotExistError,
		)

	# Visit Record --------------------------------------------------------------------------------------

	def test_visit_completed_in_the_future(self):
		doc = self.visit(start=add_days(now_datetime(), 3)).insert()
		self.assertRefused(
			doc.submit,
			f"The visit is dated {frappe.format(doc.visit_date, 'Date')}, in the future: it can only be completed on or after that day.",
			self.values("Visit Record", doc.name, "docstatus", "status"),
		)

	def test_visit_ends_before_it_starts(self):
		doc = self.visit()
		doc.actual_end = add_days(doc.actual_start, -1)
		self.assertRefused(
			doc.insert,
			f"The visit ends ({frappe.format(doc.actual_end, 'Datetime')}) before it starts ({frappe.format(doc.actual_start, 'Datetime')}): correct Actual Start or Actual End.",
			self.count("Visit Record"),
		)

	def test_visit_planned_end_before_start(self):
		doc = self.visit()
		doc.planned_end = add_days(doc.planned_start, -1)
		self.assertRefused(
			doc.insert,
			f"Planned End ({frappe.format(doc.planned_end, 'Datetime')}) is before Planned Start ({frappe.format(doc.planned_start, 'Datetime')}): correct the planned times.",
			self.count("Visit Record"),
		)

	def test_visit_attendee_of_another_customer(self):
		self.assertRefused(
			self.visit(customer_attendees=[{"contact": self.stranger}]).insert,
			f"Row 1: contact {self.stranger} is not a contact of customer {ACME}; pick one of the customer's contacts.",
			self.count("Visit Record"),
		)

	def completed_visit(self):
		doc = self.visit().insert()
		doc.submit()
		return doc

	def test_visit_follow_up_before_the_visit(self):
		doc = self.completed_visit()
		day_before = add_days(doc.visit_date, -1)
		doc.follow_up_date = day_before
		self.assertRefused(
			doc.save,
			f"Followed Up On ({frappe.format(day_before, 'Date')}) is before the visit ({frappe.format(doc.visit_date, 'Date')}); enter the date the follow-up happened.",
			self.values("Visit Record", doc.name, "follow_up_date", "follow_up_status"),
		)

	def test_visit_follow_up_in_the_future(self):
		doc = self.completed_visit()
		doc.follow_up_date = add_days(today(), 2)
		self.assertRefused(
			doc.save,
			"Followed Up On cannot be in the future; record the follow-up once it happened.",
			self.values("Visit Record", doc.name, "follow_up_date", "follow_up_status"),
		)

	def test_visit_edited_after_submit(self):
		doc = self.completed_visit()
		doc.customer_views = "rewritten after the fact"
		self.assertRefused(
			doc.save,
			"Not allowed to change The Customer's Views after submission from Satisfied to rewritten after the fact",
			self.values("Visit Record", doc.name, "customer_views", "modified"),
			exc=frappe.UpdateAfterSubmitError,
		)

	def test_visit_on_another_managers_account(self):
		self.assertRefused(
			self.visit(key_account=OTHER).insert,
			"Insufficient Permission for Visit Record (create)",
			self.count("Visit Record"),
			exc=frappe.PermissionError,
			user=MANAGER,
		)

	# Hospitality Request -------------------------------------------------------------------------------

	def test_request_zero_amount(self):
		self.assertRefused(
			self.request(amount=0, recipients=[(self.buyer, 10)]).insert,
			"The estimated amount must be greater than zero.",
			self.count(REQUEST),
			user=MANAGER,
		)

	def test_request_shares_above_the_estimate(self):
		self.assertRefused(
			self.request(amount=100, recipients=[(self.buyer, 150)]).insert,
			"The recipient amounts add up to 150.00, more than the estimated amount 100.00.",
			self.count(REQUEST),
			user=MANAGER,
		)

	def test_request_recipient_of_another_customer(self):
		self.assertRefused(
			self.request(amount=100, recipients=[(self.stranger, 100)]).insert,
			# the other customer is not one of the manager's accounts: the message does not name it
			f"Row 1: recipient Bad Stranger is not a contact of customer {ACME}. Pick a contact of {ACME}, or link the contact to it first.",
			self.count(REQUEST),
			user=MANAGER,
		)

	def test_request_planned_in_the_past(self):
		self.assertRefused(
			self.request(planned_date=add_days(today(), -1)).insert,
			"The planned date cannot be in the past: hospitality is approved before the spend.",
			self.count(REQUEST),
			user=MANAGER,
		)

	def test_request_settled_before_approval(self):
		name = self.submitted_request()
		self.assertRefused(
			self.direct_save(name, actual_amount=380),
			"The actual amount and receipt are recorded after the event, once the request is approved; it is Pending Manager.",
			self.values(REQUEST, name, "actual_amount", "workflow_state", "modified"),
			user=MANAGER,
		)

	def approved_request(self, amount=400):
		name = self.submitted_request(amount)
		frappe.set_user(TEAM)
		self.act(name, flow.ACTION_APPROVE)()
		frappe.set_user("Administrator")
		return name

	def test_request_settlement_without_receipt(self):
		name = self.approved_request()

		def record_actual():
			doc = frappe.get_doc(REQUEST, name)
			doc.actual_amount = 430
			doc.save()

		self.assertRefused(
			record_actual,
			"A receipt is required for an actual amount above 100.00.",
			self.values(REQUEST, name, "actual_amount", "workflow_state", "modified"),
			user=MANAGER,
		)

	def test_request_self_approval(self):
		name = self.submitted_request()
		self.assertRefused(
			self.act(name, flow.ACTION_APPROVE),
			"Self approval is not allowed",
			self.trail(name),
			user=MANAGER,
		)
		self.assertRefused(
			self.direct_save(name, workflow_state=flow.APPROVED),
			"Not allowed: self-approval is not allowed: the requester cannot approve their own request.",
			self.trail(name),
			exc=HospitalityApprovalError,
			user=MANAGER,
		)

	def test_request_level_skipped(self):
		name = self.submitted_request(amount=3000, request_type="Reception/Site Visit")
		self.assertRefused(
			self.direct_save(name, workflow_state=flow.APPROVED),
			"Levels cannot be skipped: after Manager approval the request goes to Pending Director, not Approved (levels: Manager, Director).",
			self.trail(name),
			exc=HospitalityApprovalError,
			user=DIRECTOR,
		)

	def test_request_approved_by_the_wrong_role(self):
		name = self.submitted_request()
		self.assertRefused(
			self.direct_save(name, workflow_state=flow.APPROVED),
			f"{FINANCE} cannot approve at Manager level: it belongs to the requester's superior (the user of the Employee {MANAGER} reports to in ERPNext, or higher up that line) or a Key Account Director, never to a colleague of the requester.",
			self.trail(name),
			exc=HospitalityApprovalError,
			user=FINANCE,
		)

	def test_request_rejected_without_reason(self):
		name = self.submitted_request()
		self.assertRefused(
			self.act(name, flow.ACTION_REJECT),
			"Write the reason in 'Reason (Reject / Send Back)' before you reject the request.",
			self.trail(name),
			user=TEAM,
		)

	def test_request_sent_back_without_reason(self):
		name = self.submitted_request()
		self.assertRefused(
			self.act(name, flow.ACTION_SEND_BACK),
			"Write the reason in 'Reason (Reject / Send Back)' before you send back the request.",
			self.trail(name),
			user=TEAM,
		)

	def test_request_blank_rejection_reason(self):
		name = self.submitted_request()
		self.assertRefused(
			lambda: set_rejection_reason(name, "   "),
			"Write the reason for rejecting or sending back the request.",
			self.trail(name),
			user=TEAM,
		)

	def test_request_values_changed_after_submission(self):
		name = self.submitted_request()
		self.assertRefused(
			self.direct_save(name, estimated_amount=900),
			"Estimated Amount cannot be changed once the request is Pending Manager: the approvers approved these values. Ask the approver to send it back to Draft to change it.",
			self.values(REQUEST, name, "estimated_amount", "modified"),
			user=MANAGER,
		)

	def test_request_submitted_cannot_be_deleted(self):
		name = self.submitted_request()
		self.assertRefused(
			lambda: frappe.delete_doc(REQUEST, name),
			f"Request {name} is Pending Manager: only a draft can be deleted; submitted requests stay as the audit trail.",
			self.count(REQUEST),
		)

	# whitelisted APIs ----------------------------------------------------------------------------------

	def classes(self):
		return (
			frappe.get_all("Customer", fields=["name", "kam_abc_class"], order_by="name"),
			frappe.db.get_single_value(SETTINGS, "last_run_on"),
			frappe.db.count("Key Account Class History"),
		)

	def test_api_reclassify_as_manager(self):
		from key_account_management.classification.api import reclassify_customers

		self.assertRefused(
			lambda: reclassify_customers(company=f.COMPANY, now=True),
			"Only a Key Account Director or System Manager may reclassify customers.",
			self.classes,
			exc=frappe.PermissionError,
			user=MANAGER,
		)

	def test_api_reclassify_unknown_company(self):
		from key_account_management.classification.api import reclassify_customers

		self.assertRefused(
			lambda: reclassify_customers(company="No Such Co", now=True),
			"Company No Such Co does not exist.",
			self.classes,
			exc=frappe.DoesNotExistError,
			user=DIRECTOR,
		)

	def test_api_reclassify_company_not_a_name(self):
		from key_account_management.classification.api import reclassify_customers

		self.assertRefused(
			lambda: reclassify_customers(company=["KAM Test Company"], now=True),
			"company must be the name of a Company.",
			self.classes,
			user=DIRECTOR,
		)

	def test_api_limit_preview_not_a_document(self):
		self.assertRefused(
			lambda: get_limit_preview(doc="[1, 2]"),
			"The request must be a document (a JSON object).",
			self.count(REQUEST),
			user=MANAGER,
		)

	def test_api_rejection_reason_of_unknown_request(self):
		self.assertRefused(
			lambda: set_rejection_reason("HOSP-NOPE", "No"),
			"Hospitality Request HOSP-NOPE does not exist.",
			self.count(REQUEST),
			exc=frappe.DoesNotExistError,
			user=TEAM,
		)

	def test_api_hospitality_spend_dates_swapped(self):
		from key_account_management.key_account_management.report.hospitality_spend.hospitality_spend import (
			execute,
		)

		self.assertRefused(
			lambda: execute({"company": f.COMPANY, "from_date": "2026-03-01", "to_date": "2026-01-31"}),
			f"From Date {frappe.format('2026-03-01', {'fieldtype': 'Date'})} is after To Date "
			f"{frappe.format('2026-01-31', {'fieldtype': 'Date'})}; swap them.",
			self.count(REQUEST),
			user=DIRECTOR,
		)
