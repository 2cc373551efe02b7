"""Share of wallet, stages, status, business loss and health on real invoices: the daily job, the
profile-side functions, playbook ToDos and the Account Health report."""

from unittest.mock import patch

import frappe
from frappe.utils import getdate, today

from key_account_management.core import relationship as core
from key_account_management.core.health import HEALTH_PARTS
from key_account_management.core.relationship import DEFAULT_PLAYBOOKS
from key_account_management.relationship import job as relationship_job
from key_account_management.relationship.evaluation import parse_parts
from key_account_management.relationship.facts import load_facts
from key_account_management.relationship.job import evaluate_all_profiles
from key_account_management.relationship.profile import (
	confirm_suggested_stage,
	make_todo,
	validate_profile_relationship,
)
from key_account_management.relationship.stages import install_default_stages
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

STEADY, GROWING, PAUSED, SLOWING, GONE, SILENT = (
	f"KAM-REL-{n}" for n in ("Steady", "Growing", "Paused", "Slowing", "Gone", "Silent")
)
GROUP_A, GROUP_B = "KAM-REL-Group-A", "KAM-REL-Group-B"
ITEM_A, ITEM_B = "KAM-REL-ITEM-A", "KAM-REL-ITEM-B"
MANAGER = "kam.rel.manager@example.com"
OUTSIDER = "kam.rel.outsider@example.com"


def set_settings(**values):
	f.save_settings(
		{
			"company": f.COMPANY,
			"interruption_days": 180,
			"auto_apply_stage": 0,
			"weight_recency": 30,
			"weight_revenue_trend": 25,
			"weight_sow_trend": 15,
			"weight_coverage": 20,
			"weight_visits": 10,
			"cadence_a_days": 30,
			"cadence_b_days": 60,
			"cadence_c_days": 90,
			**values,
		}
	)


def make_item_in_group(item_code, item_group):
	if not frappe.db.exists("Item Group", item_group):
		frappe.get_doc(
			{"doctype": "Item Group", "item_group_name": item_group, "parent_item_group": "All Item Groups"}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"item_group": item_group,
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)


def ensure_fiscal_year(day):
	day = getdate(day)
	if frappe.db.sql(
		"select name from `tabFiscal Year` where %s between year_start_date and year_end_date", day
	):
		return
	frappe.get_doc(
		{
			"doctype": "Fiscal Year",
			"year": str(day.year),
			"year_start_date": f"{day.year}-01-01",
			"year_end_date": f"{day.year}-12-31",
		}
	).insert(ignore_permissions=True)


def sell(customer, lines, days):
	return f.sell(customer, lines, f.days_ago(days), update_stock=0)


def profile(name):
	return frappe.get_doc("Key Account Profile", name)


def notifications_for(name):
	return frappe.get_all(
		"Notification Log",
		filters={"for_user": MANAGER, "document_type": "Key Account Profile", "document_name": name},
		pluck="subject",
	)


class TestRelationshipJob(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		set_settings()
		install_default_stages()
		ensure_fiscal_year(f.days_ago(800))
		make_item_in_group(ITEM_A, GROUP_A)
		make_item_in_group(ITEM_B, GROUP_B)
		f.make_user(MANAGER, "Key Account Manager")
		f.make_user(OUTSIDER)
		for customer in (STEADY, GROWING, PAUSED, SLOWING, GONE, SILENT):
			f.make_customer(customer)

		# Steady: 1,000 in each year; group B bought last year only (business loss)
		sell(STEADY, [(ITEM_A, 6, 100), (ITEM_B, 4, 100)], 400)
		sell(STEADY, [(ITEM_A, 10, 100)], 20)
		# Growing: sells more than the customer's estimated category spend
		sell(GROWING, [(ITEM_A, 30, 100)], 30)
		# Paused: no invoice for 200 days (≥ 180), both unpaid and past due
		sell(PAUSED, [(ITEM_A, 5, 100)], 500)
		sell(PAUSED, [(ITEM_A, 3, 100)], 200)
		# Slowing: 100 days quiet (≥ 90, half the interruption days)
		sell(SLOWING, [(ITEM_B, 5, 100)], 380)
		sell(SLOWING, [(ITEM_B, 5, 100)], 100)
		# Gone: bought only before the previous year
		sell(GONE, [(ITEM_A, 1, 100)], 800)

		estimate_date = f.days_ago(10)
		for customer, estimate in (
			(STEADY, 2000),
			(GROWING, 1500),
			(PAUSED, 1000),
			(SLOWING, 2000),
			(GONE, 500),
			(SILENT, 0),
		):
			f.make_profile(
				customer,
				account_manager=MANAGER,
				estimated_category_spend=estimate,
				spend_estimate_as_of=estimate_date if estimate else None,
			)

	def setUp(self):
		super().setUp()
		set_settings()

	def evaluated(self):
		evaluate_all_profiles()
		return {name: profile(name) for name in (STEADY, GROWING, PAUSED, SLOWING, GONE, SILENT)}

	# -- facts read set-based ------------------------------------------------------------------
	def test_facts_from_the_ledger(self):
		facts = load_facts(f.COMPANY, getdate(today()))
		steady = facts[STEADY]
		self.assertEqual((steady.revenue_this, steady.revenue_previous), (1000.0, 1000.0))
		self.assertEqual(str(steady.last_order_date), f.days_ago(20))
		self.assertEqual((steady.groups_this, steady.groups_previous), ({GROUP_A}, {GROUP_A, GROUP_B}))
		paused = facts[PAUSED]
		self.assertEqual((paused.revenue_this, paused.revenue_previous), (300.0, 500.0))
		self.assertEqual((paused.outstanding, paused.overdue), (800.0, 800.0))
		self.assertNotIn(SILENT, facts)
		self.assertEqual(str(facts[GONE].last_order_date), f.days_ago(800))
		# one customer only, same figures
		self.assertEqual(load_facts(f.COMPANY, getdate(today()), [STEADY])[STEADY], steady)

	# -- the job -------------------------------------------------------------------------------
	def test_sow_stage_status_and_loss(self):
		p = self.evaluated()
		steady = p[STEADY]
		self.assertAlmostEqual(steady.share_of_wallet, 50.0)
		# the only estimate was made ten days ago: none was in force in the previous year
		self.assertEqual(steady.previous_share_of_wallet, 0.0)
		self.assertFalse(steady.sow_flag)
		self.assertEqual(steady.suggested_stage, "Middle")
		self.assertEqual(steady.account_status, core.STATUS_ACTIVE)
		self.assertEqual(steady.business_loss, GROUP_B)
		self.assertEqual(steady.days_since_last_order, 20)
		self.assertEqual(str(steady.last_order_date), f.days_ago(20))
		self.assertFalse(steady.relationship_stage)  # a manager confirms; auto-apply is off

		self.assertAlmostEqual(p[GROWING].share_of_wallet, 200.0)
		self.assertEqual(p[GROWING].sow_flag, core.FLAG_ESTIMATE_TOO_LOW)
		self.assertEqual(p[GROWING].suggested_stage, "Strategic Partner")

		self.assertEqual(p[PAUSED].account_status, core.STATUS_INTERRUPTED)
		self.assertEqual(p[PAUSED].suggested_stage, "Interrupted")
		self.assertEqual(p[PAUSED].interruption_cause, core.CAUSE_OVERDUE_RECEIVABLES)
		self.assertAlmostEqual(p[PAUSED].share_of_wallet, 30.0)

		self.assertEqual(p[SLOWING].account_status, core.STATUS_AT_RISK)
		self.assertFalse(p[SLOWING].interruption_cause)
		self.assertEqual(p[SLOWING].suggested_stage, "Incubation")  # 500 / 2000 = 25%

		self.assertEqual(p[GONE].account_status, core.STATUS_LOST)
		self.assertEqual(p[GONE].suggested_stage, "Incubation")  # starts over
		self.assertEqual(p[SILENT].account_status, core.STATUS_LOST)
		self.assertEqual(p[SILENT].sow_flag, core.FLAG_NO_ESTIMATE)

	def test_health_score_and_parts(self):
		steady = self.evaluated()[STEADY]
		# recency 30 × (1 − 20/180), no revenue change (half), no buying center mapped (0), no SoW trend
		# (one estimate only) and no visit yet (both left out): 39.17 of 75 points
		self.assertEqual(steady.health_score, 52)
		parts = parse_parts(steady.health_parts)
		self.assertAlmostEqual(parts["recency"], 26.7, delta=0.05)
		self.assertEqual((parts["revenue_trend"], parts["coverage"]), (12.5, 0.0))
		self.assertIsNone(parts["sow_trend"])
		self.assertIn("SoW trend: no data", steady.health_parts)
		self.assertIsNone(parts["visits"])
		self.assertIn("Visits: no data", steady.health_parts)

		# a recent visit and a weight change show on the next run
		frappe.db.set_value("Key Account Profile", STEADY, "last_visit_date", f.days_ago(5))
		set_settings(weight_coverage=0)
		steady = self.evaluated()[STEADY]
		self.assertIsNone(parse_parts(steady.health_parts)["visits"])  # unclassified: no cadence
		frappe.db.set_value("Key Account Profile", STEADY, "abc_class", "C")  # 90-day cadence
		steady = self.evaluated()[STEADY]
		self.assertEqual(parse_parts(steady.health_parts)["visits"], 10.0)
		self.assertEqual(steady.health_score, round((26.667 + 12.5 + 10) / 65 * 100))

	def test_sow_trend_uses_the_estimate_in_force_in_each_year(self):
		"""Issue 18: both years were divided by today's estimate, which made the SoW trend the revenue
		trend counted twice. With last year's own estimate the share is seen to fall while revenue held."""
		doc = profile(STEADY)
		self.assertEqual(
			[(str(r.as_of), r.estimated_category_spend) for r in doc.spend_estimates],
			[(f.days_ago(10), 2000)],
		)
		doc.append("spend_estimates", {"as_of": f.days_ago(400), "estimated_category_spend": 1000})
		doc.save()
		# the current estimate stays the latest one
		self.assertEqual(
			(doc.estimated_category_spend, str(doc.spend_estimate_as_of)), (2000, f.days_ago(10))
		)
		steady = self.evaluated()[STEADY]
		# 1,000 of 1,000 last year, 1,000 of 2,000 this year: the share halved
		self.assertAlmostEqual(steady.previous_share_of_wallet, 100.0)
		self.assertAlmostEqual(steady.share_of_wallet, 50.0)
		parts = parse_parts(steady.health_parts)
		self.assertAlmostEqual(parts["sow_trend"], 15 * 0.25, delta=0.05)
		self.assertEqual(parts["revenue_trend"], 12.5)  # revenue did not move
		self.assertEqual(steady.health_score, round((26.667 + 12.5 + 3.75) / 90 * 100))

		# a new estimate replaces the current one and joins the history
		doc = profile(STEADY)
		doc.estimated_category_spend = 2500
		doc.spend_estimate_as_of = today()
		doc.save()
		self.assertEqual(
			[(str(r.as_of), r.estimated_category_spend) for r in doc.spend_estimates],
			[(f.days_ago(400), 1000), (f.days_ago(10), 2000), (today(), 2500)],
		)

	def test_rerun_on_unchanged_data_changes_nothing(self):
		evaluate_all_profiles()
		notifications = frappe.db.count("Notification Log")
		summary = evaluate_all_profiles()
		self.assertEqual(summary["updated"], 0)
		self.assertEqual(summary["notifications"], 0)
		self.assertEqual(frappe.db.count("Notification Log"), notifications)

	def test_new_interruptions_and_at_risk_accounts_are_notified(self):
		evaluate_all_profiles()
		frappe.db.set_value("Key Account Profile", PAUSED, "account_status", "Active")
		frappe.db.set_value("Key Account Profile", SLOWING, "account_status", "Active")
		frappe.db.set_value("Key Account Profile", STEADY, "suggested_stage", "Early")
		evaluate_all_profiles()
		self.assertTrue(any("interrupted" in s and "200 days" in s for s in notifications_for(PAUSED)))
		self.assertTrue(any("at risk" in s for s in notifications_for(SLOWING)))
		self.assertTrue(any("suggested relationship stage Middle" in s for s in notifications_for(STEADY)))
		self.assertEqual(notifications_for(GROWING), [])  # nothing new there

	def test_first_evaluation_does_not_flood_inboxes(self):
		frappe.db.sql(
			"update `tabKey Account Profile` set account_status = null, suggested_stage = null where name like 'KAM-REL-%%'"
		)
		evaluate_all_profiles()
		self.assertEqual(notifications_for(PAUSED), [])

	def test_auto_apply_moves_the_stage_with_history_and_playbook(self):
		set_settings(auto_apply_stage=1)
		summary = evaluate_all_profiles()
		self.assertGreaterEqual(summary["stage_changes"], 6)
		steady = profile(STEADY)
		self.assertEqual(steady.relationship_stage, "Middle")
		last = steady.stage_history[-1]
		self.assertEqual((last.from_stage, last.to_stage), (None, "Middle"))
		self.assertIn("50", last.reason)
		self.assertEqual([row.action for row in steady.playbook_items], DEFAULT_PLAYBOOKS["Middle"])
		self.assertEqual(profile(PAUSED).relationship_stage, "Interrupted")
		self.assertEqual(
			[row.action for row in profile(PAUSED).playbook_items], DEFAULT_PLAYBOOKS["Interrupted"]
		)
		self.assertTrue(any("relationship stage" in s for s in notifications_for(STEADY)))
		# nothing to apply the second time
		self.assertEqual(evaluate_all_profiles()["stage_changes"], 0)
		self.assertEqual(len(profile(STEADY).stage_history), 1)

	def test_a_new_invoice_ends_the_interruption(self):
		evaluate_all_profiles()
		sell(PAUSED, [(ITEM_A, 1, 100)], 1)
		evaluate_all_profiles()
		paused = profile(PAUSED)
		self.assertEqual(paused.account_status, core.STATUS_ACTIVE)
		self.assertEqual(paused.suggested_stage, "Early")  # 400 / 1000
		self.assertFalse(paused.interruption_cause)

	def test_cancelled_invoice_is_not_an_order(self):
		invoice = sell(SLOWING, [(ITEM_B, 1, 100)], 2)
		evaluate_all_profiles()
		self.assertEqual(profile(SLOWING).account_status, core.STATUS_ACTIVE)
		invoice.reload()
		invoice.cancel()
		evaluate_all_profiles()
		self.assertEqual(profile(SLOWING).account_status, core.STATUS_AT_RISK)

	def test_interruption_causes_credit_and_key_person(self):
		customer = frappe.get_doc("Customer", PAUSED)
		customer.append("credit_limits", {"company": f.COMPANY, "credit_limit": 900})
		customer.save(ignore_permissions=True)
		# ERPNext refuses a limit below what is open now; the limit was lowered since (e.g. imported)
		frappe.db.set_value("Customer Credit Limit", customer.credit_limits[0].name, "credit_limit", 100)
		contact = f.make_contact("Pauline Boss", PAUSED)
		f.make_role(
			PAUSED,
			contact,
			"Decision Maker",
			influence=5,
			attitude="Supporter",
			relationship_strength=3,
			status="Left the Company",
		)
		evaluate_all_profiles()
		self.assertEqual(
			profile(PAUSED).interruption_cause.splitlines(),
			[core.CAUSE_KEY_PERSON_CHANGED, core.CAUSE_OVERDUE_RECEIVABLES, core.CAUSE_CREDIT_LIMIT_EXCEEDED],
		)

	def test_failed_run_leaves_every_profile_as_it_was(self):
		evaluate_all_profiles()
		frappe.db.set_value("Key Account Profile", PAUSED, "account_status", "Active")
		with patch.object(relationship_job, "notify", side_effect=RuntimeError("killed")):
			self.assertRaises(RuntimeError, evaluate_all_profiles)
		self.assertEqual(frappe.db.get_value("Key Account Profile", PAUSED, "account_status"), "Active")

	def test_two_runs_cannot_overlap(self):
		with f.lock_held_elsewhere("kam_relationship") as acquired:
			self.assertEqual(acquired, 1)
			self.assertRaises(frappe.ValidationError, evaluate_all_profiles)
		evaluate_all_profiles()

	# -- the profile form ----------------------------------------------------------------------
	def form(self, name):
		doc = profile(name)
		doc.load_doc_before_save()
		return doc

	def test_negative_estimate_is_refused(self):
		doc = self.form(STEADY)
		doc.estimated_category_spend = -5
		with self.assertRaises(frappe.ValidationError) as caught:
			validate_profile_relationship(doc)
		self.assertIn("Estimated Annual Category Spend", str(caught.exception))

	def test_estimate_change_recomputes_sow_and_suggestion(self):
		doc = self.form(STEADY)
		doc.estimated_category_spend = 1000
		validate_profile_relationship(doc)
		self.assertAlmostEqual(doc.share_of_wallet, 100.0)
		self.assertEqual(doc.suggested_stage, "Strategic Partner")
		self.assertEqual(doc.account_status, core.STATUS_ACTIVE)
		doc.estimated_category_spend = 800
		validate_profile_relationship(doc)
		self.assertEqual(doc.sow_flag, core.FLAG_ESTIMATE_TOO_LOW)

	def test_stage_change_that_skips_stages_needs_a_reason(self):
		frappe.db.set_value("Key Account Profile", STEADY, "relationship_stage", "Incubation")
		doc = self.form(STEADY)
		doc.relationship_stage = "Middle"
		with self.assertRaises(frappe.ValidationError) as caught:
			validate_profile_relationship(doc)
		self.assertIn("skips", str(caught.exception))
		self.assertIn("Early", str(caught.exception))

		doc.stage_change_reason = "Won the framework contract"
		validate_profile_relationship(doc)
		last = doc.stage_history[-1]
		self.assertEqual(
			(last.from_stage, last.to_stage, last.reason, last.changed_by),
			("Incubation", "Middle", "Won the framework contract", "Administrator"),
		)
		self.assertFalse(doc.stage_change_reason)
		self.assertEqual([row.action for row in doc.playbook_items], DEFAULT_PLAYBOOKS["Middle"])
		self.assertEqual({row.stage for row in doc.playbook_items}, {"Middle"})

		# one step needs no reason; interruption is never a skip
		frappe.db.set_value("Key Account Profile", STEADY, "relationship_stage", "Early")
		doc = self.form(STEADY)
		doc.relationship_stage = "Middle"
		validate_profile_relationship(doc)
		frappe.db.set_value("Key Account Profile", STEADY, "relationship_stage", "Strategic Partner")
		doc = self.form(STEADY)
		doc.relationship_stage = "Interrupted"
		validate_profile_relationship(doc)
		self.assertEqual(doc.stage_history[-1].to_stage, "Interrupted")

	def test_auto_apply_on_the_form(self):
		set_settings(auto_apply_stage=1)
		doc = self.form(GROWING)
		validate_profile_relationship(doc)
		self.assertEqual(doc.relationship_stage, "Strategic Partner")
		self.assertIn("200", doc.stage_history[-1].reason)

	def test_confirm_suggested_stage(self):
		evaluate_all_profiles()
		self.assertEqual(confirm_suggested_stage(STEADY), "Middle")
		self.assertEqual(profile(STEADY).relationship_stage, "Middle")

	# -- playbook ToDos ------------------------------------------------------------------------
	def test_playbook_action_becomes_a_todo_for_the_account_manager(self):
		set_settings(auto_apply_stage=1)
		evaluate_all_profiles()
		row = profile(STEADY).playbook_items[0]
		todo_name = make_todo(STEADY, row.name)
		todo = frappe.get_doc("ToDo", todo_name)
		self.assertEqual(todo.allocated_to, MANAGER)
		self.assertEqual((todo.reference_type, todo.reference_name), ("Key Account Profile", STEADY))
		self.assertIn(row.action, todo.description)
		self.assertEqual(make_todo(STEADY, row.name), todo_name)  # no duplicate while open
		self.assertEqual(profile(STEADY).playbook_items[0].todo, todo_name)

		# closing the ToDo ticks the action at the next run
		todo.status = "Closed"
		todo.save(ignore_permissions=True)
		evaluate_all_profiles()
		self.assertEqual(profile(STEADY).playbook_items[0].done, 1)

		self.assertRaises(frappe.DoesNotExistError, make_todo, STEADY, "no-such-row")
		frappe.set_user(OUTSIDER)
		self.assertRaises(frappe.PermissionError, make_todo, STEADY, row.name)

	def test_todo_needs_an_account_manager(self):
		set_settings(auto_apply_stage=1)
		evaluate_all_profiles()
		frappe.db.set_value("Key Account Profile", STEADY, "account_manager", None)
		row = profile(STEADY).playbook_items[0]
		with self.assertRaises(frappe.ValidationError) as caught:
			make_todo(STEADY, row.name)
		self.assertIn("Account Manager", str(caught.exception))

	# -- report --------------------------------------------------------------------------------
	def test_account_health_report(self):
		from key_account_management.key_account_management.report.account_health.account_health import execute

		evaluate_all_profiles()
		columns, data, _message, chart, summary = execute({"at_risk_only": 1})
		rows = {row["key_account"]: row for row in data if row["key_account"].startswith("KAM-REL-")}
		self.assertEqual(set(rows), {PAUSED, SLOWING, GONE, SILENT})
		self.assertEqual([r["health_score"] for r in data], sorted(r["health_score"] for r in data))
		paused = rows[PAUSED]
		self.assertEqual(paused["account_status"], core.STATUS_INTERRUPTED)
		self.assertEqual(paused["days_since_last_order"], 200)
		self.assertEqual(paused["relationship_stage"], None)
		self.assertEqual(paused["suggested_stage"], "Interrupted")
		self.assertAlmostEqual(paused["share_of_wallet"], 30.0)
		self.assertEqual(paused["recency"], 0.0)
		self.assertIn(core.CAUSE_OVERDUE_RECEIVABLES, paused["flags"])
		self.assertIn(core.FLAG_NO_ESTIMATE, rows[SILENT]["flags"])
		self.assertIsNone(rows[SILENT]["days_since_last_order"])
		fieldnames = {c["fieldname"] for c in columns}
		self.assertTrue(
			{
				"health_score",
				*HEALTH_PARTS,
				"relationship_stage",
				"share_of_wallet",
				"days_since_last_order",
				"account_status",
				"flags",
			}
			<= fieldnames
		)
		self.assertEqual(chart["type"], "bar")
		self.assertEqual(len(chart["data"]["labels"]), 4)

		_c, only_interrupted, *_ = execute({"account_status": "Interrupted", "account_manager": MANAGER})
		self.assertEqual({r["key_account"] for r in only_interrupted}, {PAUSED})
		_c, everything, *_ = execute({"at_risk_only": 0, "account_manager": MANAGER})
		self.assertIn(STEADY, {r["key_account"] for r in everything})
		steady = next(r for r in everything if r["key_account"] == STEADY)
		self.assertIn(f"business loss: {GROUP_B}", steady["flags"])
