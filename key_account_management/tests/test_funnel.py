"""The opportunity funnel on ERPNext's Opportunity, as the people who use it.

A Key Account Manager grades, screens and moves the opportunities of their own account; a colleague's
opportunities stay out of their reach through every road (lists, forms, counts, link search, the report);
a Key Account Director sees all. Every expected grade, count and amount below is worked out by hand from
the settings' default bands (A: within 30 days and at least 70 %, B: 90 days and 50 %, C: 180 days and
20 %, D the rest), not by the code under test.
"""

import frappe
from frappe.utils import add_days, add_months, getdate, today

from key_account_management.funnel.jobs import regrade_open_opportunities
from key_account_management.funnel.opportunity import StageMoveError
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

OWN, OTHER = "KAM-Funnel-Own", "KAM-Funnel-Other"
KAM = "kam.funnel.kam@example.com"  # Key Account Manager of OWN, only that role
COLLEAGUE = "kam.funnel.colleague@example.com"  # Key Account Manager of OTHER
DIRECTOR = "kam.funnel.director@example.com"
SALES = "kam.funnel.sales@example.com"  # ERPNext's Sales User, not a key-account role

FUNNEL_DEFAULTS = {
	"grade_a_within_days": 30,
	"grade_a_min_probability": 70,
	"grade_b_within_days": 90,
	"grade_b_min_probability": 50,
	"grade_c_within_days": 180,
	"grade_c_min_probability": 20,
	"funnel_min_amount": 0,
	"screen_pass_total": 9,
	"screen_knockout_below": 2,
}
STAGES = ("Development", "Entry", "Proposal", "Bidding", "Negotiation", "Implementation")


def set_funnel_settings(**values):
	for field, value in {**FUNNEL_DEFAULTS, **values}.items():
		frappe.db.set_single_value("Key Account Settings", field, value)
	frappe.clear_document_cache("Key Account Settings", "Key Account Settings")


def make_opportunity(customer=OWN, days=20, probability=80, amount=10000, **fields):
	return frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": customer,
			"company": f.COMPANY,
			"currency": "USD",
			"opportunity_amount": amount,
			"probability": probability,
			"expected_closing": add_days(today(), days) if days is not None else None,
			**fields,
		}
	).insert()


def tick(doc, *stages):
	for row in doc.kam_milestones:
		if row.sales_stage in stages:
			row.done = 1


class FunnelTestCase(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_users(
			{
				"Sales User": (SALES,),
				"Key Account Manager": (KAM, COLLEAGUE),
				"Key Account Director": (DIRECTOR,),
			}
		)
		f.make_accounts({OWN: KAM, OTHER: COLLEAGUE})

	def setUp(self):
		super().setUp()
		set_funnel_settings()


class TestFunnelInstall(FunnelTestCase):
	def test_stages_fields_and_permissions_are_installed(self):
		stages = frappe.get_all(
			"Sales Stage",
			filters={"kam_sequence": (">", 0)},
			fields=["name", "kam_sequence", "kam_milestone"],
			order_by="kam_sequence",
		)
		self.assertEqual([s.name for s in stages], list(STAGES))
		self.assertEqual(stages[4].kam_milestone, "Contract signed")
		meta = frappe.get_meta("Opportunity")
		for fieldname in ("kam_grade", "kam_key_account", "kam_milestones", "kam_grade_history"):
			self.assertTrue(meta.get_field(fieldname), fieldname)
		self.assertEqual(meta.get_field("sales_stage").default, "Development")
		self.assertIn("Key Account Manager", frappe.permissions.get_doctype_roles("Opportunity", "read"))

	def test_uninstall_removes_every_funnel_custom_field(self):
		"""install.before_uninstall deletes what install.get_custom_fields lists: every kam_ field on
		Opportunity and Sales Stage must be there."""
		from key_account_management.install import get_custom_fields

		listed = {(dt, field["fieldname"]) for dt, fields in get_custom_fields().items() for field in fields}
		on_site = {
			(row.dt, row.fieldname)
			for row in frappe.get_all(
				"Custom Field",
				filters={"dt": ("in", ("Opportunity", "Sales Stage")), "fieldname": ("like", "kam_%")},
				fields=["dt", "fieldname"],
			)
		}
		self.assertTrue(on_site)
		self.assertEqual(on_site - listed, set())

	def test_uninstall_calls_the_funnel_clean_up(self):
		import inspect

		from key_account_management import install

		self.assertIn("funnel_setup.before_uninstall()", inspect.getsource(install.before_uninstall))

	def test_permission_rows_come_off_and_back(self):
		from key_account_management.funnel import setup

		setup.remove_permissions()
		self.assertNotIn("Key Account Manager", frappe.permissions.get_doctype_roles("Opportunity", "read"))
		setup.grant_permissions()
		frappe.clear_cache(doctype="Opportunity")
		self.assertIn("Key Account Manager", frappe.permissions.get_doctype_roles("Opportunity", "read"))


class TestGrading(FunnelTestCase):
	def test_manager_grades_by_date_and_likelihood(self):
		frappe.set_user(KAM)
		cases = [  # (days to close, probability, grade by hand)
			(20, 80, "A"),
			(30, 70, "A"),
			(31, 70, "B"),
			(60, 80, "B"),
			(100, 80, "C"),
			(20, 19, "D"),
			(200, 90, "D"),
			(None, 90, "D"),
		]
		for days, probability, grade in cases:
			doc = make_opportunity(days=days, probability=probability)
			self.assertEqual((doc.kam_grade, doc.kam_key_account), (grade, OWN), (days, probability))
			self.assertEqual(doc.kam_grade_history[0].to_grade, grade)

	def test_grade_follows_a_new_date_with_history(self):
		frappe.set_user(KAM)
		doc = make_opportunity(days=60, probability=80)  # B
		doc.expected_closing = add_days(today(), 10)
		doc.save()
		self.assertEqual(doc.kam_grade, "A")
		self.assertEqual(
			[(h.from_grade, h.to_grade) for h in doc.kam_grade_history], [(None, "B"), ("B", "A")]
		)
		self.assertEqual(doc.kam_grade_history[-1].changed_by, KAM)

	def test_override_needs_a_reason_and_wins(self):
		frappe.set_user(KAM)
		doc = make_opportunity(days=100, probability=80)  # C
		doc.kam_grade_override = "A"
		self.assertRaises(frappe.ValidationError, doc.save)
		doc.reload()
		self.assertEqual(doc.kam_grade, "C")
		doc.kam_grade_override = "A"
		doc.kam_grade_override_reason = "The CEO promised the order at the trade fair."
		doc.save()
		self.assertEqual((doc.kam_grade, doc.kam_computed_grade), ("A", "C"))
		last = doc.kam_grade_history[-1]
		self.assertEqual(
			(last.to_grade, last.source, last.reason), ("A", "Override", doc.kam_grade_override_reason)
		)
		doc.kam_grade_override = None
		doc.save()
		self.assertEqual(doc.kam_grade, "C")
		self.assertIsNone(doc.kam_grade_override_reason)

	def test_screen_caps_the_likelihood_and_a_failed_screen_is_not_pursued(self):
		frappe.set_user(KAM)
		# 3 + 3 + 3 = 9 of 15 passes and caps 80 % at 60 %: 20 days at 60 % is B, not A
		doc = make_opportunity(
			days=20,
			probability=80,
			kam_score_scale_budget=3,
			kam_score_funding_credit=3,
			kam_score_relationship=3,
		)
		self.assertEqual((doc.kam_screen_total, doc.kam_screen_result), (9, "Passed"))
		self.assertEqual((doc.kam_likelihood, doc.kam_grade), (60, "B"))
		# funding scored 1 knocks it out whatever the total
		doc.kam_score_funding_credit = 1
		doc.save()
		self.assertEqual((doc.kam_screen_result, doc.kam_not_pursued), ("Failed", 1))
		self.assertIn("Funding and Credit", doc.kam_not_pursued_reason)
		self.assertEqual(doc.kam_grade, "B")  # not graded any more: it keeps the last grade
		# scored again and passing, the screen's own mark is lifted
		doc.kam_score_funding_credit = 5
		doc.save()
		self.assertEqual(
			(doc.kam_screen_total, doc.kam_not_pursued, doc.kam_not_pursued_reason), (11, 0, None)
		)
		# a partial table is no screen yet
		partial = make_opportunity(kam_score_scale_budget=1)
		self.assertEqual(
			(partial.kam_screen_result, partial.kam_not_pursued, partial.kam_grade), (None, 0, "A")
		)

	def test_small_orders_stay_out_of_the_funnel(self):
		set_funnel_settings(funnel_min_amount=5000)
		frappe.set_user(KAM)
		small = make_opportunity(amount=4999.99, sales_stage="Bidding")
		self.assertEqual((small.kam_out_of_funnel, small.kam_grade or None), (1, None))
		self.assertEqual((small.kam_milestones, small.kam_stage_history), ([], []))
		self.assertEqual(small.kam_likelihood, 80)  # still weighted in the forecast
		self.assertEqual(make_opportunity(amount=5000).kam_out_of_funnel, 0)


class TestMilestones(FunnelTestCase):
	def test_checklist_and_moving_past_an_open_milestone(self):
		frappe.set_user(KAM)
		doc = make_opportunity()
		self.assertEqual(doc.sales_stage, "Development")
		self.assertEqual([row.sales_stage for row in doc.kam_milestones], list(STAGES))
		doc.sales_stage = "Entry"
		self.assertRaises(StageMoveError, doc.save)
		self.assertEqual(frappe.db.get_value("Opportunity", doc.name, "sales_stage"), "Development")
		# ticking the milestone lets it move without a reason
		doc.reload()
		tick(doc, "Development")
		doc.sales_stage = "Entry"
		doc.save()
		row = doc.kam_milestones[0]
		self.assertEqual((row.done, str(row.done_on), row.done_by), (1, today(), KAM))
		# a jump to Negotiation passes Entry, Proposal and Bidding, all open: only with a reason
		doc.sales_stage = "Negotiation"
		doc.kam_stage_change_reason = "Direct award after the pilot."
		doc.save()
		last = doc.kam_stage_history[-1]
		self.assertEqual((last.from_stage, last.to_stage), ("Entry", "Negotiation"))
		self.assertEqual(last.open_milestones, "Entry, Proposal, Bidding")
		self.assertEqual(last.reason, "Direct award after the pilot.")
		self.assertIsNone(doc.kam_stage_change_reason)
		# moving back needs nothing and keeps the furthest stage
		doc.sales_stage = "Proposal"
		doc.save()
		self.assertEqual(doc.kam_furthest_stage, "Negotiation")

	def test_new_opportunity_entered_at_a_later_stage(self):
		frappe.set_user(KAM)
		self.assertRaises(StageMoveError, make_opportunity, sales_stage="Proposal")
		doc = make_opportunity(sales_stage="Proposal", kam_stage_change_reason="Taken over from a partner.")
		self.assertEqual(doc.kam_stage_history[0].open_milestones, "Development, Entry")


class TestBadInput(FunnelTestCase):
	def assert_refused(self, fieldname_label, **fields):
		before = frappe.db.count("Opportunity")
		with self.assertRaises(frappe.ValidationError) as raised:
			make_opportunity(**fields)
		self.assertIn(fieldname_label, str(raised.exception))
		self.assertEqual(frappe.db.count("Opportunity"), before)

	def test_numbers_out_of_range_are_named_and_nothing_is_saved(self):
		frappe.set_user(KAM)
		self.assert_refused("Probability", probability=150)
		self.assert_refused("Probability", probability=-5)
		self.assert_refused("Opportunity Amount", amount=-1)
		self.assert_refused("Risk: Scale and Budget", kam_score_scale_budget=6)
		self.assert_refused("Risk: Closeness of Relationship", kam_score_relationship=-1)
		self.assert_refused("Expected Closing Date", days=-1)
		self.assert_refused("Reason Not Pursued", kam_not_pursued=1)

	def test_a_close_date_that_passed_is_left_alone_until_changed(self):
		frappe.set_user(KAM)
		doc = make_opportunity(days=5)
		frappe.db.set_value("Opportunity", doc.name, "expected_closing", add_days(today(), -3))
		doc.reload()
		doc.probability = 90
		doc.save()  # not touched: saved, and graded D
		self.assertEqual(doc.kam_grade, "D")
		doc.expected_closing = add_days(today(), -1)
		self.assertRaises(frappe.ValidationError, doc.save)

	def test_overlapping_grade_bands_are_refused_naming_the_fields(self):
		frappe.set_user(DIRECTOR)
		for values, label in (
			({"grade_b_within_days": 20}, "Grade B: Closes Within (Days)"),
			({"grade_b_min_probability": 80}, "Grade B: Likelihood at Least (%)"),
			({"grade_c_within_days": 90, "grade_c_min_probability": 50}, "Grade C"),
			({"grade_a_min_probability": 120}, "Grade A: Likelihood at Least (%)"),
			({"grade_c_within_days": -1}, "Grade C: Closes Within (Days)"),
			({"screen_pass_total": 16}, "Risk Screen: Pass Mark"),
			({"screen_knockout_below": 6}, "Risk Screen: Fail When"),
			({"funnel_min_amount": -10}, "Keep Orders Below"),
		):
			settings = frappe.get_doc("Key Account Settings")
			settings.update(values)
			with self.assertRaises(frappe.ValidationError, msg=str(values)) as raised:
				settings.save()
			self.assertIn(label, str(raised.exception))
		self.assertEqual(frappe.db.get_single_value("Key Account Settings", "grade_b_within_days"), 90)


class TestDailyRegrade(FunnelTestCase):
	def test_grades_follow_the_dates(self):
		frappe.set_user(KAM)
		nearer = make_opportunity(days=40, probability=80)  # B today; in 15 days: 25 days out, A
		passed = make_opportunity(days=10, probability=80)  # A today; in 15 days the date has passed, D
		steady = make_opportunity(days=100, probability=40)  # C today; in 15 days 85 days at 40 %: C
		overridden = make_opportunity(
			days=100,
			probability=80,
			kam_grade_override="A",
			kam_grade_override_reason="Framework agreement",
			kam_grade_override_until=add_days(today(), 5),
		)  # A by override, computed C; at the run the override has ended and 85 days at 80 % is B
		lost = make_opportunity(days=10, status="Lost")  # not open: not graded
		frappe.set_user("Administrator")
		summary = regrade_open_opportunities(as_of=add_days(today(), 15), batch_size=2)
		grades = {
			name: frappe.db.get_value("Opportunity", name, ["kam_grade", "kam_grade_override"])
			for name in (nearer.name, passed.name, steady.name, overridden.name, lost.name)
		}
		grades = {name: tuple(value or None for value in values) for name, values in grades.items()}
		self.assertEqual(grades[nearer.name], ("A", None))
		self.assertEqual(grades[passed.name], ("D", None))
		self.assertEqual(grades[steady.name], ("C", None))
		self.assertEqual(grades[overridden.name], ("B", None))
		self.assertEqual(grades[lost.name], (None, None))
		self.assertGreaterEqual(summary["changed"], 3)
		self.assertGreaterEqual(summary["overrides_expired"], 1)
		history = frappe.get_all(
			"Opportunity Grade History",
			filters={"parent": ("in", [nearer.name, passed.name, steady.name, overridden.name])},
			fields=["parent", "from_grade", "to_grade", "source"],
			order_by="idx",
		)
		by_job = {(h.parent, h.from_grade, h.to_grade) for h in history if h.source == "Daily Job"}
		self.assertEqual(
			by_job,
			{(nearer.name, "B", "A"), (passed.name, "A", "D"), (overridden.name, "A", "B")},
		)
		# the job's rows follow the form's in the child table
		doc = frappe.get_doc("Opportunity", nearer.name)
		self.assertEqual([h.to_grade for h in doc.kam_grade_history], ["B", "A"])
		# a second run on the same day changes nothing
		again = regrade_open_opportunities(as_of=add_days(today(), 15))
		self.assertEqual(again["changed"], 0)

	def test_opportunities_join_their_customers_key_account(self):
		customer = f.make_customer("KAM-Funnel-Late-Profile")
		early = make_opportunity(customer)  # no profile yet: no key account
		self.assertFalse(early.kam_key_account)
		f.make_profile(customer, account_manager=KAM)
		self.assertEqual(frappe.db.get_value("Opportunity", early.name, "kam_key_account"), customer)
		# one that lost its link (made before the app, say) is linked again by the daily job
		frappe.db.set_value("Opportunity", early.name, "kam_key_account", None)
		regrade_open_opportunities()
		self.assertEqual(frappe.db.get_value("Opportunity", early.name, "kam_key_account"), customer)

	def test_the_sql_prefilter_grades_like_the_core_rule(self):
		"""The job lets MariaDB leave out the rows whose grade stays; its SQL must give core.grade's
		answer on every edge of the bands, or a moving grade would be missed."""
		from key_account_management.core import funnel as core
		from key_account_management.funnel.jobs import grade_sql

		for bands in (
			core.DEFAULT_BANDS,
			(core.GradeBand("A", 0, 100), core.GradeBand("B", 7, 90), core.GradeBand("C", 3650, 0)),
		):
			expression, params = grade_sql(bands)
			as_of = getdate(today())
			for days in (None, -1, 0, 1, 7, 8, 29, 30, 31, 89, 90, 91, 179, 180, 181, 400, 3650, 3651):
				for likelihood in (None, 0, 19.99, 20, 49.99, 50, 69.99, 70, 89.999999999, 90, 100):
					close = add_days(as_of, days) if days is not None else None
					(answer,) = frappe.db.sql(
						f"""select {expression} from (select cast(%(close)s as date) as expected_closing,
							cast(%(likelihood)s as decimal(21, 9)) as kam_likelihood) t""",
						{**params, "as_of": as_of, "close": close, "likelihood": likelihood},
					)[0]
					self.assertEqual(
						answer, core.grade(days, likelihood, bands), (bands[0], days, likelihood)
					)


class TestOpportunityAccess(FunnelTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user(KAM)
		cls.own = make_opportunity(OWN).name
		frappe.set_user(COLLEAGUE)
		cls.other = make_opportunity(OTHER).name
		frappe.set_user("Administrator")

	def test_manager_sees_only_their_accounts_opportunities(self):
		from frappe.desk.reportview import get_count
		from frappe.desk.search import search_link

		def count(names):
			frappe.local.form_dict = frappe._dict(
				doctype="Opportunity", filters=frappe.as_json({"name": ["in", names]})
			)
			return get_count()

		frappe.set_user(KAM)
		listed = set(frappe.get_list("Opportunity", pluck="name", limit_page_length=0))
		self.assertIn(self.own, listed)
		self.assertNotIn(self.other, listed)
		for ptype in ("read", "write"):
			self.assertTrue(frappe.has_permission("Opportunity", ptype, doc=self.own, user=KAM))
			self.assertFalse(frappe.has_permission("Opportunity", ptype, doc=self.other, user=KAM))
		self.assertEqual(count([self.own, self.other]), 1)
		found = {row["value"] for row in search_link("Opportunity", "", page_length=100) or []}
		self.assertNotIn(self.other, found)
		self.assertRaises(
			frappe.PermissionError, frappe.get_doc("Opportunity", self.other).check_permission, "read"
		)
		from frappe.client import get as client_get

		self.assertRaises(frappe.PermissionError, client_get, "Opportunity", self.other)

	def test_child_tables_follow_their_opportunity(self):
		"""The milestone, stage and grade rows listed on their own (REST ?parent=Opportunity) show a
		manager only those of their accounts' opportunities."""
		frappe.set_user(KAM)
		for child in ("Opportunity Milestone", "Opportunity Stage History", "Opportunity Grade History"):
			parents = set(
				frappe.get_list(child, parent_doctype="Opportunity", pluck="parent", limit_page_length=0)
			)
			self.assertIn(self.own, parents, child)
			self.assertNotIn(self.other, parents, child)

	def test_manager_cannot_create_for_or_take_over_another_account(self):
		frappe.set_user(KAM)
		self.assertRaises(frappe.PermissionError, make_opportunity, OTHER)
		doc = frappe.get_doc("Opportunity", self.other)
		doc.party_name = OWN  # would move the colleague's opportunity onto the manager's account
		self.assertRaises(frappe.PermissionError, doc.save)
		self.assertEqual(frappe.db.get_value("Opportunity", self.other, "party_name"), OTHER)

	def test_director_and_erpnext_sales_users_see_everything(self):
		for user in (DIRECTOR, SALES, "Administrator"):
			frappe.set_user(user)
			listed = set(frappe.get_list("Opportunity", pluck="name", limit_page_length=0))
			self.assertTrue({self.own, self.other} <= listed, user)

	def test_a_manager_who_is_also_a_sales_user_keeps_erpnext_access(self):
		user = f.make_user("kam.funnel.both@example.com", "Key Account Manager", "Sales User")
		frappe.set_user(user)
		listed = set(frappe.get_list("Opportunity", pluck="name", limit_page_length=0))
		self.assertTrue({self.own, self.other} <= listed)

	def test_report_and_pipeline_show_a_manager_their_accounts_only(self):
		from frappe.desk.query_report import run

		frappe.set_user(KAM)
		result = run("Key Account Funnel", {"group_by": "Key Account"})
		self.assertEqual({row["key_account"] for row in result["result"]}, {OWN})
		from key_account_management.funnel.pipeline import get_account_pipeline

		self.assertRaises(frappe.PermissionError, get_account_pipeline, OTHER)
		self.assertEqual(get_account_pipeline(OWN)["funnel"]["count"], 1)


class TestReportAndPipeline(FunnelTestCase):
	"""Twelve opportunities of two accounts, counted by hand."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_funnel_settings(funnel_min_amount=1000)
		frappe.set_user(KAM)
		reason = {"kam_stage_change_reason": "test set-up"}

		def at(stage, **fields):
			return make_opportunity(sales_stage=stage, **reason, **fields)

		cls.own = [
			at("Development", days=10, probability=80, amount=10000),  # A, open at Development
			at("Development", days=45, probability=60, amount=20000),  # B, open
			at("Entry", days=40, probability=50, amount=30000),  # B, open at Entry
			at("Proposal", days=100, probability=30, amount=40000),  # C, open at Proposal
			at("Negotiation", days=20, probability=90, amount=50000, status="Converted"),  # won
			at("Bidding", days=20, probability=90, amount=60000, status="Lost"),  # lost at Bidding
			at("Development", days=None, probability=50, amount=500),  # small order: outside the funnel
			at(
				"Entry",
				days=60,
				probability=70,
				amount=5000,
				kam_not_pursued=1,
				kam_not_pursued_reason="no budget",
			),
		]
		frappe.set_user(COLLEAGUE)
		cls.other = [
			make_opportunity(OTHER, sales_stage="Implementation", amount=70000, status="Converted", **reason),
			make_opportunity(OTHER, sales_stage="Entry", days=15, probability=70, amount=80000, **reason),
		]
		frappe.set_user("Administrator")

	def run_report(self, **filters):
		from key_account_management.key_account_management.report.key_account_funnel.key_account_funnel import (
			execute,
		)

		return execute({"company": f.COMPANY, "key_account": OWN, **filters})

	def test_funnel_counts_and_conversion_equal_a_hand_count(self):
		frappe.set_user(DIRECTOR)
		columns, data, _msg, chart, summary = self.run_report()
		by_stage = {row["stage"]: row for row in data}
		# OWN, small order left out: 7 opportunities. Furthest stage reached: Development ×2, Entry ×2
		# (one not pursued), Proposal, Bidding (lost), Negotiation (won).
		# Reached: Development 7, Entry 5, Proposal 3, Bidding 2, Negotiation 1, Implementation 0; won 1
		self.assertEqual([by_stage[s]["reached"] for s in (*STAGES, "Won")], [7, 5, 3, 2, 1, 0, 1])
		self.assertAlmostEqual(by_stage["Development"]["conversion"], 5 / 7 * 100)
		self.assertAlmostEqual(by_stage["Entry"]["conversion"], 60.0)
		self.assertAlmostEqual(by_stage["Bidding"]["conversion"], 50.0)
		self.assertIsNone(by_stage["Implementation"]["conversion"])  # 0 reached
		self.assertAlmostEqual(by_stage["Proposal"]["per_ten_leads"], 3 / 7 * 10)
		self.assertEqual(
			[by_stage[s]["rule_of_thumb"] for s in (*STAGES, "Won")], [10, 5, 3, None, None, None, 1]
		)
		# value reached at Entry: 30000 + 40000 + 50000 + 60000 + 5000
		self.assertEqual(by_stage["Entry"]["reached_value"], 185000)
		# open now at Development: 10000 at 80 % + 20000 at 60 % = 8000 + 12000 weighted
		self.assertEqual(
			(by_stage["Development"]["open_count"], by_stage["Development"]["weighted"]), (2, 20000)
		)
		# Entry: only the pursued one, 30000 at 50 %
		self.assertEqual((by_stage["Entry"]["open_count"], by_stage["Entry"]["weighted"]), (1, 15000))
		self.assertEqual(chart["data"]["datasets"][0]["values"], [7, 5, 3, 2, 1, 0, 1])
		self.assertEqual(summary[1]["value"], 1)  # won

	def test_forecast_per_month_equals_a_hand_count(self):
		frappe.set_user(DIRECTOR)
		_c, data, _m, chart, summary = self.run_report(
			view="Forecast", from_date=today(), to_date=add_months(today(), 12)
		)
		# open and pursued: 10000@80 (10 d), 20000@60 (45 d), 30000@50 (40 d), 40000@30 (100 d),
		# and the small order 500@50 without a date
		expected: dict[str, float] = {}
		for days, amount, likelihood in ((10, 10000, 80), (45, 20000, 60), (40, 30000, 50), (100, 40000, 30)):
			month = getdate(add_days(today(), days)).strftime("%Y-%m")
			expected[month] = expected.get(month, 0) + amount * likelihood / 100
		got = {row["month"]: row["weighted"] for row in data if row["month"] != "No Close Date"}
		self.assertEqual(got, expected)
		no_date = next(row for row in data if row["month"] == "No Close Date")
		self.assertEqual(
			(no_date["outside_count"], no_date["weighted_outside"], no_date["weighted"]), (1, 250, 250)
		)
		# 8000 + 12000 + 15000 + 12000 + 250
		self.assertEqual(summary[1]["value"], 47250)

	def test_grouped_by_manager(self):
		frappe.set_user(DIRECTOR)
		from key_account_management.key_account_management.report.key_account_funnel.key_account_funnel import (
			execute,
		)

		_c, data, *_ = execute({"company": f.COMPANY, "group_by": "Account Manager"})
		won = {row["account_manager"]: row["reached"] for row in data if row["stage"] == "Won"}
		self.assertEqual((won.get(KAM), won.get(COLLEAGUE)), (1, 1))
		implementation = {
			row["account_manager"]: row["reached"] for row in data if row["stage"] == "Implementation"
		}
		self.assertEqual(implementation.get(COLLEAGUE), 1)

	def test_profile_pipeline(self):
		from key_account_management.funnel.pipeline import get_account_pipeline

		f.make_role(OWN, f.make_contact("Funnel Buyer", OWN), "Purchaser")
		frappe.set_user(KAM)
		pipeline = get_account_pipeline(OWN)
		# open, pursued, in the funnel: grades A (10000), B (20000, 30000), C (40000)
		self.assertEqual(
			{
				g: (b["count"], b["value"], b["weighted"])
				for g, b in pipeline["by_grade"].items()
				if b["count"]
			},
			{"A": (1, 10000, 8000), "B": (2, 50000, 27000), "C": (1, 40000, 12000)},
		)
		self.assertEqual(pipeline["by_stage"]["Development"]["count"], 2)
		self.assertEqual(pipeline["outside"], {"count": 1, "value": 500, "weighted": 250})
		self.assertEqual(pipeline["forecast"], 47250)
		# the buying center has no decision maker, and two opportunities are at entry or later
		self.assertFalse(pipeline["decision_maker_known"])
		self.assertEqual(pipeline["need_decision_maker"], 2)
		entry = next(o for o in pipeline["opportunities"] if o["stage"] == "Entry")
		self.assertEqual(
			(entry["next_stage"], entry["next_milestone"]),
			("Entry", "Organisation, roles and key people known"),
		)
