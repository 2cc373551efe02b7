"""The night writes only what moved (issue 30, docs/DOMAIN.md §2, §3).

- a profile the reclassification makes for an A customer (set-based, classification/new_profiles.py)
  equals one made by hand, field for field;
- rank, share and cumulative share, no longer stored on the profile, equal an independent ranking of
  the company's invoices, before and after a night with one more invoice;
- the next night writes no profile whose class did not move, and the relationship job no profile
  whose stage, status, health or flags did not move, while the classes, stages, health and the days
  since the last order equal what the profile's own evaluation (its form's save) gives on the same data.
"""

import frappe
from frappe.utils import add_days, getdate, today

from key_account_management.classification.reclassify import reclassify
from key_account_management.core.periods import calendar_months
from key_account_management.relationship.job import evaluate_all_profiles
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

SERVICE = "NW-Service"
ALPHA, BETA, GAMMA, DELTA = "NW-Alpha", "NW-Beta", "NW-Gamma", "NW-Delta"
MANAGER = "nw.manager@example.com"
SKIP = {"name", "creation", "modified", "owner", "modified_by", "changed_on", "parent"}


def settings(**values):
	f.save_settings(
		{
			"company": f.COMPANY,
			"basis": "Net Revenue",
			"period_months": 12,
			"a_threshold": 80,
			"b_threshold": 95,
			"auto_create_profiles": 0,
			**values,
		}
	)


def comparable(value):
	if isinstance(value, float):
		return round(value, 4)
	if isinstance(value, list):
		return [{k: comparable(v) for k, v in row.items() if k not in SKIP} for row in value]
	return value


def ranking_from_invoices() -> dict[str, tuple[int, float, float]]:
	"""{customer: (rank, share %, cumulative share %)} from the company's submitted invoices of the run's
	months, ranked as docs/DOMAIN.md §2 says: highest net revenue first, ties by customer."""
	from_date, to_date = calendar_months(getdate(today()), 12)
	totals = dict(
		frappe.db.sql(
			"""select customer, sum(base_net_total) from `tabSales Invoice`
			where docstatus = 1 and company = %s and posting_date between %s and %s
				and ifnull(is_opening, 'No') = 'No'
			group by customer""",
			(f.COMPANY, from_date, to_date),
		)
	)
	ordered = sorted(totals.items(), key=lambda item: (-float(item[1]), item[0]))
	positive = sum(max(float(v), 0) for _c, v in ordered)
	result, running = {}, 0.0
	for rank, (customer, value) in enumerate(ordered, start=1):
		running += max(float(value), 0)
		result[customer] = (rank, float(value) / positive * 100, running / positive * 100)
	return result


class TestNightWrites(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		settings()
		f.make_item(SERVICE, is_stock_item=0)
		f.make_user(MANAGER, "Key Account Manager")
		for customer in (ALPHA, BETA, GAMMA, DELTA):
			f.make_customer(customer, account_manager=MANAGER)
		# Alpha far ahead, and its last order long enough ago for an interrupted account
		f.sell(ALPHA, [(SERVICE, 1, 900000)], f.days_ago(200), update_stock=0)
		f.sell(BETA, [(SERVICE, 1, 3000)], f.days_ago(20), update_stock=0)
		f.sell(GAMMA, [(SERVICE, 1, 2000)], f.days_ago(10), update_stock=0)
		f.sell(DELTA, [(SERVICE, 1, 2000)], f.days_ago(5), update_stock=0)
		for customer in (BETA, GAMMA, DELTA):
			frappe.get_doc({"doctype": "Key Account Profile", "customer": customer}).insert(
				ignore_permissions=True
			)

	def setUp(self):
		super().setUp()
		settings()

	def assert_standings(self):
		truth = ranking_from_invoices()
		# the test's own accounts, in the company it classifies (another company's profile shows its own)
		for name in frappe.get_all("Key Account Profile", {"name": ("like", "NW-%")}, pluck="name"):
			doc = frappe.get_doc("Key Account Profile", name)
			rank, share, cumulative = truth.get(doc.customer, (0, 0.0, 0.0))
			self.assertEqual(doc.abc_rank, rank, name)
			self.assertAlmostEqual(doc.share_percent, share, places=4, msg=name)
			self.assertAlmostEqual(doc.cumulative_share_percent, cumulative, places=4, msg=name)

	def test_profile_made_set_based_equals_one_made_by_hand(self):
		settings(auto_create_profiles=1, auto_apply_stage=1)
		summary = reclassify(f.COMPANY)
		self.assertGreaterEqual(summary["profiles_created"], 1)
		made = frappe.get_doc("Key Account Profile", ALPHA).as_dict()
		self.assertEqual(made.abc_class, "A")
		self.assertEqual(made.account_manager, MANAGER)
		self.assertEqual(len(made.class_history), 1)

		# the same profile made by hand, as the run made it before: one document insert
		for table in ("Key Account Class History", "Relationship Stage History", "Key Account Playbook Item"):
			frappe.db.delete(table, {"parent": ALPHA, "parenttype": "Key Account Profile"})
		frappe.db.delete("Key Account Profile", {"name": ALPHA})
		frappe.get_doc(
			{
				"doctype": "Key Account Profile",
				"customer": ALPHA,
				"company": made.company,
				"computed_abc_class": made.computed_abc_class,
				"abc_basis": made.abc_basis,
				"basis_value": made.basis_value,
				"abc_as_of": made.abc_as_of,
			}
		).insert(ignore_permissions=True)
		by_hand = frappe.get_doc("Key Account Profile", ALPHA).as_dict()
		for field in sorted((set(made) | set(by_hand)) - SKIP):
			self.assertEqual(comparable(made.get(field)), comparable(by_hand.get(field)), field)

	def test_rank_and_shares_equal_the_invoices_before_and_after_a_night(self):
		reclassify(f.COMPANY)
		self.assert_standings()
		f.sell(GAMMA, [(SERVICE, 1, 5000)], today(), update_stock=0)
		before = dict(frappe.db.sql("select name, modified from `tabKey Account Profile`"))
		summary = reclassify(f.COMPANY)
		self.assert_standings()
		# only Gamma's basis moved (its class did not): one profile written, every other left alone
		self.assertEqual(summary["profiles_updated"], 1)
		after = dict(frappe.db.sql("select name, modified from `tabKey Account Profile`"))
		self.assertEqual({n for n in after if after[n] != before.get(n)}, {GAMMA})
		self.assertEqual(reclassify(f.COMPANY)["profiles_updated"], 0)

	def test_relationship_job_writes_only_what_moved_and_equals_the_form(self):
		reclassify(f.COMPANY)
		evaluate_all_profiles()
		# tomorrow nothing but the calendar moved: no account is written unless its health moved
		fields = ("relationship_stage", "account_status", "health_score", "sow_flag", "buying_center_flags")
		stored = {p.name: p for p in frappe.get_all("Key Account Profile", fields=["name", *fields])}
		summary = evaluate_all_profiles(add_days(today(), 1))
		self.assertLessEqual(summary["updated"], len(stored))
		for name in stored:
			doc = frappe.get_doc("Key Account Profile", name)
			last = frappe.db.get_value("Key Account Profile", name, "last_order_date")
			self.assertEqual(
				doc.days_since_last_order, (getdate(today()) - getdate(last)).days if last else 0
			)
		# the job's figures equal the profile's own evaluation (its form's save) on the same data
		evaluate_all_profiles()
		for name, row in {
			p.name: p for p in frappe.get_all("Key Account Profile", fields=["name", *fields])
		}.items():
			doc = frappe.get_doc("Key Account Profile", name)
			doc.save(ignore_permissions=True)
			for field in fields:
				self.assertEqual(row[field] or None, doc.get(field) or None, f"{name}: {field}")
