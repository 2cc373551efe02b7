"""A site made before the app took one package per capability keeps working after it migrates (issue 25).

What such a site holds that names the app's code: Scheduled Job Types (from the old scheduler_events),
Number Cards whose method is a path, pages cached in browsers that call whitelisted paths, and the hook
paths Frappe reads on every request. Each old path either still resolves, or reaches its new home through
moved_methods.py (override_whitelisted_methods), or is a stored job that migrate's sync takes away."""

from __future__ import annotations

import json
import re
from pathlib import Path

import frappe
from frappe.core.doctype.scheduled_job_type.scheduled_job_type import sync_jobs
from frappe.handler import is_whitelisted

from key_account_management.moved_methods import MOVED_METHODS
from key_account_management.tests.utils import KAMTestCase

APP_DIR = Path(__file__).resolve().parent.parent

# every method path the desk's JavaScript and the app's JSON named before the move (b7588d4)
CALLED_BEFORE = (
	"key_account_management.api.reclassify_customers",
	"key_account_management.buying_center.get_buying_center",
	"key_account_management.buying_center.get_contact_roles",
	"key_account_management.company.get_account_defaults",
	"key_account_management.dashboards.hospitality_pending_my_approval",
	"key_account_management.dashboards.hospitality_spend_vs_budget",
	"key_account_management.funnel.pipeline.get_account_pipeline",
	"key_account_management.hospitality.get_limit_preview",
	"key_account_management.hospitality.set_rejection_reason",
	"key_account_management.key_account_management.dashboard_chart_source.accounts_by_relationship_stage.accounts_by_relationship_stage.get",
	"key_account_management.key_account_management.dashboard_chart_source.customers_by_abc_class.customers_by_abc_class.get",
	"key_account_management.relationship.confirm_suggested_stage",
	"key_account_management.relationship.get_stage_ranges",
	"key_account_management.relationship.make_todo",
	"key_account_management.relationship.set_stage_ranges",
	"key_account_management.roles.customers.customer_basics",
)
# the scheduler's paths before the move: stored as Scheduled Job Types on every site that had the app
SCHEDULED_BEFORE = (
	("key_account_management.classification.jobs.scheduled_reclassification", "Daily Long"),
	("key_account_management.classification.rollup_rebuild.scheduled_rebuild", "Weekly Long"),
	("key_account_management.funnel.jobs.scheduled_regrade", "Daily Long"),
	("key_account_management.relationship_job.scheduled_evaluation", "Daily Long"),
	("key_account_management.visits.notify_overdue_visits", "Daily Long"),
)
# a method path is a quoted string (a JS namespace like key_account_management.reports.formatter is not)
PATH = re.compile(r"""["'`](key_account_management(?:\.[a-z_0-9]+){2,})["'`]""")


def through_overrides(path: str) -> str:
	"""The path frappe.handler.execute_cmd runs for ``path`` (the last override hook wins)."""
	overrides = frappe.get_hooks("override_whitelisted_methods", {}).get(path, [])
	return overrides[-1] if overrides else path


def resolves_whitelisted(path: str) -> bool:
	method = frappe.get_attr(through_overrides(path))
	is_whitelisted(method)  # raises PermissionError when it is not
	return callable(method)


def hook_paths(value):
	if isinstance(value, str):
		if value.startswith("key_account_management."):
			yield value
	elif isinstance(value, dict):
		for item in value.values():
			yield from hook_paths(item)
	elif isinstance(value, list | tuple):
		for item in value:
			yield from hook_paths(item)


class TestMovedPaths(KAMTestCase):
	def test_every_path_called_before_still_answers(self):
		for path in CALLED_BEFORE:
			with self.subTest(path=path):
				self.assertTrue(resolves_whitelisted(path))

	def test_every_alias_reaches_a_whitelisted_method(self):
		for old, new in MOVED_METHODS.items():
			with self.subTest(old=old):
				self.assertEqual(through_overrides(old), new)
				self.assertTrue(resolves_whitelisted(old))

	def test_every_path_the_app_names_today_resolves(self):
		"""Paths in the app's JavaScript, JSON and HTML (number cards, charts, pages) and its hooks."""
		named = set()
		for pattern in ("**/*.js", "**/*.json", "**/*.html"):
			for path in APP_DIR.glob(pattern):
				if "node_modules" in path.parts or "tests" in path.parts:
					continue
				named.update(PATH.findall(path.read_text(encoding="utf-8")))
		# JS namespaces and module names, not methods
		named = {
			path for path in named if not path.startswith("key_account_management.key_account_management.")
		}
		named = {path for path in named if "." in path.removeprefix("key_account_management.")}
		for path in sorted(named):
			with self.subTest(path=path):
				self.assertTrue(resolves_whitelisted(path))

		app_hooks = frappe.get_hooks(app_name="key_account_management")
		for path in sorted(set(hook_paths(dict(app_hooks)))):
			if path.endswith("rollup_events") or path.count(".") < 2:
				continue
			with self.subTest(hook=path):
				self.assertTrue(callable(frappe.get_attr(path)))

	def test_stored_number_cards_and_charts_resolve(self):
		for card in frappe.get_all(
			"Number Card",
			filters={"module": "Key Account Management", "type": "Custom"},
			fields=["name", "method"],
		):
			with self.subTest(card=card.name):
				self.assertTrue(resolves_whitelisted(card.method))
		for source in frappe.get_all("Dashboard Chart Source", filters={"module": "Key Account Management"}):
			with self.subTest(source=source.name):
				module = frappe.get_module_path("Key Account Management")
				folder = Path(module) / "dashboard_chart_source" / frappe.scrub(source.name)
				self.assertTrue((folder / f"{frappe.scrub(source.name)}.py").exists())

	def test_migrate_drops_the_old_scheduled_jobs_and_runs_the_new(self):
		# a site on the commit before holds the old paths as Scheduled Job Types
		for method, frequency in SCHEDULED_BEFORE:
			if not frappe.db.exists("Scheduled Job Type", {"method": method}):
				frappe.get_doc(
					{"doctype": "Scheduled Job Type", "method": method, "frequency": frequency}
				).insert(ignore_permissions=True)
		sync_jobs()
		stored = frappe.get_all(
			"Scheduled Job Type", filters={"method": ("like", "key_account_management.%")}, pluck="method"
		)
		scheduled = {
			path for paths in frappe.get_hooks("scheduler_events").values() for path in hook_paths(paths)
		}
		self.assertEqual(
			set(stored), {path for path in scheduled if path.startswith("key_account_management.")}
		)
		for method in stored:
			with self.subTest(job=method):
				self.assertTrue(callable(frappe.get_attr(method)))

	def test_the_alias_list_is_plain_data(self):
		source = (APP_DIR / "moved_methods.py").read_text(encoding="utf-8")
		self.assertNotIn("import frappe", source)
		self.assertEqual(json.loads(json.dumps(MOVED_METHODS)), MOVED_METHODS)
