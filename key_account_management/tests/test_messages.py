"""The pure rules' messages that name values reach a Chinese user in Chinese, an English one unchanged."""

import re

import frappe

from key_account_management.core import hospitality as hospitality_rules
from key_account_management.core.hospitality_flow import can_approve
from key_account_management.core.relationship import Stage, validate_stage_ranges
from key_account_management.messages import translate
from key_account_management.relationship.stages import check_ranges
from key_account_management.tests.utils import KAMTestCase

OVERLAPPING = [
	Stage("Early", 2, 30.0, 60.0),
	Stage("Middle", 3, 50.0, 100.0),
	Stage("Incubation", 1, 0.0, 30.0),
]
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


class TestRuleMessages(KAMTestCase):
	def tearDown(self):
		frappe.local.lang = "en"
		super().tearDown()

	def test_english_reads_as_the_rule_wrote_it(self):
		frappe.local.lang = "en"
		problems = validate_stage_ranges(OVERLAPPING)
		self.assertEqual([translate(p) for p in problems], list(problems))
		self.assertIn("Early (30-60%) overlaps Middle (50-100%).", problems)

	def test_stage_ranges_in_chinese(self):
		frappe.local.lang = "zh"
		problems = [translate(p) for p in validate_stage_ranges(OVERLAPPING)]
		self.assertIn("初期（30–60%）与中期（50–100%）重叠。", problems)
		self.assertFalse([p for p in problems if ENGLISH_WORD.search(p)], problems)

	def test_the_whole_error_of_the_stage_master_is_chinese(self):
		frappe.local.lang = "zh"
		rows = [
			frappe._dict(
				name=s.name,
				stage_name=s.name,
				sequence=s.sequence,
				interrupted=0,
				sow_from=s.sow_from,
				sow_to=s.sow_to,
			)
			for s in OVERLAPPING
		]
		with self.assertRaises(frappe.ValidationError) as raised:
			check_ranges(rows)
		message = re.sub(r"<[^>]+>", " ", str(raised.exception))
		self.assertIn("关系发展阶段的钱包份额区间必须从 0% 起不重不漏地覆盖", message)
		self.assertFalse(ENGLISH_WORD.search(message), message)

	def test_approval_reasons_in_chinese(self):
		frappe.local.lang = "zh"
		allowed, reason = can_approve(
			"Director", ("Manager", "Director"), {}, "approver@example.com", "requester@example.com"
		)
		self.assertFalse(allowed)
		self.assertEqual(translate(reason), "不能越级审批：须先经经理审批，再由总监审批")
		problems = hospitality_rules.validate_bands(
			(
				hospitality_rules.ApprovalBand(1000.0, ("CEO",)),
				hospitality_rules.ApprovalBand(None, ("Manager",)),
			)
		)
		self.assertEqual(translate(problems[0]), "第 1 档：未知的审批层级 CEO；请使用经理、总监或财务")

	def test_recipient_problems_in_chinese(self):
		frappe.local.lang = "zh"
		problems = hospitality_rules.validate_request(
			estimated_amount=100,
			recipients=[("C-1", 60), ("C-1", 60)],
			planned_date="2099-01-01",
			today="2026-01-01",
			is_new=True,
			justification=None,
			breaks_limit=False,
		)
		shown = [translate(p) for p in problems]
		self.assertIn("接收人 C-1 被重复列出。", shown)
		self.assertIn("接收人金额合计为 120.00，超过了预计金额 100.00。", shown)
