# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""Hospitality requests on a real site: the shipped workflow for each role, approval integrity through the
API (apply_workflow and direct saves), limits and budget from real approved requests and real gross
profit, settlement and re-approval, bad input, the form's preview and the print format."""

import re

import frappe
from frappe.client import save as client_save
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields
from frappe.model.workflow import WorkflowTransitionError, apply_workflow, get_transitions
from frappe.utils import add_days, flt, today
from frappe.utils.pdf import get_pdf

from key_account_management.core import hospitality_flow as flow
from key_account_management.hospitality.api import get_limit_preview, set_rejection_reason
from key_account_management.hospitality.policy import (
	get_account_budget,
	get_account_budgets,
	get_custom_fields,
	get_policy,
	get_trailing_gross_profit,
	get_year_to_date,
)
from key_account_management.hospitality.workflow import WORKFLOW_NAME, setup_workflow
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

test_ignore = ["Customer", "Contact", "User", "Key Account Profile", "Company", "Currency", "Workflow State"]

DOCTYPE = "Hospitality Request"
ACME, OTHER = "KAM-HOSP-Acme", "KAM-HOSP-Other"
REQUESTER = "hosp.requester@example.com"  # Key Account Manager, account manager of Acme
# Key Account Manager on Acme's team, and the requester's superior in ERPNext's org chart
TEAM_MANAGER = "hosp.team@example.com"
PEER = "hosp.peer@example.com"  # Key Account Manager on Acme's team, a colleague of the requester
HEAD = "hosp.head@example.com"  # Key Account Manager, not on Acme's team; TEAM_MANAGER reports to them
OUTSIDER = "hosp.outsider@example.com"  # Key Account Manager, not on Acme's team
DIRECTOR = "hosp.director@example.com"
DIRECTOR_2 = "hosp.director2@example.com"
FINANCE = "hosp.finance@example.com"
MANAGER_DIRECTOR = "hosp.both@example.com"  # Key Account Manager and Director, on Acme's team
STOCK_ITEM = "KAM-HOSP-STOCK"


def configure(**values):
	settings = frappe.get_single("Key Account Settings")
	settings.company = f.COMPANY
	settings.period_months = 12
	settings.set("approval_bands", [])
	settings.set(
		"event_limits",
		[
			{"request_type": "Meal", "per_recipient_amount": 600},
			{"request_type": "Gift", "per_recipient_amount": 200},
		],
	)
	settings.per_recipient_per_year = 4000
	settings.account_budget_amount = 0
	settings.account_budget_percent = 0
	settings.reapproval_tolerance_percent = 10
	settings.receipt_required_above = 100
	settings.update(values)
	settings.save(ignore_permissions=True)


class HospitalityTestCase(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		# DDL first: it commits, and both are meant to stay (install/migrate ship them)
		create_custom_fields(get_custom_fields(), ignore_validate=True)
		setup_workflow()
		f.make_user(REQUESTER, "Key Account Manager")
		f.make_user(TEAM_MANAGER, "Key Account Manager")
		f.make_user(OUTSIDER, "Key Account Manager")
		f.make_user(DIRECTOR, "Key Account Director")
		f.make_user(DIRECTOR_2, "Key Account Director")
		f.make_user(FINANCE, "Hospitality Approver")
		f.make_user(MANAGER_DIRECTOR, "Key Account Manager", "Key Account Director")
		f.make_user(PEER, "Key Account Manager")
		f.make_user(HEAD, "Key Account Manager")
		# the approval line: HEAD ← TEAM_MANAGER ← REQUESTER and MANAGER_DIRECTOR
		f.make_employee(HEAD)
		f.make_employee(TEAM_MANAGER, reports_to=HEAD)
		f.make_employee(REQUESTER, reports_to=TEAM_MANAGER)
		f.make_employee(MANAGER_DIRECTOR, reports_to=TEAM_MANAGER)
		f.make_employee(PEER, reports_to=TEAM_MANAGER)
		for customer in (ACME, OTHER):
			f.make_customer(customer)
		f.make_profile(
			ACME,
			account_manager=REQUESTER,
			account_team=[
				{"user": TEAM_MANAGER, "team_role": "Sales"},
				{"user": MANAGER_DIRECTOR, "team_role": "Executive Sponsor"},
				{"user": PEER, "team_role": "Pre-sales / Technical"},
			],
		)
		f.make_profile(OTHER, account_manager=OUTSIDER)
		cls.buyer = f.make_contact("Hosp Buyer", ACME, "Purchasing Manager")
		cls.engineer = f.make_contact("Hosp Engineer", ACME, "Chief Engineer")
		cls.official = f.make_contact("Hosp Official", ACME, "Bureau Director")
		frappe.db.set_value("Contact", cls.official, "kam_is_official", 1)
		cls.foreign = f.make_contact("Hosp Foreign", OTHER)
		f.make_role(ACME, cls.buyer, "Purchaser")
		f.make_role(ACME, cls.official, "Decision Maker")
		configure()

	def tearDown(self):
		super().tearDown()
		# the rollback does not reach the document cache
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")

	# helpers -------------------------------------------------------------------------------------------

	def new_request(self, amount=400, recipients=None, request_type="Meal", user=REQUESTER, **fields):
		frappe.set_user(user)
		doc = frappe.get_doc(
			{
				"doctype": DOCTYPE,
				"key_account": ACME,
				"company": f.COMPANY,
				"request_type": request_type,
				"planned_date": today(),
				"business_purpose": "Quarterly business review with the plant's management",
				"estimated_amount": amount,
				"recipients": [
					{"contact": contact, "amount": share}
					for contact, share in (recipients if recipients is not None else [(self.buyer, amount)])
				],
				**fields,
			}
		)
		doc.insert()
		return doc

	def act(self, name, action, user):
		"""apply_workflow as the desk calls it: the doc as a dict, by the given user."""
		frappe.set_user(user)
		return apply_workflow(frappe.get_doc(DOCTYPE, name).as_dict(), action)

	def direct_save(self, name, user, **values):
		"""frappe.client.save, the REST path that bypasses apply_workflow."""
		frappe.set_user(user)
		doc = frappe.get_doc(DOCTYPE, name).as_dict()
		doc.update(values)
		return client_save(frappe.as_json(doc))

	def state(self, name):
		return frappe.db.get_value(DOCTYPE, name, "workflow_state")

	def assertRefused(self, fn, *args, contains=None, exc=frappe.ValidationError, **kwargs):
		frappe.clear_messages()
		with self.assertRaises(exc) as caught:
			fn(*args, **kwargs)
		if contains:
			message = str(caught.exception) + " ".join(str(m) for m in frappe.get_message_log())
			self.assertIn(contains.casefold(), message.casefold())
		frappe.set_user("Administrator")
		return caught.exception

	def submitted(self, **kwargs):
		doc = self.new_request(**kwargs)
		self.act(doc.name, flow.ACTION_SUBMIT, doc.requested_by)
		return doc.name

	def approved(self, **kwargs):
		name = self.submitted(**kwargs)
		for approver in (TEAM_MANAGER, DIRECTOR, FINANCE):
			state = self.state(name)
			if state == flow.APPROVED:
				break
			self.act(name, flow.ACTION_APPROVE, approver)
		self.assertEqual(self.state(name), flow.APPROVED)
		return name

	def attach_receipt(self, name):
		frappe.set_user("Administrator")
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"receipt-{frappe.generate_hash(length=6)}.txt",
				"content": "restaurant receipt",
				"attached_to_doctype": DOCTYPE,
				"attached_to_name": name,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		return file.file_url


class TestHospitalityWorkflow(HospitalityTestCase):
	def test_workflow_is_shipped_and_idempotent(self):
		self.assertEqual(setup_workflow(), WORKFLOW_NAME)
		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		self.assertEqual(workflow.document_type, DOCTYPE)
		self.assertTrue(workflow.is_active)
		states = {row.state for row in workflow.states}
		self.assertEqual(
			states,
			{
				"Draft",
				"Pending Manager",
				"Pending Director",
				"Pending Finance",
				"Approved",
				"Rejected",
				"Settled",
			},
		)
		self.assertEqual(
			{row.action for row in workflow.transitions},
			{"Submit for Approval", "Approve", "Reject", "Send Back", "Settle"},
		)
		for state in states:
			self.assertTrue(frappe.db.exists("Workflow State", state))
		# only Finance approves at Finance level, only Directors at Director level
		finance = {t.allowed for t in workflow.transitions if t.state == "Pending Finance"}
		director = {t.allowed for t in workflow.transitions if t.state == "Pending Director"}
		self.assertEqual(finance, {"Hospitality Approver"})
		self.assertEqual(director, {"Key Account Director"})
		self.assertEqual(frappe.db.count("Workflow", {"name": WORKFLOW_NAME}), 1)
		# a tampered workflow is put back: no self-approval on an Approve transition
		row = next(t for t in workflow.transitions if t.action == "Approve")
		row.allow_self_approval = 1
		workflow.save(ignore_permissions=True)
		setup_workflow()
		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		self.assertFalse(any(t.allow_self_approval for t in workflow.transitions if t.action == "Approve"))

	def test_small_amount_needs_the_manager_only(self):
		doc = self.new_request(amount=400)
		self.assertEqual(doc.workflow_state, "Draft")
		self.assertEqual(doc.requested_by, REQUESTER)
		self.assertEqual(doc.approval_route, "Manager")
		self.assertEqual(doc.next_approval_state, "Pending Manager")
		self.assertEqual(doc.company_currency, "USD")
		self.assertEqual(doc.currency, "USD")

		# only the requester submits
		self.assertRefused(
			self.act, doc.name, flow.ACTION_SUBMIT, TEAM_MANAGER, contains="Only the requester"
		)
		self.act(doc.name, flow.ACTION_SUBMIT, REQUESTER)
		self.assertEqual(self.state(doc.name), "Pending Manager")
		# what each role is offered in the desk
		frappe.set_user(TEAM_MANAGER)
		actions = {t.action for t in get_transitions(frappe.get_doc(DOCTYPE, doc.name))}
		self.assertEqual(actions, {"Approve", "Reject", "Send Back"})
		frappe.set_user(FINANCE)
		self.assertEqual(get_transitions(frappe.get_doc(DOCTYPE, doc.name)), [])

		self.act(doc.name, flow.ACTION_APPROVE, TEAM_MANAGER)
		doc = frappe.get_doc(DOCTYPE, doc.name)
		self.assertEqual(doc.workflow_state, "Approved")
		self.assertEqual(flt(doc.approved_amount), 400)
		self.assertEqual(
			[(r.level, r.action, r.approver) for r in doc.approvals],
			[("", "Submitted", REQUESTER), ("Manager", "Approved", TEAM_MANAGER)],
		)
		self.assertTrue(all(r.approved_on for r in doc.approvals))

	def test_pending_my_approval_card(self):
		from key_account_management.hospitality.cards import hospitality_pending_my_approval

		name = self.submitted(amount=400, user=REQUESTER)
		self.assertEqual(self.state(name), "Pending Manager")
		# Acme's team and the directors may approve it; not its requester, not a manager of another account
		for user, sees in (
			(TEAM_MANAGER, True),
			(HEAD, True),
			(MANAGER_DIRECTOR, True),
			(DIRECTOR, True),
			(PEER, False),
			(REQUESTER, False),
			(OUTSIDER, False),
			(FINANCE, False),
		):
			frappe.set_user(user)
			self.assertEqual(
				name in hospitality_pending_my_approval()["route_options"]["name"][1], sees, user
			)

	def test_the_requester_can_never_approve(self):
		name = self.submitted(amount=400, user=REQUESTER)
		# the desk path: Frappe refuses the owner...
		self.assertRefused(self.act, name, flow.ACTION_APPROVE, REQUESTER)
		# ...and the direct save, which Frappe's owner check does not cover, is refused by the controller
		self.assertRefused(
			self.direct_save, name, REQUESTER, workflow_state="Approved", contains="self-approval"
		)
		self.assertEqual(self.state(name), "Pending Manager")

		# a requester who is also a Director: the Manager level is below them and skipped, the Director
		# level belongs to their superior, never to themselves (issue 26)
		name = self.new_request(amount=3000, request_type="Reception/Site Visit", user=MANAGER_DIRECTOR).name
		# nobody above them holds Key Account Director: submitting is refused, saying what to set up
		self.assertRefused(self.act, name, flow.ACTION_SUBMIT, MANAGER_DIRECTOR, contains="Reports To")
		f.make_employee(DIRECTOR)
		f.make_employee(MANAGER_DIRECTOR, reports_to=DIRECTOR)
		self.act(name, flow.ACTION_SUBMIT, MANAGER_DIRECTOR)
		self.assertEqual(self.state(name), "Pending Director")
		self.assertEqual(
			[(r.level, r.action) for r in frappe.get_doc(DOCTYPE, name).approvals],
			[("", "Submitted"), ("Manager", "Skipped")],
		)
		self.assertRefused(self.act, name, flow.ACTION_APPROVE, MANAGER_DIRECTOR)
		self.assertRefused(
			self.direct_save, name, MANAGER_DIRECTOR, workflow_state="Approved", contains="self-approval"
		)
		frappe.set_user(MANAGER_DIRECTOR)
		self.assertRefused(set_rejection_reason, name, "my own", contains="self-approval")
		self.assertEqual(self.state(name), "Pending Director")

	def test_levels_cannot_be_skipped_or_added(self):
		# 3,000 with no limit broken: Manager and Director
		name = self.submitted(
			amount=3000,
			request_type="Reception/Site Visit",
			recipients=[(self.buyer, 1500), (self.engineer, 1500)],
		)
		self.assertEqual(frappe.db.get_value(DOCTYPE, name, "approval_route"), "Manager, Director")
		# a Director may not jump from Pending Manager straight to Approved, nor bring in Finance
		self.assertRefused(self.direct_save, name, DIRECTOR, workflow_state="Approved", contains="skipped")
		self.assertRefused(
			self.direct_save, name, DIRECTOR, workflow_state="Pending Finance", contains="not required"
		)
		# Finance holds no role for the Manager level: no action in the desk, refused through the API
		self.assertRefused(self.act, name, flow.ACTION_APPROVE, FINANCE, exc=WorkflowTransitionError)
		self.assertRefused(
			self.direct_save, name, FINANCE, workflow_state="Pending Director", contains="Manager level"
		)
		# a Key Account Manager outside the account's team cannot approve it: row-level access
		# keeps them from even reading it
		self.assertRefused(self.act, name, flow.ACTION_APPROVE, OUTSIDER, exc=frappe.PermissionError)
		self.assertEqual(self.state(name), "Pending Manager")

		# a Director may approve the Manager level, but then not the Director level too
		self.act(name, flow.ACTION_APPROVE, DIRECTOR)
		self.assertEqual(self.state(name), "Pending Director")
		self.assertRefused(self.act, name, flow.ACTION_APPROVE, DIRECTOR, contains="two levels")
		# a Key Account Manager holds no Director role
		self.assertRefused(self.direct_save, name, TEAM_MANAGER, workflow_state="Approved")
		self.act(name, flow.ACTION_APPROVE, DIRECTOR_2)
		self.assertEqual(self.state(name), "Approved")
		# nothing is left to approve; a new request cannot be created approved
		self.assertRefused(self.direct_save, name, FINANCE, workflow_state="Pending Finance")
		self.assertRefused(self.new_request, workflow_state="Approved", contains="Draft")
		self.assertRefused(self.new_request, workflow_state="Pending Manager", contains="Draft")

	def test_official_recipient_needs_director_and_finance_even_when_small(self):
		name = self.submitted(amount=100, request_type="Gift", recipients=[(self.official, 100)])
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertTrue(doc.any_official)
		self.assertEqual(doc.recipients[0].is_official, 1)
		self.assertEqual(doc.recipients[0].buying_role, "Decision Maker")
		self.assertEqual(doc.approval_route, "Manager, Director, Finance")
		self.act(name, flow.ACTION_APPROVE, TEAM_MANAGER)
		self.assertEqual(self.state(name), "Pending Director")
		self.assertRefused(self.act, name, flow.ACTION_APPROVE, FINANCE, exc=WorkflowTransitionError)
		self.assertRefused(
			self.direct_save, name, FINANCE, workflow_state="Approved", contains="Director level"
		)
		self.act(name, flow.ACTION_APPROVE, DIRECTOR)
		self.assertEqual(self.state(name), "Pending Finance")
		self.assertRefused(self.act, name, flow.ACTION_APPROVE, DIRECTOR_2, exc=WorkflowTransitionError)
		self.assertRefused(
			self.direct_save, name, DIRECTOR_2, workflow_state="Approved", contains="Finance level"
		)
		self.act(name, flow.ACTION_APPROVE, FINANCE)
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual(doc.workflow_state, "Approved")
		self.assertEqual(
			[(r.level, r.approver) for r in doc.approvals if r.action == "Approved"],
			[("Manager", TEAM_MANAGER), ("Director", DIRECTOR), ("Finance", FINANCE)],
		)

	def test_custom_bands_decide_the_levels(self):
		configure(
			approval_bands=[
				{"up_to_amount": 200, "manager": 1},
				{"up_to_amount": 0, "manager": 1, "director": 1, "finance": 1},
			]
		)
		self.assertEqual(self.new_request(amount=150).approval_route, "Manager")
		self.assertEqual(self.new_request(amount=250).approval_route, "Manager, Director, Finance")
		frappe.set_user("Administrator")
		# a table without an open-ended band is refused by the settings themselves
		self.assertRefused(
			configure,
			approval_bands=[{"up_to_amount": 200, "manager": 1}],
			contains="cannot decide every amount",
		)

	def test_rejection_and_send_back_need_a_reason(self):
		name = self.submitted(amount=400)
		self.assertRefused(self.act, name, flow.ACTION_REJECT, TEAM_MANAGER, contains="reason")
		self.assertRefused(self.act, name, flow.ACTION_SEND_BACK, TEAM_MANAGER, contains="reason")
		# the requester cannot write the rejection of their own request, nor an outsider
		frappe.set_user(REQUESTER)
		self.assertRefused(set_rejection_reason, name, "I reject", contains="self-approval")
		frappe.set_user(OUTSIDER)
		self.assertRefused(set_rejection_reason, name, "No", exc=frappe.PermissionError)
		frappe.set_user(FINANCE)
		self.assertRefused(set_rejection_reason, name, "No", contains="Manager level")
		frappe.set_user(TEAM_MANAGER)
		self.assertRefused(set_rejection_reason, name, "   ")

		# send back: the requester revises and resubmits, a new approval round starts
		frappe.set_user(TEAM_MANAGER)
		set_rejection_reason(name, "Add the engineer and lower the amount")
		self.act(name, flow.ACTION_SEND_BACK, TEAM_MANAGER)
		self.assertEqual(self.state(name), "Draft")
		frappe.set_user(REQUESTER)
		doc = frappe.get_doc(DOCTYPE, name)
		doc.estimated_amount = 350
		doc.recipients[0].amount = 200
		doc.append("recipients", {"contact": self.engineer, "amount": 150})
		doc.save()
		self.act(name, flow.ACTION_SUBMIT, REQUESTER)
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual(doc.approval_round, 2)
		self.assertFalse(doc.rejection_reason)

		# rejection with a reason written in the same save (the API path)
		self.direct_save(name, TEAM_MANAGER, workflow_state="Rejected", rejection_reason="Budget freeze")
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual(doc.workflow_state, "Rejected")
		self.assertEqual(
			[(r.action, r.comment) for r in doc.approvals if r.action in ("Sent Back", "Rejected")],
			[("Sent Back", "Add the engineer and lower the amount"), ("Rejected", "Budget freeze")],
		)
		# rejected is final
		self.assertRefused(self.direct_save, name, REQUESTER, workflow_state="Draft")

	def test_approved_values_are_locked_and_the_trail_cannot_be_forged(self):
		name = self.submitted(amount=400)
		self.assertRefused(
			self.direct_save, name, REQUESTER, estimated_amount=900, contains="Estimated Amount"
		)
		frappe.set_user(REQUESTER)
		doc = frappe.get_doc(DOCTYPE, name)
		doc.recipients[0].amount = 100
		self.assertRefused(doc.save, contains="Recipients")
		# a forged approval row is discarded: the trail comes from the database
		frappe.set_user(TEAM_MANAGER)
		doc = frappe.get_doc(DOCTYPE, name).as_dict()
		doc["approvals"].append(
			{"level": "Manager", "action": "Approved", "approver": DIRECTOR, "approval_round": 1}
		)
		doc["approval_route"] = ""
		client_save(frappe.as_json(doc))
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual([r.action for r in doc.approvals], ["Submitted"])
		self.assertEqual(doc.approval_route, "Manager")

		self.act(name, flow.ACTION_APPROVE, TEAM_MANAGER)
		self.assertRefused(self.direct_save, name, REQUESTER, estimated_amount=900, contains="Approved")
		self.assertRefused(self.direct_save, name, REQUESTER, planned_date=add_days(today(), 5))
		# changing values together with a workflow action is refused too
		self.assertRefused(
			self.direct_save, name, REQUESTER, workflow_state="Settled", actual_amount=400, contains="first"
		)
		# only drafts can be deleted
		self.assertRefused(frappe.delete_doc, DOCTYPE, name, contains="draft")
		draft = self.new_request(amount=50)
		frappe.set_user("Administrator")
		frappe.delete_doc(DOCTYPE, draft.name)
		self.assertFalse(frappe.db.exists(DOCTYPE, draft.name))


class TestHospitalityBadInput(HospitalityTestCase):
	def assertNotSaved(self, contains, **kwargs):
		before = frappe.db.count(DOCTYPE)
		self.assertRefused(self.new_request, contains=contains, **kwargs)
		self.assertEqual(frappe.db.count(DOCTYPE), before)

	def test_amounts_must_be_positive(self):
		self.assertNotSaved("greater than zero", amount=0, recipients=[(self.buyer, 10)])
		self.assertNotSaved("greater than zero", amount=-50, recipients=[(self.buyer, 10)])
		self.assertNotSaved("greater than zero", amount=100, recipients=[(self.buyer, 0)])
		self.assertNotSaved("more than the estimated", amount=100, recipients=[(self.buyer, 150)])
		self.assertNotSaved("more than once", amount=100, recipients=[(self.buyer, 50), (self.buyer, 50)])
		self.assertNotSaved("At least one recipient", amount=100, recipients=[])

	def test_recipient_of_another_customer(self):
		self.assertNotSaved("not a contact of customer", recipients=[(self.foreign, 100)], amount=100)

	def test_planned_date_in_the_past(self):
		self.assertNotSaved("past", planned_date=add_days(today(), -1))

	def test_settlement_before_approval(self):
		self.assertNotSaved("after the event", actual_amount=100)
		name = self.submitted(amount=400)
		self.assertRefused(self.direct_save, name, REQUESTER, actual_amount=380, contains="after the event")
		self.assertRefused(self.direct_save, name, REQUESTER, workflow_state="Settled")
		self.assertFalse(frappe.db.get_value(DOCTYPE, name, "actual_amount"))

	def test_limit_breach_needs_justification_and_the_top_level(self):
		doc = self.new_request(amount=700)  # Meal limit: 600 per recipient per event
		self.assertTrue(doc.breaks_limit)
		self.assertEqual(doc.approval_route, "Manager, Director, Finance")
		exceeded = [row for row in doc.limit_checks if row.exceeded]
		self.assertEqual(
			[(r.limit_type, flt(r.limit_amount), flt(r.after_request)) for r in exceeded],
			[("Per recipient per event", 600, 700)],
		)
		self.assertRefused(self.act, doc.name, flow.ACTION_SUBMIT, REQUESTER, contains="justification")
		self.assertEqual(self.state(doc.name), "Draft")
		frappe.set_user(REQUESTER)
		doc.reload()
		doc.justification = "Annual customer day: the plant director's team of engineers is hosted together."
		doc.save()
		self.act(doc.name, flow.ACTION_SUBMIT, REQUESTER)
		for approver, state in (
			(TEAM_MANAGER, "Pending Director"),
			(DIRECTOR, "Pending Finance"),
			(FINANCE, "Approved"),
		):
			self.act(doc.name, flow.ACTION_APPROVE, approver)
			self.assertEqual(self.state(doc.name), state)
		trail = frappe.get_doc(DOCTYPE, doc.name).approvals
		self.assertIn("Annual customer day", trail[0].comment)


class TestHospitalityLimits(HospitalityTestCase):
	def test_year_to_date_counts_approved_and_settled_only(self):
		configure(per_recipient_per_year=3000, account_budget_amount=5000)
		approved = self.approved(amount=2000, request_type="Reception/Site Visit")
		# neither a draft, a pending nor a rejected request counts
		self.new_request(amount=900, request_type="Reception/Site Visit")
		self.submitted(amount=800, request_type="Reception/Site Visit")
		rejected = self.submitted(amount=700, request_type="Reception/Site Visit")
		self.direct_save(rejected, TEAM_MANAGER, workflow_state="Rejected", rejection_reason="No")

		ytd, account = get_year_to_date([self.buyer, self.engineer], ACME, int(today()[:4]))
		self.assertEqual(ytd, {self.buyer: 2000})
		self.assertEqual(account, 2000)

		doc = self.new_request(
			amount=1500,
			request_type="Reception/Site Visit",
			recipients=[(self.buyer, 1200), (self.engineer, 300)],
		)
		checks = {(r.limit_type, r.contact or "Account"): r for r in doc.limit_checks}
		buyer = checks[("Per recipient per year", self.buyer)]
		self.assertEqual(
			(flt(buyer.year_to_date), flt(buyer.this_request), flt(buyer.after_request)), (2000, 1200, 3200)
		)
		self.assertTrue(buyer.exceeded)
		self.assertEqual(flt(buyer.remaining), -200)
		self.assertFalse(checks[("Per recipient per year", self.engineer)].exceeded)
		budget = checks[("Account budget", "Account")]
		self.assertEqual((flt(budget.year_to_date), flt(budget.after_request)), (2000, 3500))
		self.assertFalse(budget.exceeded)
		self.assertTrue(doc.breaks_limit)
		self.assertEqual(doc.approval_route, "Manager, Director, Finance")

		# settled requests count with their actual amount
		frappe.set_user(REQUESTER)
		request = frappe.get_doc(DOCTYPE, approved)
		request.actual_amount = 2100
		request.receipt = self.attach_receipt(approved)
		frappe.set_user(REQUESTER)
		request.save()
		self.act(approved, flow.ACTION_SETTLE, REQUESTER)
		self.assertEqual(self.state(approved), "Settled")
		ytd, account = get_year_to_date([self.buyer], ACME, int(today()[:4]))
		self.assertEqual((flt(ytd[self.buyer]), flt(account)), (2100, 2100))
		# another year, another budget
		self.assertEqual(get_year_to_date([self.buyer], ACME, int(today()[:4]) + 1), ({}, 0))

	def test_fixed_account_budget(self):
		configure(account_budget_amount=2500, per_recipient_per_year=0)
		self.approved(amount=2000, request_type="Reception/Site Visit", recipients=[(self.buyer, 2000)])
		doc = self.new_request(
			amount=600, request_type="Reception/Site Visit", recipients=[(self.engineer, 600)]
		)
		budget = next(r for r in doc.limit_checks if r.limit_type == "Account budget")
		self.assertEqual(
			(flt(budget.limit_amount), flt(budget.year_to_date), flt(budget.after_request)),
			(2500, 2000, 2600),
		)
		self.assertTrue(budget.exceeded)
		self.assertFalse(any(r.limit_type == "Per recipient per year" for r in doc.limit_checks))

	def test_budget_from_the_accounts_real_gross_profit(self):
		f.make_item(STOCK_ITEM)
		f.receive_stock(STOCK_ITEM, 20, 60, f.days_ago(40))
		f.sell(ACME, [(STOCK_ITEM, 10, 100)], f.days_ago(30))  # gross profit 10 × (100 - 60) = 400
		gross_profit = get_trailing_gross_profit(ACME, f.COMPANY, months=12)
		self.assertAlmostEqual(gross_profit, 400, places=2)

		configure(account_budget_percent=50, per_recipient_per_year=0)  # budget: 200
		first = self.new_request(amount=150)
		budget = next(r for r in first.limit_checks if r.limit_type == "Account budget")
		self.assertAlmostEqual(flt(budget.limit_amount), 200, places=2)
		self.assertFalse(first.breaks_limit)
		self.act(first.name, flow.ACTION_SUBMIT, REQUESTER)
		self.act(first.name, flow.ACTION_APPROVE, TEAM_MANAGER)

		second = self.new_request(amount=100, recipients=[(self.engineer, 100)])
		budget = next(r for r in second.limit_checks if r.limit_type == "Account budget")
		self.assertEqual((flt(budget.year_to_date), flt(budget.after_request)), (150, 250))
		self.assertTrue(budget.exceeded)
		self.assertEqual(second.approval_route, "Manager, Director, Finance")

		# an account that earns nothing gets no budget
		frappe.set_user("Administrator")
		f.make_profile(OTHER)
		self.assertEqual(get_account_budget(OTHER, f.COMPANY, get_policy())[0], 0)
		# the workspace card reads the budgets of many accounts at once, to the same figures
		policy = get_policy()
		accounts = {(ACME, f.COMPANY), (OTHER, f.COMPANY), (None, f.COMPANY)}
		self.assertEqual(
			get_account_budgets(accounts, policy),
			{account: get_account_budget(*account, policy)[0] for account in accounts},
		)

	def test_limit_preview_for_the_form(self):
		frappe.set_user(REQUESTER)
		preview = get_limit_preview(
			doc=frappe.as_json(
				{
					"key_account": ACME,
					"request_type": "Gift",
					"planned_date": today(),
					"estimated_amount": 250,
					"recipients": [{"contact": self.official, "amount": 250}],
				}
			)
		)
		self.assertTrue(preview["any_official"])
		self.assertTrue(preview["breaks_limit"])
		self.assertEqual(preview["route"], ["Manager", "Director", "Finance"])
		event = next(c for c in preview["checks"] if c["limit_type"] == "Per recipient per event")
		self.assertEqual((event["limit_amount"], event["after_request"], event["exceeded"]), (200, 250, 1))
		self.assertEqual(event["scope"], "Hosp Official")
		self.assertFalse(frappe.db.exists(DOCTYPE, {"estimated_amount": 250}))

		doc = self.new_request(amount=100)
		frappe.set_user(DIRECTOR)
		self.assertEqual(get_limit_preview(name=doc.name)["route"], ["Manager"])
		frappe.set_user("Guest")
		self.assertRefused(get_limit_preview, name=doc.name, exc=frappe.PermissionError)
		self.assertRefused(get_limit_preview, doc="[1, 2]")


class TestHospitalitySettlement(HospitalityTestCase):
	def record_actual(self, name, amount, receipt=True, user=REQUESTER):
		file_url = self.attach_receipt(name) if receipt else None
		frappe.set_user(user)
		doc = frappe.get_doc(DOCTYPE, name)
		doc.actual_amount = amount
		doc.receipt = file_url
		doc.save()
		return doc

	def test_settle_within_tolerance(self):
		name = self.approved(amount=400, recipients=[(self.buyer, 300), (self.engineer, 100)])
		self.assertRefused(self.record_actual, name, 430, receipt=False, contains="receipt")
		self.assertFalse(frappe.db.get_value(DOCTYPE, name, "actual_amount"))
		self.assertRefused(self.record_actual, name, 430, user=OUTSIDER, exc=frappe.PermissionError)
		doc = self.record_actual(name, 430)
		self.assertEqual(doc.next_approval_state, "Settled")
		self.act(name, flow.ACTION_SETTLE, REQUESTER)
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual(doc.workflow_state, "Settled")
		self.assertEqual(str(doc.settled_on), today())
		self.assertEqual((flt(doc.variance_amount), flt(doc.variance_percent)), (30, 7.5))
		self.assertEqual([flt(r.actual_amount) for r in doc.recipients], [322.5, 107.5])
		self.assertEqual(doc.approvals[-1].action, "Settled")
		# settled is final
		self.assertRefused(self.direct_save, name, REQUESTER, actual_amount=100)

	def test_receipt_policy_threshold(self):
		configure(receipt_required_above=500)
		name = self.approved(amount=400)
		doc = self.record_actual(name, 380, receipt=False)
		self.act(name, flow.ACTION_SETTLE, REQUESTER)
		self.assertEqual(self.state(name), "Settled")
		self.assertEqual(flt(doc.variance_amount), -20)

	def test_settlement_needs_an_actual_amount_and_a_past_event(self):
		name = self.approved(amount=400)
		self.assertRefused(
			self.direct_save, name, REQUESTER, workflow_state="Settled", contains="greater than zero"
		)
		self.assertRefused(self.record_actual, name, -5, contains="greater than zero")
		future = self.approved(amount=400, planned_date=add_days(today(), 3))
		self.assertRefused(self.record_actual, future, 400, contains="after the event")

	def test_overrun_goes_back_for_reapproval(self):
		name = self.approved(amount=400)
		doc = self.record_actual(name, 500)  # 25% above, tolerance 10%
		self.assertEqual(doc.next_approval_state, "Pending Manager")
		self.act(name, flow.ACTION_SETTLE, REQUESTER)
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual(doc.workflow_state, "Pending Manager")
		self.assertEqual(doc.approval_round, 2)
		self.assertEqual(doc.approvals[-1].action, "Sent for Re-approval")
		self.assertEqual(flt(doc.approved_amount), 400)
		# re-approval follows the same rules
		self.assertRefused(self.act, name, flow.ACTION_APPROVE, REQUESTER)
		self.act(name, flow.ACTION_APPROVE, TEAM_MANAGER)
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual((doc.workflow_state, flt(doc.approved_amount)), ("Approved", 500))
		self.assertEqual(doc.next_approval_state, "Settled")
		self.act(name, flow.ACTION_SETTLE, REQUESTER)
		self.assertEqual(self.state(name), "Settled")

	def test_overrun_into_a_higher_band_needs_the_higher_levels(self):
		name = self.approved(amount=950, request_type="Reception/Site Visit")
		self.record_actual(name, 1200)
		self.act(name, flow.ACTION_SETTLE, REQUESTER)
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual((doc.workflow_state, doc.approval_route), ("Pending Manager", "Manager, Director"))
		# the manager who approved the estimate approves again in the new round
		self.act(name, flow.ACTION_APPROVE, TEAM_MANAGER)
		self.act(name, flow.ACTION_APPROVE, DIRECTOR)
		self.assertEqual(self.state(name), "Approved")


class TestHospitalityPrint(HospitalityTestCase):
	def test_print_format_shows_the_approval_trail(self):
		name = self.approved(amount=100, request_type="Gift", recipients=[(self.official, 100)])
		frappe.set_user(DIRECTOR)
		html = frappe.get_print(DOCTYPE, name, print_format="Hospitality Request")
		for text in (name, "Hosp Official", "Manager", "Director", "Finance", TEAM_MANAGER, FINANCE):
			self.assertIn(text, html)
		self.assertIn("Official", html)
		# the PDF: the test site's host name does not resolve, so the stylesheet links are left out
		pdf = get_pdf(re.sub(r"<link[^>]*>", "", html))
		self.assertTrue(pdf.startswith(b"%PDF"))


class TestIssue18Hospitality(HospitalityTestCase):
	"""Defects an outside look found (issue 18): a peer approving at Manager level, a director rejecting
	with the manager's words, a draft whose date passed that could not be saved."""

	def test_a_peer_on_the_team_cannot_approve_at_manager_level(self):
		name = self.submitted(amount=400)
		self.assertEqual(self.state(name), "Pending Manager")
		# a colleague on the account's team: refused through the desk's action and the document API
		self.assertRefused(self.act, name, flow.ACTION_APPROVE, PEER, contains="superior")
		self.assertRefused(self.direct_save, name, PEER, workflow_state="Approved", contains="Manager level")
		frappe.set_user(PEER)
		self.assertRefused(set_rejection_reason, name, "Not needed", contains="Manager level")
		self.assertEqual(self.state(name), "Pending Manager")
		self.assertEqual([r.action for r in frappe.get_doc(DOCTYPE, name).approvals], ["Submitted"])

		# the superior's superior, who is not on the account, reads the request and approves it
		others = self.submitted(
			amount=100, user=OUTSIDER, key_account=OTHER, recipients=[(self.foreign, 100)]
		)
		frappe.set_user(HEAD)
		self.assertIn(name, frappe.get_list(DOCTYPE, pluck="name"))
		self.assertTrue(frappe.has_permission(DOCTYPE, "read", name))
		# not the requests of someone outside their line
		self.assertNotIn(others, frappe.get_list(DOCTYPE, pluck="name"))
		self.assertFalse(frappe.has_permission(DOCTYPE, "read", others))
		self.act(name, flow.ACTION_APPROVE, HEAD)
		self.assertEqual(self.state(name), "Approved")
		self.assertEqual(
			[(r.level, r.approver) for r in frappe.get_doc(DOCTYPE, name).approvals if r.level],
			[("Manager", HEAD)],
		)

	def test_directors_are_each_others_peers(self):
		# a director's request is never signed by another director (issue 26): with nobody above them in
		# the Employee line, submitting it is refused with what to set up, rather than waiting for ever
		name = self.new_request(amount=400, user=DIRECTOR).name
		self.assertRefused(self.act, name, flow.ACTION_SUBMIT, DIRECTOR, contains="Reports To")
		self.assertEqual(self.state(name), "Draft")
		# with a superior who holds Key Account Director, the superior signs at Director level
		f.make_employee(DIRECTOR_2)
		f.make_employee(DIRECTOR, reports_to=DIRECTOR_2)
		self.act(name, flow.ACTION_SUBMIT, DIRECTOR)
		self.assertEqual(self.state(name), "Pending Director")
		self.act(name, flow.ACTION_APPROVE, DIRECTOR_2)
		self.assertEqual(self.state(name), "Approved")

	def test_approving_clears_the_reason_and_nobody_rejects_with_anothers_words(self):
		name = self.submitted(amount=3000, request_type="Reception/Site Visit")  # Manager, Director
		# the manager writes a reason, thinks again and approves
		frappe.set_user(TEAM_MANAGER)
		set_rejection_reason(name, "Too much for a site visit")
		self.act(name, flow.ACTION_APPROVE, TEAM_MANAGER)
		self.assertEqual(self.state(name), "Pending Director")
		self.assertFalse(frappe.db.get_value(DOCTYPE, name, "rejection_reason"))

		# even with the manager's words left in the field, the director must write their own
		frappe.db.set_value(
			DOCTYPE,
			name,
			{"rejection_reason": "Too much for a site visit", "rejection_reason_by": TEAM_MANAGER},
			update_modified=False,
		)
		self.assertRefused(self.act, name, flow.ACTION_REJECT, DIRECTOR, contains="reason")
		self.assertEqual(self.state(name), "Pending Director")
		frappe.set_user(DIRECTOR)
		set_rejection_reason(name, "No budget left this quarter")
		self.act(name, flow.ACTION_REJECT, DIRECTOR)
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual(doc.workflow_state, "Rejected")
		self.assertEqual(
			[(r.level, r.action, r.approver, r.comment or None) for r in doc.approvals if r.level],
			[
				("Manager", "Approved", TEAM_MANAGER, None),
				("Director", "Rejected", DIRECTOR, "No budget left this quarter"),
			],
		)

	def test_the_same_words_written_again_are_the_writers_own(self):
		name = self.submitted(amount=3000, request_type="Reception/Site Visit")
		self.act(name, flow.ACTION_APPROVE, TEAM_MANAGER)
		frappe.db.set_value(
			DOCTYPE,
			name,
			{"rejection_reason": "No", "rejection_reason_by": TEAM_MANAGER},
			update_modified=False,
		)
		frappe.set_user(DIRECTOR)
		set_rejection_reason(name, "No")
		self.act(name, flow.ACTION_REJECT, DIRECTOR)
		self.assertEqual(self.state(name), "Rejected")

	def test_a_draft_whose_planned_date_passed_can_still_be_saved(self):
		doc = self.new_request(amount=400)
		frappe.db.set_value(DOCTYPE, doc.name, "planned_date", add_days(today(), -3), update_modified=False)
		doc = frappe.get_doc(DOCTYPE, doc.name)
		doc.business_purpose = "Quarterly review, moved by the customer"
		doc.save()  # refused before: "The planned date cannot be in the past"
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "business_purpose"), doc.business_purpose)
		# another past date is not a correction
		doc.planned_date = add_days(today(), -1)
		self.assertRefused(doc.save, contains="past")
		# submitting needs the date ahead
		self.assertRefused(self.act, doc.name, flow.ACTION_SUBMIT, REQUESTER, contains="past")
		self.assertEqual(self.state(doc.name), "Draft")
		doc = frappe.get_doc(DOCTYPE, doc.name)
		doc.planned_date = add_days(today(), 2)
		doc.save()
		self.act(doc.name, flow.ACTION_SUBMIT, REQUESTER)
		self.assertEqual(self.state(doc.name), "Pending Manager")
