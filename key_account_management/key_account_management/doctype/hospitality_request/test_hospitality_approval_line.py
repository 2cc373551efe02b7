# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""The approval line from the requester up (issue 26, docs/DOMAIN.md §6): a requester with each combination
of the app's roles, with and without a superior in ERPNext's Employee line. Each request either reaches
Approved through people other than the requester, or is refused at submit with a message that says whom
to set as the Employee's Reports To: never a request nobody can move."""

import frappe

from key_account_management.access.roles import (
	HOSPITALITY_APPROVER,
	KEY_ACCOUNT_DIRECTOR,
	KEY_ACCOUNT_MANAGER,
)
from key_account_management.core import hospitality_flow as flow
from key_account_management.hospitality.approval import approved_so_far, route
from key_account_management.hospitality.approvers import can_act_at_level
from key_account_management.key_account_management.doctype.hospitality_request.test_hospitality_request import (
	DIRECTOR,
	DIRECTOR_2,
	DOCTYPE,
	FINANCE,
	HospitalityTestCase,
	configure,
)
from key_account_management.patches.v1_0.release_stuck_hospitality_requests import (
	execute as release_stuck_requests,
)
from key_account_management.tests import factories as f

LINE = "KAM-LINE-Acme"
BOSS = "line.boss@example.com"  # Key Account Director at the top of the line
FINANCE_2 = "line.finance2@example.com"
COMBOS = {
	"kam": (KEY_ACCOUNT_MANAGER,),
	"kad": (KEY_ACCOUNT_DIRECTOR,),
	"both": (KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR),
	"kam-ha": (KEY_ACCOUNT_MANAGER, HOSPITALITY_APPROVER),
	"kad-ha": (KEY_ACCOUNT_DIRECTOR, HOSPITALITY_APPROVER),
	"both-ha": (KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR, HOSPITALITY_APPROVER),
}
# who may be asked to act, in this order: the superior, two directors, two Hospitality Approvers
POOL = (BOSS, DIRECTOR, DIRECTOR_2, FINANCE, FINANCE_2)
SMALL = {"amount": 400, "request_type": "Meal"}  # Manager only
LARGE = {"amount": 6000, "request_type": "Reception/Site Visit"}  # Manager, Director, Finance
# the levels the amount requires: the route a director's request stored before issue 26
POLICY_ROUTE = {SMALL["amount"]: "Manager", LARGE["amount"]: "Manager, Director, Finance"}


def requester(combo: str, with_superior: bool) -> str:
	return f"line.{combo}.{'sup' if with_superior else 'solo'}@example.com"


class ApprovalLineCase(HospitalityTestCase):
	"""The requesters of COMBOS, each with and without a superior (BOSS), on the key account LINE."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		f.make_user(BOSS, KEY_ACCOUNT_DIRECTOR)
		f.make_user(FINANCE_2, HOSPITALITY_APPROVER)
		f.make_employee(BOSS)
		team = []
		for combo, roles in COMBOS.items():
			for with_superior in (True, False):
				user = requester(combo, with_superior)
				f.make_user(user, *roles)
				if with_superior:
					f.make_employee(user, reports_to=BOSS)
				team.append({"user": user, "team_role": "Sales"})
		f.make_customer(LINE)
		f.make_profile(LINE, account_manager=BOSS, account_team=team)
		cls.line_buyer = f.make_contact("Line Buyer", LINE, "Purchasing Manager")
		cls.line_engineer = f.make_contact("Line Engineer", LINE, "Chief Engineer")

	def setUp(self):
		super().setUp()
		frappe.set_user("Administrator")
		configure(per_recipient_per_year=0)

	def request(self, user, amount, request_type):
		half = amount / 2
		return self.new_request(
			amount=amount,
			request_type=request_type,
			user=user,
			key_account=LINE,
			recipients=[(self.line_buyer, half), (self.line_engineer, half)],
		)

	def may_sign(self, doc, level, user) -> bool:
		allowed, _reason = flow.can_approve(level, route(doc), approved_so_far(doc), user, doc.requested_by)
		return allowed and can_act_at_level(user, level, doc.requested_by)[0]

	def drive(self, name) -> list[tuple[str, str]]:
		"""Approve level by level, each time by the first of POOL who may; fails when nobody may."""
		signed = []
		for _step in range(4):
			frappe.set_user("Administrator")
			doc = frappe.get_doc(DOCTYPE, name)
			if doc.workflow_state == flow.APPROVED:
				break
			level = flow.LEVEL_OF_STATE[doc.workflow_state]
			user = next((user for user in POOL if self.may_sign(doc, level, user)), None)
			self.assertIsNotNone(user, f"nobody can act on {doc.requested_by}'s request at {level} level")
			self.act(name, flow.ACTION_APPROVE, user)
			signed.append((level, user))
		frappe.set_user("Administrator")
		self.assertEqual(self.state(name), flow.APPROVED)
		return signed

	def check(self, combo, with_superior, size):
		user = requester(combo, with_superior)
		director = KEY_ACCOUNT_DIRECTOR in COMBOS[combo]
		doc = self.request(user, **size)
		if director and not with_superior:
			# nobody above a director can act: refused at submit, saying what to set up
			self.assertRefused(self.act, doc.name, flow.ACTION_SUBMIT, user, contains="Reports To")
			self.assertEqual(self.state(doc.name), flow.DRAFT)
			return
		self.act(doc.name, flow.ACTION_SUBMIT, user)
		signed = self.drive(doc.name)
		trail = frappe.get_doc(DOCTYPE, doc.name).approvals
		# approved by people other than the requester, one person per level
		self.assertTrue(signed)
		self.assertNotIn(user, [who for _level, who in signed])
		self.assertEqual(len({who for _level, who in signed}), len(signed))
		self.assertFalse([row for row in trail if row.action == flow.TRAIL_APPROVED and row.approver == user])
		if director:
			# the Manager level is skipped and said so; the superior signs at Director level, never a peer
			self.assertEqual(
				[row.level for row in trail if row.action == flow.TRAIL_SKIPPED],
				["Manager"],
			)
			self.assertIn(("Director", BOSS), signed)
			self.assertNotIn("Manager", [level for level, _who in signed])
		else:
			self.assertFalse([row for row in trail if row.action == flow.TRAIL_SKIPPED])
			self.assertEqual(signed[0][0], "Manager")
			if with_superior:
				self.assertEqual(signed[0], ("Manager", BOSS))


class TestApprovalLine(ApprovalLineCase):
	def test_each_combination_of_roles_with_a_superior(self):
		for combo in COMBOS:
			for size in (SMALL, LARGE):
				with self.subTest(combo=combo, amount=size["amount"]):
					self.check(combo, True, size)

	def test_each_combination_of_roles_without_a_superior(self):
		for combo in COMBOS:
			for size in (SMALL, LARGE):
				with self.subTest(combo=combo, amount=size["amount"]):
					self.check(combo, False, size)

	def test_a_peer_director_cannot_sign_a_directors_request(self):
		user = requester("kad", True)
		doc = self.request(user, **LARGE)
		self.act(doc.name, flow.ACTION_SUBMIT, user)
		self.assertEqual(self.state(doc.name), flow.PENDING["Director"])
		self.assertRefused(self.act, doc.name, flow.ACTION_APPROVE, DIRECTOR, contains="superior")
		self.act(doc.name, flow.ACTION_APPROVE, BOSS)
		self.assertEqual(self.state(doc.name), flow.PENDING["Finance"])

	def test_a_manager_whose_only_possible_approvers_are_one_person_is_refused_at_submit(self):
		# Finance: the requester is the only Hospitality Approver left enabled
		user = requester("kam-ha", False)
		others = frappe.get_all(
			"Has Role",
			filters={"role": HOSPITALITY_APPROVER, "parenttype": "User", "parent": ("!=", user)},
			pluck="parent",
		)
		frappe.db.sql("update `tabUser` set enabled = 0 where name in %(users)s", {"users": others or [""]})
		doc = self.request(user, **LARGE)
		self.assertRefused(self.act, doc.name, flow.ACTION_SUBMIT, user, contains="Hospitality Approver")
		self.assertEqual(self.state(doc.name), flow.DRAFT)


class TestStuckRequestsPatch(ApprovalLineCase):
	"""Requests a director submitted before issue 26 wait at Pending Manager, where nobody may sign for a
	director: the patch moves them as the line from the requester up says, or sends them back to Draft
	saying whom to set as Reports To. Built the old way: the levels the amount requires, stored as is."""

	def stuck(self, user, size, signed=()):
		"""A request of ``user`` as the old code left it: pending at the first level its amount required
		not signed in ``signed`` (level, approver), no level skipped."""
		doc = self.request(user, **size)
		frappe.set_user("Administrator")
		doc = frappe.get_doc(DOCTYPE, doc.name)
		route = POLICY_ROUTE[size["amount"]]
		doc.append("approvals", {"approval_round": 1, "action": flow.TRAIL_SUBMITTED, "approver": user})
		for level, approver in signed:
			doc.append(
				"approvals",
				{"approval_round": 1, "level": level, "action": flow.TRAIL_APPROVED, "approver": approver},
			)
		for row in doc.approvals:
			row.db_insert()
		waiting = flow.next_level(route.split(", "), dict(signed))
		frappe.db.set_value(
			DOCTYPE,
			doc.name,
			{"workflow_state": flow.PENDING[waiting], "approval_route": route, "approval_round": 1},
		)
		return doc.name

	def trail(self, name, action):
		return [row for row in frappe.get_doc(DOCTYPE, name).approvals if row.action == action]

	def test_a_directors_request_waiting_at_manager_goes_to_their_superior(self):
		user = requester("kad", True)
		for size in (SMALL, LARGE):
			with self.subTest(amount=size["amount"]):
				name = self.stuck(user, size)
				release_stuck_requests()
				self.assertEqual(self.state(name), flow.PENDING["Director"])
				skipped = self.trail(name, flow.TRAIL_SKIPPED)
				self.assertEqual([(row.level, row.approval_round) for row in skipped], [("Manager", 1)])
				self.assertIn("is skipped", skipped[0].comment)
				# run again: nothing more to do
				release_stuck_requests()
				self.assertEqual(self.state(name), flow.PENDING["Director"])
				self.assertEqual(len(self.trail(name, flow.TRAIL_SKIPPED)), 1)
				signed = self.drive(name)
				self.assertEqual(signed[0], ("Director", BOSS))
				self.assertNotIn(user, [who for _level, who in signed])

	def test_a_directors_request_nobody_above_can_sign_is_sent_back(self):
		user = requester("kad", False)
		for size in (SMALL, LARGE):
			with self.subTest(amount=size["amount"]):
				name = self.stuck(user, size)
				release_stuck_requests()
				self.assertEqual(self.state(name), flow.DRAFT)
				sent_back = self.trail(name, flow.TRAIL_SENT_BACK)
				self.assertEqual(len(sent_back), 1)
				self.assertEqual(sent_back[0].level, "Manager")
				self.assertIn("Reports To", sent_back[0].comment)
				self.assertIn(user, sent_back[0].comment)
				self.assertTrue(
					frappe.db.exists(
						"Comment",
						{
							"reference_doctype": DOCTYPE,
							"reference_name": name,
							"comment_type": "Comment",
							"content": ("like", "%Reports To%"),
						},
					)
				)
				release_stuck_requests()
				self.assertEqual(len(self.trail(name, flow.TRAIL_SENT_BACK)), 1)
				# the requester can edit it; submitting stays refused until the Reports To is set
				self.assertRefused(self.act, name, flow.ACTION_SUBMIT, user, contains="Reports To")

	def test_a_request_whose_superior_signed_the_manager_level_starts_over(self):
		user = requester("kad", True)
		name = self.stuck(user, LARGE, signed=[("Manager", BOSS)])
		release_stuck_requests()
		self.assertEqual(self.state(name), flow.DRAFT)
		self.assertIn("Submit it again", self.trail(name, flow.TRAIL_SENT_BACK)[0].comment)
		self.act(name, flow.ACTION_SUBMIT, user)
		self.assertEqual(self.state(name), flow.PENDING["Director"])
		self.assertIn(("Director", BOSS), self.drive(name))

	def test_a_request_someone_may_act_on_is_left_alone(self):
		user = requester("kam", True)
		doc = self.request(user, **LARGE)
		self.act(doc.name, flow.ACTION_SUBMIT, user)
		frappe.set_user("Administrator")
		before = frappe.get_doc(DOCTYPE, doc.name)
		release_stuck_requests()
		after = frappe.get_doc(DOCTYPE, doc.name)
		self.assertEqual(after.workflow_state, flow.PENDING["Manager"])
		self.assertEqual(after.approval_route, before.approval_route)
		self.assertEqual(len(after.approvals), len(before.approvals))
