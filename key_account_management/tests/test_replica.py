"""Every read path of the app on a MariaDB replica (README "Scaling out", issue 31).

With the site's replica up (``scripts/dev-bench replica up``: ``read_from_replica``, ``replica_host``,
``replica_db_port`` in site_config.json), as a key account manager, a director and an approver, each
holding only that role: replication is stopped, canary rows are committed on the primary (a profile, a
contact and a buying-center role whose names carry a marker), and every read path is called: each of the
app's whitelisted ``@frappe.read_only()`` endpoints (found by walking the package, so endpoints added
later are covered), the app's reports through ``frappe.desk.query_report.run``, and the workspace's
number cards and charts as the desk asks for them. Each must run every one of its queries on the replica
(port ``replica_db_port``), answer without the canary's marker, and fail with nothing but a refusal (a
write on the read-only replica fails). Replication is then started again and the canary must arrive.

Every whitelisted endpoint of the app is accounted for: read-only, POST-only, a core endpoint's override
as read-only as the core one, or a GET-able write named in WRITES. Without a replica the module is
skipped: "skipped: no replica".
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import sys
import time
import unittest
import uuid
from contextlib import contextmanager

import frappe
import pymysql
from frappe.database.database import Database
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, today

import key_account_management
from key_account_management.access.roles import (
	HOSPITALITY_APPROVER,
	KEY_ACCOUNT_DIRECTOR,
	KEY_ACCOUNT_MANAGER,
)
from key_account_management.tests import factories as f

PREFIX = "Replica Test"
ACCOUNT = f"{PREFIX} Account"
USERS = {
	KEY_ACCOUNT_MANAGER: "replica.manager@example.com",
	KEY_ACCOUNT_DIRECTOR: "replica.director@example.com",
	HOSPITALITY_APPROVER: "replica.approver@example.com",
}
# whitelisted endpoints of the app that the desk may call with GET and that write: they stay on the primary
WRITES = {
	"key_account_management.relationship.profile.confirm_suggested_stage",
	"key_account_management.relationship.profile.make_todo",
	"key_account_management.relationship.stages.set_stage_ranges",
}
# read paths that also write, through Frappe's @frappe.write_only() on the primary (as Frappe means them to)
WRITES_ON_PRIMARY = {
	# Frappe's export writes an Access Log (frappe.core.doctype.access_log.access_log.make_access_log)
	"key_account_management.access.overrides.reportview_export_query",
}
# the code object every @frappe.read_only() wrapper shares
READ_ONLY_CODE = frappe.read_only()(lambda: None).__code__
# what a read path may answer instead of its data: a refusal, or bad default filters of a report
REFUSALS = (frappe.PermissionError, frappe.DoesNotExistError, frappe.ValidationError)


def replica_conf() -> dict | None:
	"""The site's replica, whether or not its reads go there now: `scripts/dev-bench ci` keeps
	read_from_replica at 0 while the suites run (they read their own uncommitted writes, and every
	process Frappe starts re-reads site_config.json); this module turns it on for itself."""
	conf = frappe.get_site_config()
	if not (conf.get("replica_host") and conf.get("replica_db_port")):
		return None
	return conf


def replica_root(primary: bool = False):
	"""The replica (or the primary) as its root, with the bench's root password: stops and starts
	replication, reads the binary log's position."""
	conf = frappe.get_site_config()
	return pymysql.connect(
		host=conf.get("db_host") or "127.0.0.1" if primary else conf["replica_host"],
		port=int(conf.get("db_port") or 3306) if primary else int(conf["replica_db_port"]),
		user="root",
		password=os.environ.get("KAM_DB_ROOT_PASSWORD") or frappe.conf.root_password or "root",
		database=conf["db_name"],
		autocommit=True,
		connect_timeout=3,
	)


def is_read_only(fn) -> bool:
	"""Whether ``fn`` is, or wraps (frappe.whitelist wraps it to validate argument types), a
	@frappe.read_only() function."""
	while fn is not None:
		if getattr(fn, "__code__", None) is READ_ONLY_CODE:
			return True
		fn = getattr(fn, "__wrapped__", None)
	return False


def app_endpoints() -> dict[str, object]:
	"""Every whitelisted function of the app, by the dotted path the desk calls."""
	for module in pkgutil.walk_packages(key_account_management.__path__, "key_account_management."):
		if ".tests" in module.name or ".patches" in module.name or module.name.endswith(".hooks"):
			continue
		try:
			importlib.import_module(module.name)
		except Exception:  # a module of another capability half-written: its endpoints are not served either
			continue
	found: dict[int, tuple[str, object]] = {}
	for fn in frappe.whitelisted:
		if not (getattr(fn, "__module__", "") or "").startswith("key_account_management."):
			continue
		found[id(fn)] = ("", fn)
	for name, module in list(sys.modules.items()):
		if not name.startswith("key_account_management.") or module is None:
			continue
		for attr, value in list(vars(module).items()):
			if id(value) in found and (not found[id(value)][0] or value.__module__ == name):
				found[id(value)] = (f"{name}.{attr}", value)
	return {path: fn for path, fn in found.values() if path}


def overridden_core() -> dict[str, str]:
	"""The app's override of a core endpoint -> the core endpoint (hooks.py override_whitelisted_methods)."""
	overrides = frappe.get_hooks("override_whitelisted_methods") or {}
	return {
		app_path[-1]: core
		for core, app_path in overrides.items()
		if not core.startswith("key_account_management.")
	}


@contextmanager
def queries():
	"""Each SQL statement run meanwhile, with the port of the server it ran on."""
	seen: list[tuple[int, str]] = []
	original = Database.sql

	def sql(self, query, *args, **kwargs):
		seen.append((int(self.port or 3306), str(query)[:160]))
		return original(self, query, *args, **kwargs)

	Database.sql = sql
	try:
		yield seen
	finally:
		Database.sql = original


def forget_replica_connection() -> None:
	# frappe.connect_replica connects once per frappe.local (a request, a job); in this one process each
	# read path is a request of its own
	for attr in ("replica_db", "primary_db"):
		if hasattr(frappe.local, attr):
			delattr(frappe.local, attr)


class TestReplica(FrappeTestCase):
	"""Its records are committed (the replica sees only what is): no savepoint per test."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		conf = replica_conf()
		if not conf:
			raise unittest.SkipTest("skipped: no replica")
		try:
			replica_root().close()
		except pymysql.MySQLError as e:
			raise unittest.SkipTest(f"skipped: no replica (configured, not answering: {e})") from e
		cls.port = int(conf["replica_db_port"])
		frappe.set_user("Administrator")
		f.remove_customers(PREFIX)
		f.make_users({role: (user,) for role, user in USERS.items()})
		f.make_accounts({ACCOUNT: USERS[KEY_ACCOUNT_MANAGER]})
		cls.contact = f.make_contact("Replica Buyer", ACCOUNT)
		f.make_role(ACCOUNT, cls.contact, "Decision Maker")
		frappe.db.commit()
		frappe.local.conf.read_from_replica = 1
		frappe.local.conf.replica_host = conf["replica_host"]
		frappe.local.conf.replica_db_port = cls.port
		cls.calls = 0

	@classmethod
	def tearDownClass(cls):
		frappe.local.conf.read_from_replica = 0
		forget_replica_connection()
		frappe.set_user("Administrator")
		f.remove_customers(PREFIX)
		f.forget_users(list(USERS.values()))
		super().tearDownClass()

	def tearDown(self):
		forget_replica_connection()
		frappe.set_user("Administrator")

	# ---------------------------------------------------------------------------------------------
	# replication

	def replica_sql(self, query, values=None):
		with replica_root() as conn, conn.cursor() as cursor:
			cursor.execute(query, values)
			return cursor.fetchall()

	def caught_up(self) -> None:
		"""Wait until the replica has applied everything the primary has committed so far."""
		with replica_root(primary=True) as conn, conn.cursor() as cursor:
			cursor.execute("show master status")
			log_file, position = cursor.fetchone()[:2]
		applied = self.replica_sql("select master_pos_wait(%s, %s, 60)", (log_file, position))[0][0]
		self.assertIsNotNone(applied, "replication is not running")
		self.assertNotEqual(applied, -1, "the replica did not catch up within 60 s")

	def on_replica(self, doctype: str, name: str) -> bool:
		return bool(self.replica_sql(f"select count(*) from `tab{doctype}` where name = %s", (name,))[0][0])

	@contextmanager
	def replication_stopped(self):
		self.replica_sql("stop slave")
		try:
			yield
		finally:
			self.replica_sql("start slave")

	def write_canary(self, marker: str) -> dict:
		"""A profile managed by the manager, a contact of the account and its buying-center role, committed
		on the primary: names carry ``marker``."""
		frappe.set_user("Administrator")
		customer = f"{PREFIX} {marker}"
		f.make_accounts({customer: USERS[KEY_ACCOUNT_MANAGER]})
		contact = f.make_contact(marker, ACCOUNT)
		role = f.make_role(ACCOUNT, contact, "Influencer", hobbies=marker)
		frappe.db.commit()
		return {"Key Account Profile": customer, "Contact": contact, "Buying Center Role": role.name}

	# ---------------------------------------------------------------------------------------------
	# the read paths

	def arguments(self, path: str, fn) -> dict:
		"""The arguments the desk would pass, by parameter name, for the test account."""
		recipes = {
			"key_account_management.hospitality.api.get_limit_preview": {
				"doc": json.dumps(
					{
						"key_account": ACCOUNT,
						"request_type": "Meal",
						"planned_date": today(),
						"estimated_amount": 100,
						"recipients": [{"contact": self.contact, "amount": 100}],
					}
				)
			},
			"key_account_management.access.overrides.reportview_get_sidebar_stats": {
				"stats": json.dumps(["_assign"]),
				"doctype": "Key Account Profile",
			},
			"key_account_management.access.overrides.reportview_get_stats": {
				"stats": json.dumps(["_assign"]),
				"doctype": "Key Account Profile",
			},
		}
		if path == "key_account_management.access.workspace.widget_docs":
			workspace = frappe.get_doc("Workspace", "Key Accounts")
			pairs = [["Number Card", row.number_card_name] for row in workspace.number_cards]
			pairs += [["Dashboard Chart", row.chart_name] for row in workspace.charts]
			return {"names": json.dumps(pairs)}
		if path in recipes:
			return recipes[path]
		by_name = {
			"key_account": ACCOUNT,
			"profile": ACCOUNT,
			"customer": ACCOUNT,
			"contact": self.contact,
			"company": f.COMPANY,
			"doctype": "Key Account Profile",
		}
		args = {}
		for name, param in inspect.signature(inspect.unwrap(fn)).parameters.items():
			if name in by_name:
				args[name] = by_name[name]
			elif param.default is inspect.Parameter.empty and param.kind not in (
				param.VAR_POSITIONAL,
				param.VAR_KEYWORD,
			):
				self.fail(f"test_replica: no argument for {path}({name}): add it to arguments()")
		return args

	def read_paths(self) -> list[tuple[str, object]]:
		"""(label, call) for every read path; ``call()`` answers what the desk would get."""
		from frappe.desk.query_report import run

		from key_account_management.charts import dashboard_chart_get, number_card_result

		paths = []
		for path, fn in sorted(app_endpoints().items()):
			# the two core cards' and charts' methods are called for each card and chart, below
			if not is_read_only(fn) or path in (
				"key_account_management.charts.number_card_result",
				"key_account_management.charts.dashboard_chart_get",
			):
				continue
			args = self.arguments(path, fn)
			if path.startswith("key_account_management.access.overrides.reportview_"):
				form = {"doctype": "Key Account Profile", "fields": json.dumps(["name", "customer"])}
				if path.endswith("export_query"):
					form.update(file_format_type="CSV", title="Key Account Profile")
				paths.append((path, lambda fn=fn, args=args, form=form: self.with_form(fn, args, form)))
			else:
				paths.append((path, lambda fn=fn, args=args: fn(**args)))
		filters = {
			"company": f.COMPANY,
			"from_date": add_months(today(), -3),
			"to_date": today(),
		}
		for report in frappe.get_all("Report", filters={"module": "Key Account Management"}, pluck="name"):
			paths.append((f"report {report}", lambda report=report: run(report, filters=json.dumps(filters))))
		workspace = frappe.get_doc("Workspace", "Key Accounts")
		for row in workspace.number_cards:
			card = frappe.get_doc("Number Card", row.number_card_name)
			# custom cards are app endpoints, above; the workspace shows a card to the roles it is for
			if card.type != "Custom" and frappe.has_permission("Number Card", doc=card):
				paths.append(
					(
						f"number card {card.name}",
						lambda card=card: number_card_result(card.as_json(), card.filters_json or "[]"),
					)
				)
		roles = set(frappe.get_roles())
		for row in workspace.charts:
			chart = frappe.get_doc("Dashboard Chart", row.chart_name)
			shown = not chart.roles or roles & {r.role for r in chart.roles}
			if chart.chart_type != "Custom" and shown:
				paths.append(
					(
						f"chart {row.chart_name}",
						lambda name=row.chart_name: dashboard_chart_get(chart_name=name, refresh=1),
					)
				)
		return paths

	@staticmethod
	def with_form(fn, args, form):
		frappe.local.form_dict = frappe._dict(form)
		try:
			return fn(**args)
		finally:
			frappe.local.form_dict = frappe._dict()

	def call_on_replica(self, label: str, call, marker: str) -> str:
		"""Run one read path; assert it read only the replica, did not see ``marker`` and wrote nothing.
		Returns how it answered ("data" or the refusal's class)."""
		forget_replica_connection()
		frappe.clear_messages()
		with queries() as seen:
			try:
				result, outcome = call(), "data"
			except REFUSALS as e:
				result, outcome = None, type(e).__name__
			except Exception as e:
				self.fail(f"{label} as {frappe.session.user} failed on the replica: {e!r}")
		frappe.clear_messages()
		self.calls += 1
		on_primary = [query for port, query in seen if port != self.port]
		if label in WRITES_ON_PRIMARY:
			self.assertTrue(
				outcome != "data" or len(on_primary) < len(seen),
				f"{label} as {frappe.session.user} did not read the replica: {outcome} {seen}",
			)
		else:
			self.assertEqual(on_primary, [], f"{label} as {frappe.session.user} queried the primary")
		if outcome == "data":
			self.assertTrue(seen, f"{label} as {frappe.session.user} ran no query at all")
		self.assertNotIn(marker, json.dumps(result, default=str), f"{label} saw the primary's canary")
		return outcome

	# ---------------------------------------------------------------------------------------------

	def test_every_endpoint_is_read_only_or_a_known_write(self):
		overrides = overridden_core()
		unaccounted = []
		for path, fn in app_endpoints().items():
			if path in overrides:
				core = frappe.get_attr(overrides[path])
				if is_read_only(core):
					self.assertTrue(is_read_only(fn), f"{path} overrides the read-only {overrides[path]}")
				continue
			methods = frappe.allowed_http_methods_for_whitelisted_func.get(fn) or []
			if is_read_only(fn) or methods == ["POST"] or path in WRITES:
				continue
			unaccounted.append(path)
		self.assertEqual(
			unaccounted,
			[],
			"these endpoints answer GET and are neither @frappe.read_only() nor in WRITES (test_replica.py)",
		)

	def test_read_paths_read_the_replica_as_each_role(self):
		answered: dict[str, dict[str, str]] = {}
		self.caught_up()
		for role, user in USERS.items():
			marker = f"canary{uuid.uuid4().hex[:10]}"
			with self.replication_stopped():
				canary = self.write_canary(marker)
				for doctype, name in canary.items():
					self.assertFalse(
						self.on_replica(doctype, name), f"{doctype} {name} reached a stopped replica"
					)
				frappe.set_user(user)
				for label, call in self.read_paths():
					answered.setdefault(label, {})[role] = self.call_on_replica(label, call, marker)
				frappe.set_user("Administrator")
			# replication again: the canary arrives
			deadline = time.monotonic() + 60
			while not all(self.on_replica(doctype, name) for doctype, name in canary.items()):
				self.assertLess(time.monotonic(), deadline, f"the canary {marker} never reached the replica")
				time.sleep(0.2)
		# every read path answered with data for at least one role
		self.assertEqual([label for label, by_role in answered.items() if "data" not in by_role.values()], [])
		for label, by_role in sorted(answered.items()):
			print(f"  on the replica: {label}: " + ", ".join(f"{r} {o}" for r, o in by_role.items()))
		print(
			f"replica test: {len(answered)} read paths x {len(USERS)} roles on the replica "
			f"(port {self.port}), {self.calls} calls, canary held back and then replicated"
		)
