"""A rollup build that did not finish does not feed a reclassification (issue 26, item 2).

Install and migrate build the monthly rollups in batches that commit. When that build is killed (a
deploy's timeout, an OOM kill, a restarted container) the rollups hold some customers and not others,
and the "built" mark is not set. The build runs here in a process of its own that dies (os._exit) once
its first batch has committed; the classes computed afterwards must be the ones the ledger gives: a run
in a request reads the ledger, a run in a background job finishes the build first, a profile's facts
bring that customer's rows to the ledger, and a company-wide read that cannot do either refuses with a
message naming the rebuild (docs/DOMAIN.md §8). The data is committed (the build's process sees nothing
else) and removed again after the class.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt, getdate, today

from key_account_management.classification import rollup
from key_account_management.classification.basis import get_basis_values
from key_account_management.classification.reclassify import reclassify
from key_account_management.classification.rollup_read import complete_rollups
from key_account_management.classification.rollup_rebuild import BUILT_KEY, LOG, is_built
from key_account_management.core.abc_classification import classify
from key_account_management.core.periods import calendar_months
from key_account_management.relationship.facts import load_facts
from key_account_management.settings import get_settings
from key_account_management.tests import factories as f

PREFIX = "KAM-IB-"
CUSTOMERS = [f"{PREFIX}{n}" for n in range(1, 7)]
SERVICE = f"{PREFIX}SERVICE"
# the first batch (two customers) buys little; the four the killed build never reached buy the most,
# so that classes read from the half-built rollups differ from the ledger's
AMOUNTS = dict(zip(CUSTOMERS, (1_000, 2_000, 40_000_000, 30_000_000, 20_000_000, 10_000_000)))
KILLED = 17

# the build, in a process of its own, over this test's customers, killed when its second batch starts:
# by then the first batch has been committed
BUILD = textwrap.dedent(
	"""
	import os, sys
	import frappe

	site, sites_path, company, prefix = sys.argv[1:5]
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	from key_account_management.classification import rollup_rebuild

	every_customer = rollup_rebuild.Rebuild.customers
	rollup_rebuild.Rebuild.customers = lambda self: [c for c in every_customer(self) if c.startswith(prefix)]
	run_batch = rollup_rebuild.Rebuild.run_batch
	batches = []

	def killed_after_the_first_batch(self, customers):
		if batches:
			os._exit(int(os.environ["KILLED"]))
		batches.append(customers)
		return run_batch(self, customers)

	rollup_rebuild.Rebuild.run_batch = killed_after_the_first_batch
	rollup_rebuild.rebuild(company, batch=2)
	"""
)


def remove_fixtures():
	f.remove_customers(PREFIX)


class TestInterruptedRollupBuild(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		remove_fixtures()
		cls.built_before = frappe.db.get_default(BUILT_KEY)
		f.make_item(SERVICE, is_stock_item=0)
		for customer, amount in AMOUNTS.items():
			f.make_customer(customer)
			f.sell(customer, [(SERVICE, 1, amount)], f.days_ago(3), update_stock=0)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		remove_fixtures()
		frappe.db.delete(LOG, {"company": f.COMPANY, "status": "Running"})
		frappe.db.set_default(BUILT_KEY, cls.built_before)
		frappe.db.commit()
		super().tearDownClass()

	def tearDown(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")

	def kill_a_first_build(self):
		"""The site as a first build killed after its first batch leaves it: the mark not set, no
		completed build of the company, rows for the first batch's customers only."""
		frappe.db.set_default(BUILT_KEY, None)
		frappe.db.delete(
			LOG, {"company": f.COMPANY, "from_date": ("is", "not set"), "to_date": ("is", "not set")}
		)
		frappe.db.delete(rollup.ROLLUP, {"company": f.COMPANY, "customer": ("in", CUSTOMERS)})
		frappe.db.commit()
		build = subprocess.run(
			[
				sys.executable,
				"-c",
				BUILD,
				frappe.local.site,
				os.path.abspath(frappe.local.sites_path),
				f.COMPANY,
				PREFIX,
			],
			env={**os.environ, "KILLED": str(KILLED)},
			capture_output=True,
			text=True,
			timeout=600,
		)
		self.assertEqual(build.returncode, KILLED, build.stderr[-3000:])
		frappe.db.commit()  # a fresh snapshot: what the build committed
		stored = {customer for customer, _month in rollup.stored_rows(f.COMPANY, customers=CUSTOMERS)}
		self.assertEqual(stored, set(CUSTOMERS[:2]), "the first batch was committed, the rest never built")
		self.assertFalse(is_built(f.COMPANY))
		self.assertTrue(frappe.db.exists(LOG, {"company": f.COMPANY, "status": "Running"}))

	def ledger_classes(self) -> dict:
		settings = get_settings()
		from_date, to_date = calendar_months(getdate(today()), settings.period_months)
		values = get_basis_values(settings.basis, f.COMPANY, from_date, to_date)
		computed = classify(values, settings.a_threshold, settings.b_threshold)
		return {customer: computed[customer].abc_class for customer in CUSTOMERS}

	def stored_classes(self) -> dict:
		return dict(
			frappe.db.sql("select name, kam_abc_class from tabCustomer where name in %s", [CUSTOMERS])
		)

	def test_a_reclassification_in_a_request_reads_the_ledger(self):
		self.kill_a_first_build()
		expected = self.ledger_classes()
		self.assertEqual(expected[CUSTOMERS[2]], "A")
		reclassify(f.COMPANY)
		self.assertEqual(self.stored_classes(), expected)

	def test_a_reclassification_in_a_job_finishes_the_build_first(self):
		self.kill_a_first_build()
		expected = self.ledger_classes()
		reclassify(f.COMPANY, build_rollups=True)
		self.assertEqual(self.stored_classes(), expected)
		self.assertTrue(is_built(f.COMPANY))
		stored = rollup.stored_rows(f.COMPANY, customers=CUSTOMERS)
		ledger = rollup.from_ledger(f.COMPANY, customers=CUSTOMERS)
		self.assertEqual(set(stored), set(ledger))
		for key in ledger:
			self.assertEqual(rollup.compare(stored[key], ledger[key], 2), [], msg=str(key))

	def test_one_profiles_facts_bring_its_customer_to_the_ledger(self):
		self.kill_a_first_build()
		customer = CUSTOMERS[3]
		facts = load_facts(f.COMPANY, today(), customers=[customer])[customer]
		self.assertAlmostEqual(flt(facts.revenue_this), AMOUNTS[customer], delta=0.01)

	def test_a_company_wide_read_that_cannot_build_refuses_naming_the_rebuild(self):
		self.kill_a_first_build()
		with self.assertRaises(frappe.ValidationError) as refused:
			complete_rollups(f.COMPANY)
		self.assertIn("classification.rollup_rebuild.rebuild", str(refused.exception))
		self.assertIn(f.COMPANY, str(refused.exception))
