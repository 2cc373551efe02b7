"""Privacy against the whole whitelisted surface: not a list of known leaks, an enumeration.

Another manager's account (VIC) is built with every text field of its records, their child rows and the
core rows about them (comments, ToDos, versions, workflow actions) holding a unique canary. Then, as a
Key Account Manager of another account (and as a Hospitality Approver), every whitelisted method of
Frappe, ERPNext and the app that takes a doctype or a document is called against the victim's records
of every app DocType and child DocType, through frappe.handler.execute_cmd as a request would reach it
(override hooks, whitelist and HTTP method checks included). An answer leaks when it

- contains a canary the caller did not send,
- differs from the answer for a record that does not exist (the call told something about the record:
  a count, a group, a link, a state), or
- changed the victim's records, their rows, their contacts or what is in their account.

Then the verbs the issue names are taken one by one over REST with real logged-in sessions: read,
count and group-by with a filter on each field, linked-with, export, print, docinfo, write, move,
delete, submit, cancel, amend, workflow.
"""

from __future__ import annotations

import inspect
import json
import re
import time
from urllib.parse import quote

import frappe
from frappe.tests.test_api import FrappeAPITestCase

from key_account_management.access.rules import CHILD_DOCTYPES, REFERENCES, ROW_RULES, parents_of
from key_account_management.tests import factories as f
from key_account_management.tests import privacy_probe as probe
from key_account_management.tests.utils import RealSessions

# arguments by name: what a caller passes to point a method at a record
DOCTYPE_ARGS = {
	"doctype",
	"dt",
	"doc_type",
	"reference_doctype",
	"ref_doctype",
	"document_type",
	"parent_doctype",
	"parenttype",
	"link_doctype",
	"from_doctype",
	"source_doctype",
	"reference_type",
	"share_doctype",
	"attached_to_doctype",
}
NAME_ARGS = {
	"name",
	"docname",
	"dn",
	"doc_name",
	"reference_name",
	"ref_docname",
	"document_name",
	"link_name",
	"source_name",
	"share_name",
	"attached_to_name",
	"old_name",
}
NAMES_ARGS = {"docnames", "names", "items", "document_names"}
DOC_ARGS = {"doc", "document", "source_doc"}
DOCS_ARGS = {"docs"}
FILTER_ARGS = {"filters", "current_filters"}
POINTING = DOCTYPE_ARGS | NAME_ARGS | NAMES_ARGS | DOC_ARGS | DOCS_ARGS | FILTER_ARGS | {"parent", "args"}
# the values tried for an argument called "action" (bulk submit / cancel / update, workflow actions)
ACTIONS = ("update", "submit", "cancel", "delete", "Approve", "Submit for Approval")
# methods that only say whether a name exists (Frappe answers 404 / 403 alike everywhere): names are not
# what the app keeps private, the records behind them are (docs/SECURITY.md)
EXISTENCE_ONLY = {
	"frappe.client.validate_link",
	"frappe.client.has_permission",
	"frappe.client.get_doc_permissions",
	"frappe.desk.search.get_link_title",
	"frappe.model.utils.user_settings.get",
	# the users a record is shared with, [] unless the caller may read it
	"frappe.share.get_users",
	# which print settings a doctype's print offers (field metadata, no values)
	"frappe.printing.page.print.print.get_print_settings_to_show",
	# ERPNext's stock ledger preview and supplier scorecard timeline: empty for any record but their own
	"erpnext.controllers.stock_controller.show_stock_ledger_preview",
	"erpnext.buying.doctype.supplier_scorecard.supplier_scorecard.get_timeline_data",
}


# whitelisted methods that match the argument names but read no record, and are left out for what they
# do instead: each call clears the cache of every accounting doctype (ERPNext), slowing all that follows
NOT_ABOUT_RECORDS = {
	"erpnext.accounts.doctype.accounting_dimension.accounting_dimension.disable_dimension",
}


def pointing_params(fn) -> list[inspect.Parameter]:
	try:
		return list(inspect.signature(fn).parameters.values())
	except (TypeError, ValueError):
		return []


def is_pointing(fn) -> bool:
	return any(p.name in POINTING for p in pointing_params(fn))


def arguments(fn, doctype: str, name: str, fixture) -> list[dict]:
	"""The calls that aim ``fn`` at the record ``doctype`` ``name`` (several when it takes an action)."""
	parent = (parents_of(doctype) or [None])[0] if doctype in CHILD_DOCTYPES else None
	text_field = next((field for (dt, _n, field) in fixture.canaries.values() if dt == doctype), "name")
	args: dict = {}
	variants = [{}]
	for param in pointing_params(fn):
		key = param.name
		if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
			continue
		if key in DOCTYPE_ARGS:
			args[key] = parent if key in ("parenttype", "parent_doctype") and parent else doctype
		elif key in NAME_ARGS:
			args[key] = name
		elif key == "parent":
			args[key] = parent or name
		elif key in NAMES_ARGS:
			args[key] = json.dumps([name])
		elif key in DOC_ARGS:
			variants = [{key: doctype}, {key: json.dumps({"doctype": doctype, "name": name})}]
		elif key in DOCS_ARGS:
			args[key] = json.dumps([{"doctype": doctype, "name": name, "docname": name}])
		elif key in FILTER_ARGS:
			args[key] = json.dumps({"name": name})
		elif key == "args":
			args[key] = json.dumps({"doctype": doctype, "name": name, "docname": name})
		elif key in ("fieldname", "field", "fields"):
			args[key] = text_field if key != "fields" else json.dumps(["name", text_field])
		elif key == "action":
			variants = [{key: action} for action in ACTIONS]
		elif key == "data":
			args[key] = json.dumps({"key_account": probe.OWN})
		elif key == "txt":
			args[key] = ""
		elif key == "value":
			args[key] = probe.OWN
		elif key in ("print_format", "format"):
			args[key] = doctype if frappe.db.exists("Print Format", doctype) else None
		elif key == "with_data":
			args[key] = 1
		elif key == "file_format_type":
			args[key] = "CSV"
		elif key == "stats":
			args[key] = json.dumps([text_field])
		elif param.default is inspect.Parameter.empty:
			args[key] = None
	return [{**args, **variant} for variant in variants]


def swap(value, name: str, fake: str):
	if isinstance(value, str):
		return value.replace(name, fake)
	return value


class TestPrivacySurface(RealSessions, FrappeAPITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		probe.clean_up()
		cls.sids: dict[str, str] = {}
		try:
			cls.fx = probe.Fixture().build()
		except Exception:
			probe.clean_up()
			raise

	@classmethod
	def tearDownClass(cls):
		from frappe.sessions import delete_session

		for sid in cls.sids.values():
			delete_session(sid, reason="Test finished")
		probe.clean_up()
		super().tearDownClass()

	def tearDown(self):
		# the data is committed (REST requests read it on their own connection): a test's writes go
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# helpers -------------------------------------------------------------------------------------------

	def targets(self) -> dict[str, str]:
		"""doctype -> one victim record of it, for every app doctype (and child doctype) the data has."""
		return {dt: names[0] for dt, names in self.fx.victim.items() if names}

	def probe_call(
		self, cmd: str, args: dict, user: str, name: str, http_method="POST", compare=True
	) -> list[str]:
		"""The leaks of one call aimed at ``name``, judged against the same call aimed at no record
		(unless ``compare`` is off: a report's name is no record of anyone's)."""
		answer = probe.call(cmd, args, user, self.fx, http_method)
		sent = json.dumps(args)
		leaks = []
		if canaries := probe.leaked_canaries(self.fx, answer, sent):
			leaks.append(
				f"shows {len(canaries)} canaries of {sorted({self.fx.canaries[c][0] for c in canaries})}"
			)
		if answer.changed:
			leaks.append(f"changed the victim's {', '.join(answer.changed)}")
		if compare and answer.ok and cmd not in EXISTENCE_ONLY and name in sent:
			fake_args = {k: swap(v, name, probe.FAKE) for k, v in args.items()}
			fake = probe.call(cmd, fake_args, user, None, http_method)
			if probe.normalise(answer, (name, probe.FAKE)) != probe.normalise(fake, (name, probe.FAKE)):
				# a second look: some answers change from call to call (a new hash, a time)
				again = probe.call(cmd, args, user, None, http_method)
				if probe.normalise(again, (name,)) == probe.normalise(answer, (name,)):
					leaks.append(f"answers differently than for no record: {answer.text[:200]}")
		return leaks

	# the enumeration -----------------------------------------------------------------------------------

	def test_whitelisted_surface_as_another_manager(self):
		functions = {
			cmd: fn
			for cmd, fn in probe.whitelisted_functions().items()
			if is_pointing(fn) and cmd not in NOT_ABOUT_RECORDS
		}
		self.assertGreater(len(functions), 100, "the enumeration found too few methods to mean anything")
		targets = self.targets()
		restricted_children = {c for c in CHILD_DOCTYPES if set(parents_of(c)) & set(ROW_RULES)}
		self.assertTrue(restricted_children <= set(targets), restricted_children - set(targets))
		leaks, calls, started = [], 0, time.monotonic()
		for cmd, fn in sorted(functions.items()):
			http_method = "POST" if "POST" in frappe.allowed_http_methods_for_whitelisted_func[fn] else "GET"
			for doctype, name in targets.items():
				for args in arguments(fn, doctype, name, self.fx):
					calls += 1
					for problem in self.probe_call(cmd, args, probe.ATTACKER, name, http_method):
						leaks.append(f"{cmd} on {doctype} {args}: {problem}")
		# the controllers' own whitelisted methods, run on the victim's records
		for doctype, name in targets.items():
			for method in probe.doc_methods(doctype):
				calls += 1
				args = {"method": method, "dt": doctype, "dn": name}
				for problem in self.probe_call("run_doc_method", args, probe.ATTACKER, name):
					leaks.append(f"run_doc_method {doctype}.{method}: {problem}")
		# the app's reports (and every Query / Script Report of its module), run and exported as the manager
		reports = frappe.get_all(
			"Report",
			filters={"module": probe.MODULE, "report_type": ("in", ("Script Report", "Query Report"))},
			pluck="name",
		)
		filters = json.dumps(
			{
				"company": f.COMPANY,
				"from_date": frappe.utils.add_months(frappe.utils.today(), -12),
				"to_date": frappe.utils.today(),
				"period_months": 12,
				"basis": "Gross Profit",
			}
		)
		for report in reports:
			for cmd in ("frappe.desk.query_report.run", "frappe.desk.query_report.get_script"):
				calls += 1
				args = {"report_name": report, "filters": filters}
				for problem in self.probe_call(cmd, args, probe.ATTACKER, report, compare=False):
					leaks.append(f"{cmd} {report}: {problem}")
		print(
			f"\nprivacy surface: {len(functions)} whitelisted methods taking a doctype or document "
			f"× {len(targets)} doctypes ({len(set(targets) & set(ROW_RULES))} row-restricted, "
			f"{len(set(targets) & set(CHILD_DOCTYPES))} child), {len(reports)} reports: {calls} calls as another manager in {time.monotonic() - started:.0f} s"
		)
		self.assertEqual(leaks, [], f"{len(leaks)} leaks:\n" + "\n".join(leaks[:50]))

	# the verbs over REST, with real sessions ------------------------------------------------------------

	def rest(self, verb: str, path: str, data: dict, user: str = probe.ATTACKER):
		sid = self.sid_for(user)
		if verb == "delete":
			return self.delete(f"{path}?sid={sid}")
		return getattr(self, verb)(path, {**data, "sid": sid})

	def assert_refused_or_empty(self, response, label: str, allowed_empty=(None, [], {}, 0, "")):
		"""Refused (4xx), or an answer with nothing of the victim's in it."""
		body = response.get_data(as_text=True)
		leaked = [token for token in self.fx.canaries if token in body]
		self.assertEqual(leaked, [], f"{label}: {len(leaked)} canaries in {body[:300]}")
		if response.status_code == 200:
			message = (response.json or {}).get("message", (response.json or {}).get("data"))
			self.assertIn(message, allowed_empty, f"{label}: {body[:300]}")
		else:
			self.assertIn(response.status_code, (403, 404, 417), f"{label}: {body[:300]}")

	def assert_victim_unchanged(self, label: str):
		frappe.db.rollback()  # a fresh snapshot: the request committed on another connection
		self.assertEqual(
			self.fx.changed_parts(self.fx.snapshot()), [], f"{label} changed the victim's records"
		)

	def victim(self, doctype: str, index: int = 0) -> str:
		return self.fx.victim[doctype][index]

	def test_app_reads_of_one_account(self):
		"""The app's whitelisted reads of one account's panel (a ``key_account`` argument: the group tree,
		the whitespace row ...) aimed at the victim's profile tell the attacker nothing (docs/DOMAIN.md §13)."""
		functions = {
			cmd: fn
			for cmd, fn in probe.whitelisted_functions().items()
			if cmd.startswith("key_account_management.")
			and "key_account" in {p.name for p in pointing_params(fn)}
		}
		self.assertIn("key_account_management.groups.tree.get_group_tree", functions)
		leaks = []
		for cmd, fn in sorted(functions.items()):
			http_method = "POST" if "POST" in frappe.allowed_http_methods_for_whitelisted_func[fn] else "GET"
			for problem in self.probe_call(
				cmd, {"key_account": probe.VIC}, probe.ATTACKER, probe.VIC, http_method
			):
				leaks.append(f"{cmd}: {problem}")
		self.assertEqual(leaks, [])

	def test_rest_read_and_list(self):
		for doctype, names in self.fx.victim.items():
			for name in names:
				response = self.rest("get", self.url("resource", doctype, name), {})
				self.assert_refused_or_empty(response, f"GET {doctype} {name}")
			if doctype in CHILD_DOCTYPES:
				for parent in parents_of(doctype):
					response = self.rest(
						"get",
						self.url("resource", doctype),
						{
							"parent": parent,
							"fields": json.dumps(["*"]),
							"filters": json.dumps(
								[["parent", "in", [n for dt in self.fx.victim for n in self.fx.victim[dt]]]]
							),
							"limit_page_length": 0,
						},
					)
					self.assert_refused_or_empty(response, f"list {doctype} of {parent}")
		# Workflow Actions of the victim's requests
		response = self.rest(
			"get",
			self.url("resource", "Workflow Action"),
			{
				"fields": json.dumps(["name", "reference_name", "workflow_state"]),
				"filters": json.dumps([["reference_name", "in", self.fx.victim["Hospitality Request"]]]),
			},
		)
		self.assert_refused_or_empty(response, "Workflow Action list")

	def count_each_field(self, user: str, doctypes) -> int:
		"""get_count and get_group_by_count with a filter on every field of the victim's records."""
		calls = 0
		for doctype in doctypes:
			meta = frappe.get_meta(doctype)
			name = self.victim(doctype)
			stored = frappe.db.get_value(doctype, name, "*", as_dict=True)
			for df in meta.fields:
				if df.fieldtype in frappe.model.no_value_fields or df.fieldtype in frappe.model.table_fields:
					continue
				if df.is_virtual:  # no column: Frappe filters on none (the list turns days into a date)
					continue
				value = stored.get(df.fieldname)
				value = str(value) if value is not None else ""
				filters = [["name", "=", name], [df.fieldname, "=", value]]
				response = self.rest(
					"post",
					self.url("method", "frappe.client.get_count"),
					{"doctype": doctype, "filters": json.dumps(filters)},
					user,
				)
				self.assert_refused_or_empty(response, f"count {doctype}.{df.fieldname} as {user}")
				response = self.rest(
					"post",
					self.url("method", "frappe.desk.listview.get_group_by_count"),
					{"doctype": doctype, "current_filters": json.dumps(filters), "field": df.fieldname},
					user,
				)
				self.assert_refused_or_empty(response, f"group by {doctype}.{df.fieldname} as {user}")
				calls += 2
		return calls

	def test_rest_count_and_group_by_each_field(self):
		restricted = [dt for dt in ROW_RULES if self.fx.victim.get(dt)]
		calls = self.count_each_field(probe.ATTACKER, restricted)
		# a Hospitality Approver reads every request, and nothing of profiles, buying centers and visits
		calls += self.count_each_field(
			probe.APPROVER, [dt for dt in restricted if dt != "Hospitality Request"]
		)
		print(f"\ncount and group-by with a filter on each field: {calls} REST calls")

	def test_rest_linked_export_print_docinfo(self):
		names = {n for dt in self.fx.victim for n in self.fx.victim[dt]}
		for doctype, name in (
			("Customer", probe.VIC),
			("Key Account Profile", probe.VIC),
			("Contact", self.fx.contacts["victim"]),
			("Contact", self.fx.contacts["shared"]),
			("Customer", probe.OWN),
		):
			response = self.rest(
				"post",
				self.url("method", "frappe.desk.form.linked_with.get"),
				{"doctype": doctype, "docname": name},
			)
			body = response.get_data(as_text=True)
			self.assertEqual([t for t in self.fx.canaries if t in body], [], f"linked with {doctype} {name}")
			shown = {n for n in names if n != probe.VIC and f'"{n}"' in body}
			self.assertEqual(shown, set(), f"linked with {doctype} {name} names the victim's records")
		for doctype in ROW_RULES:
			name = self.victim(doctype)
			for method, data in (
				(
					"frappe.desk.reportview.export_query",
					{
						"doctype": doctype,
						"file_format_type": "CSV",
						"fields": json.dumps([f"`tab{doctype}`.`name`"]),
						"filters": json.dumps([["name", "=", name]]),
					},
				),
				("frappe.www.printview.get_html_and_style", {"doc": doctype, "name": name}),
				("frappe.utils.print_format.download_pdf", {"doctype": doctype, "name": name}),
				("frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name}),
				("frappe.desk.form.load.get_docinfo", {"doctype": doctype, "name": name}),
			):
				response = self.rest("post", self.url("method", method), data)
				body = response.get_data(as_text=True)
				self.assertEqual([t for t in self.fx.canaries if t in body], [], f"{method} {doctype}")
				if method.endswith("export_query"):
					self.assertNotIn(name, body, f"export of {doctype} lists the victim's record")
				else:
					self.assertIn(response.status_code, (403, 404, 417), f"{method} {doctype}: {body[:200]}")
			response = self.get(
				f"/printview?doctype={quote(doctype)}&name={quote(name)}",
				{"sid": self.sid_for(probe.ATTACKER)},
			)
			self.assertEqual(
				[t for t in self.fx.canaries if t in response.get_data(as_text=True)],
				[],
				f"/printview {doctype}",
			)

	def test_rest_write_move_delete_submit_cancel_amend_workflow(self):
		role, own_role = self.victim("Buying Center Role"), self.fx.own["Buying Center Role"][0]
		draft, submitted, cancelled = self.fx.victim["Visit Record"]
		request = self.fx.victim["Hospitality Request"][-1]
		recipient = self.victim("Hospitality Recipient")
		own_request = self.fx.own["Hospitality Request"][0]
		attempts = [
			("write", "put", self.url("resource", "Buying Center Role", role), {"hobbies": "seen"}),
			(
				"move into the attacker's account",
				"put",
				self.url("resource", "Buying Center Role", role),
				{"key_account": probe.OWN, "link_contact_to_customer": 1},
			),
			(
				"move the attacker's record into the victim's account",
				"put",
				self.url("resource", "Buying Center Role", own_role),
				{"key_account": probe.VIC},
			),
			(
				"set_value key_account",
				"post",
				self.url("method", "frappe.client.set_value"),
				{"doctype": "Visit Record", "name": draft, "fieldname": "key_account", "value": probe.OWN},
			),
			(
				"move a child row",
				"put",
				self.url("resource", "Hospitality Recipient", recipient),
				{"parent": own_request, "amount": 1},
			),
			("delete", "delete", self.url("resource", "Buying Center Role", role), {}),
			("delete a child row", "delete", self.url("resource", "Hospitality Recipient", recipient), {}),
			(
				"submit",
				"post",
				self.url("method", "frappe.client.submit"),
				{"doc": json.dumps({"doctype": "Visit Record", "name": draft, "key_account": probe.OWN})},
			),
			(
				"cancel",
				"post",
				self.url("method", "frappe.client.cancel"),
				{"doctype": "Visit Record", "name": submitted},
			),
			(
				"amend",
				"post",
				self.url("resource", "Visit Record"),
				{
					"amended_from": cancelled,
					"key_account": probe.OWN,
					"visit_method": "Phone",
					"planned_start": frappe.utils.now_datetime().isoformat(),
				},
			),
			(
				"workflow",
				"post",
				self.url("method", "frappe.model.workflow.apply_workflow"),
				{"doc": json.dumps({"doctype": "Hospitality Request", "name": request}), "action": "Approve"},
			),
		]
		for label, verb, path, data in attempts:
			response = self.rest(verb, path, data)
			body = response.get_data(as_text=True)
			self.assertIn(
				response.status_code, (403, 404, 417), f"{label}: {response.status_code} {body[:300]}"
			)
			self.assertEqual(
				[t for t in self.fx.canaries if t in body], [], f"{label} answered with canaries"
			)
			self.assertNotIn(
				probe.VIC,
				body.replace(data.get("key_account", ""), ""),
				f"{label} names the victim's account",
			)
			self.assert_victim_unchanged(label)
		# the attacker's own record still saves (the refusals above are about whose record it is)
		response = self.rest("put", self.url("resource", "Buying Center Role", own_role), {"hobbies": "Go"})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])

	# the rules' structure -------------------------------------------------------------------------------

	def test_every_restricted_doctype_has_row_rules(self):
		from key_account_management.access.rows import ChildRow

		pqc, has_perm = frappe.get_hooks("permission_query_conditions"), frappe.get_hooks("has_permission")
		for doctype in probe.app_doctypes():
			meta = frappe.get_meta(doctype)
			if meta.istable:
				self.assertIn(doctype, pqc, f"child table {doctype} has no row rule for lists")
				controller = frappe.get_meta(doctype) and frappe.model.base_document.get_controller(doctype)
				self.assertTrue(issubclass(controller, ChildRow), f"{doctype}'s controller is not a ChildRow")
			elif meta.has_field("key_account") or doctype == "Key Account Profile":
				self.assertIn(doctype, pqc, f"{doctype} belongs to an account but has no list rule")
				self.assertIn(doctype, has_perm, f"{doctype} belongs to an account but has no document rule")
		for doctype, (dt_field, name_field) in REFERENCES.items():
			meta = frappe.get_meta(doctype)
			self.assertTrue(meta.has_field(dt_field) and meta.has_field(name_field), doctype)

	def test_no_role_reads_a_row_without_its_higher_permission_levels(self):
		"""GET /api/resource/<doctype> calls frappe.client.get_list directly (no override reaches it) and
		Frappe filters on any field whatever its permission level: a role that read an app doctype at
		level 0 but not at level 1 could count its personal notes through filters. None does."""
		for doctype in probe.app_doctypes():
			meta = frappe.get_meta(doctype)
			levels = {df.permlevel for df in meta.fields if df.permlevel}
			if not levels:
				continue
			readers = {p.role: set() for p in meta.permissions if p.permlevel == 0 and (p.read or p.select)}
			for p in meta.permissions:
				if p.read and p.role in readers:
					readers[p.role].add(p.permlevel)
			for role, read_levels in readers.items():
				self.assertTrue(
					levels <= read_levels, f"{role} reads {doctype} but not its levels {levels - read_levels}"
				)

	# what the app's own screens tell ----------------------------------------------------------------------

	def test_limit_preview_tells_nothing_of_another_contact(self):
		from key_account_management.hospitality.api import get_limit_preview

		victim_contact = self.fx.contacts["victim"]
		frappe.db.set_value("Contact", victim_contact, "kam_is_official", 1)
		frappe.set_user(probe.ATTACKER)
		try:
			preview = get_limit_preview(
				doc=json.dumps(
					{
						"key_account": probe.OWN,
						"request_type": "Meal",
						"estimated_amount": 100,
						"planned_date": frappe.utils.add_days(frappe.utils.today(), 3),
						"recipients": [{"contact": victim_contact, "amount": 100}],
					}
				)
			)
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback()
		text = json.dumps(preview, default=str)
		self.assertNotIn(victim_contact, text)
		self.assertNotIn("Priv Victim", text)
		self.assertFalse(
			preview.get("any_official"), "the preview tells that another customer's contact is an official"
		)

	def test_messages_name_only_what_the_caller_may_see(self):
		frappe.set_user(probe.ATTACKER)
		try:
			for values in (
				{"contact": self.fx.contacts["victim"]},
				{
					"contact": self.fx.contacts["own"],
					"buying_role": "User",
					"reports_to": self.victim("Buying Center Role"),
				},
				{"contact": self.fx.contacts["victim"], "link_contact_to_customer": 1},
			):
				doc = frappe.get_doc(
					{
						"doctype": "Buying Center Role",
						"key_account": probe.OWN,
						"buying_role": "Purchaser",
						"influence": 3,
						"relationship_strength": 3,
						**values,
					}
				)
				with self.assertRaises((frappe.ValidationError, frappe.PermissionError)) as caught:
					doc.insert()
				message = str(caught.exception) + json.dumps(frappe.local.message_log, default=str)
				frappe.local.message_log = []
				# what the caller typed may come back (a contact's name carries its customer's); nothing more
				for typed in values.values():
					message = message.replace(str(typed), "")
				self.assertNotIn(probe.VIC, message, values)
				self.assertEqual([t for t in self.fx.canaries if t in message], [], values)
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback()
		# and the contact was linked to nothing
		links = frappe.get_all(
			"Dynamic Link", filters={"parent": self.fx.contacts["victim"]}, pluck="link_name"
		)
		self.assertEqual(links, [probe.VIC])

	def test_print_formats_render_hostile_text_inert(self):
		hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
		visit, request = self.victim("Visit Record", 1), self.victim("Hospitality Request", 1)
		for doctype, name in (("Visit Record", visit), ("Hospitality Request", request)):
			meta = frappe.get_meta(doctype)
			values = {
				df.fieldname: hostile
				for df in meta.fields
				if df.fieldtype in probe.TEXT_TYPES and df.fieldname not in probe.CONTROL_FIELDS
			}
			frappe.db.set_value(doctype, name, values, update_modified=False)
			for df in meta.get_table_fields():
				child = frappe.get_meta(df.options)
				for row in frappe.get_all(df.options, filters={"parent": name}, pluck="name"):
					child_values = {
						f.fieldname: hostile for f in child.fields if f.fieldtype in probe.TEXT_TYPES
					}
					if child_values:
						frappe.db.set_value(df.options, row, child_values, update_modified=False)
			from frappe.www.printview import get_html_and_style

			html = get_html_and_style(doctype, name, print_format=doctype)["html"]
			# no script and no event handler is left as markup: the rest of it is text (or, in a text
			# editor's content, tags without handlers)
			self.assertNotIn("<script", html.lower(), doctype)
			self.assertIsNone(re.search(r"<[^>]*\son\w+\s*=", html, re.I), doctype)
			self.assertIn("&lt;script&gt;", html, f"{doctype}: the hostile text is not shown as text")
		frappe.db.rollback()

	def test_a_visit_inserted_submitted_is_sanitised(self):
		"""Frappe sanitises HTML only in what is saved as a draft: a visit posted already submitted would
		keep a script in its talking points (shown by the form and the print view)."""
		hostile = "<p>Fine</p><script>alert(1)</script><img src=x onerror=alert(1)>"
		start = frappe.utils.add_days(frappe.utils.now_datetime(), -1)
		frappe.set_user(probe.ATTACKER)
		doc = frappe.get_doc(
			{
				"doctype": "Visit Record",
				"key_account": probe.OWN,
				"visit_method": "Phone",
				"planned_start": start,
				"actual_start": start,
				"actual_end": frappe.utils.add_to_date(start, hours=1),
				"talking_points": hostile,
				"customer_views": hostile,
				"next_steps": "Call",
				"docstatus": 1,
			}
		).insert()
		stored = frappe.db.get_value(
			"Visit Record", doc.name, ["talking_points", "customer_views"], as_dict=True
		)
		for fieldname, value in stored.items():
			self.assertNotIn("<script", value, fieldname)
			self.assertIsNone(re.search(r"<[^>]*\son\w+\s*=", value, re.I), fieldname)
		self.assertIn("<p>Fine</p>", stored.talking_points)

	def test_the_probe_sees_what_the_owner_sees(self):
		"""The yardstick: the same calls as the victim's own manager do show the canaries, so an empty
		answer to another manager is the rules at work, not a probe that cannot see."""
		for doctype in ROW_RULES:
			name = self.victim(doctype)
			answer = probe.call(
				"frappe.client.get", {"doctype": doctype, "name": name}, probe.VICTIM, None, "GET"
			)
			self.assertTrue(answer.ok, (doctype, answer.text[:300]))
			self.assertTrue(probe.leaked_canaries(self.fx, answer, ""), f"no canary in the owner's {doctype}")
		answer = probe.call(
			"frappe.desk.query_report.run",
			{"report_name": "Account Health", "filters": json.dumps({"company": f.COMPANY})},
			probe.VICTIM,
			None,
		)
		self.assertTrue(probe.leaked_canaries(self.fx, answer, ""), answer.text[:300])
		answer = probe.call(
			"frappe.client.get_count",
			{
				"doctype": "Buying Center Role",
				"filters": json.dumps({"name": self.victim("Buying Center Role")}),
			},
			probe.VICTIM,
			None,
		)
		self.assertIn("1", answer.text)

	def test_whitespace_of_another_managers_account(self):
		"""The whitespace panel and report (docs/DOMAIN.md §11): another manager is refused the victim's
		row and finds no victim's account in the report, whatever the filters; the victim's own manager
		gets both (the yardstick)."""
		cmd = "key_account_management.whitespace.api.get_account_whitespace"
		answer = probe.call(cmd, {"key_account": probe.VIC}, probe.ATTACKER, self.fx, "GET")
		self.assertFalse(answer.ok, answer.text[:300])
		self.assertEqual(probe.leaked_canaries(self.fx, answer, ""), [])
		self.assertFalse(answer.changed)
		own = probe.call(cmd, {"key_account": probe.VIC}, probe.VICTIM, None, "GET")
		self.assertTrue(own.ok, own.text[:300])
		for filters in ({"company": f.COMPANY}, {"company": f.COMPANY, "account_manager": probe.VICTIM}):
			args = {"report_name": "Key Account Whitespace", "filters": json.dumps(filters)}
			answer = probe.call("frappe.desk.query_report.run", args, probe.ATTACKER, self.fx)
			self.assertTrue(answer.ok, answer.text[:300])
			self.assertNotIn(probe.VIC, answer.text)
			self.assertEqual(probe.leaked_canaries(self.fx, answer, json.dumps(args)), [])
		answer = probe.call(
			"frappe.desk.query_report.run",
			{"report_name": "Key Account Whitespace", "filters": json.dumps({"company": f.COMPANY})},
			probe.VICTIM,
			None,
		)
		self.assertIn(probe.VIC, answer.text)

	def test_account_documents_of_another_customer(self):
		"""The ERPNext documents the account's people open from the profile (docs/DOMAIN.md §12): every
		whitelisted method that takes a doctype or a document, aimed at the victim customer's Quotation,
		Sales Order, Delivery Note, Sales Invoice, Payment Entry and an invoice's item row, as another
		manager holding only Key Account Manager; then the verbs over REST. The attacker's own documents
		open (the yardstick)."""
		functions = {
			cmd: fn
			for cmd, fn in probe.whitelisted_functions().items()
			if is_pointing(fn) and cmd not in NOT_ABOUT_RECORDS
		}
		victim, own = self.fx.documents["victim"], self.fx.documents["own"]
		targets = {doctype: names[0] for doctype, names in victim.items()}
		targets["Sales Invoice Item"] = frappe.get_all(
			"Sales Invoice Item", filters={"parent": targets["Sales Invoice"]}, pluck="name"
		)[0]
		leaks, calls, started = [], 0, time.monotonic()
		for cmd, fn in sorted(functions.items()):
			http_method = "POST" if "POST" in frappe.allowed_http_methods_for_whitelisted_func[fn] else "GET"
			for doctype, name in targets.items():
				for args in arguments(fn, doctype, name, self.fx):
					calls += 1
					for problem in self.probe_call(cmd, args, probe.ATTACKER, name, http_method):
						leaks.append(f"{cmd} on {doctype} {args}: {problem}")
		for doctype, name in targets.items():
			if frappe.get_meta(doctype).istable:
				continue
			for method in probe.doc_methods(doctype):
				calls += 1
				args = {"method": method, "dt": doctype, "dn": name}
				for problem in self.probe_call("run_doc_method", args, probe.ATTACKER, name):
					leaks.append(f"run_doc_method {doctype}.{method}: {problem}")
		print(
			f"\naccount documents: {len(functions)} whitelisted methods × {len(targets)} doctypes: "
			f"{calls} calls as another manager in {time.monotonic() - started:.0f} s"
		)
		self.assertEqual(leaks, [], f"{len(leaks)} leaks:\n" + "\n".join(leaks[:50]))
		# the verbs over REST
		for doctype, names in victim.items():
			name = names[0]
			response = self.rest("get", self.url("resource", doctype, name), {})
			self.assert_refused_or_empty(response, f"GET {doctype}")
			filters = json.dumps([["name", "=", name]])
			for method, data in (
				("frappe.client.get_count", {"doctype": doctype, "filters": filters}),
				("frappe.client.get_list", {"doctype": doctype, "filters": filters, "fields": '["*"]'}),
				(
					"frappe.desk.listview.get_group_by_count",
					{"doctype": doctype, "current_filters": filters, "field": "owner"},
				),
				("frappe.desk.form.linked_with.get", {"doctype": doctype, "docname": name}),
			):
				response = self.rest("post", self.url("method", method), data)
				self.assert_refused_or_empty(response, f"{method} {doctype}")
			# export takes every form argument as a query argument (a sid too): called as a request is
			export = {
				"doctype": doctype,
				"file_format_type": "CSV",
				"fields": json.dumps([f"`tab{doctype}`.`name`"]),
				"filters": "[]",
			}
			answer = probe.call("frappe.desk.reportview.export_query", export, probe.ATTACKER, self.fx)
			frappe.set_user("Administrator")
			self.assertTrue(answer.ok, answer.text[:300])
			self.assertNotIn(name, answer.text, f"export of {doctype} lists the victim's document")
			self.assertIn(own[doctype][0], answer.text, f"export of {doctype} lists the attacker's own")
			for method, data in (
				("frappe.www.printview.get_html_and_style", {"doc": doctype, "name": name}),
				("frappe.utils.print_format.download_pdf", {"doctype": doctype, "name": name}),
				("frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name}),
				("frappe.desk.form.load.get_docinfo", {"doctype": doctype, "name": name}),
			):
				response = self.rest("post", self.url("method", method), data)
				body = response.get_data(as_text=True)
				self.assertEqual([t for t in self.fx.canaries if t in body], [], f"{method} {doctype}")
				self.assertIn(response.status_code, (403, 404, 417), f"{method} {doctype}: {body[:200]}")
			response = self.get(
				f"/printview?doctype={quote(doctype)}&name={quote(name)}",
				{"sid": self.sid_for(probe.ATTACKER)},
			)
			body = response.get_data(as_text=True)
			self.assertEqual([t for t in self.fx.canaries if t in body], [], f"/printview {doctype}")
			self.assertNotIn(probe.VIC, body, f"/printview {doctype}")
			for label, verb, path, data in (
				("write", "put", self.url("resource", doctype, name), {"remarks": "seen"}),
				(
					"cancel",
					"post",
					self.url("method", "frappe.client.cancel"),
					{"doctype": doctype, "name": name},
				),
				("delete", "delete", self.url("resource", doctype, name), {}),
			):
				response = self.rest(verb, path, data)
				self.assertIn(response.status_code, (403, 404, 417), f"{label} {doctype}")
				self.assert_victim_unchanged(f"{label} {doctype}")
		# the yardstick: the attacker's own documents open, print and stay unchanged by a write
		for doctype, names in own.items():
			response = self.rest("get", self.url("resource", doctype, names[0]), {})
			self.assertEqual(
				response.status_code, 200, f"own {doctype}: {response.get_data(as_text=True)[:200]}"
			)
			response = self.rest(
				"post",
				self.url("method", "frappe.www.printview.get_html_and_style"),
				{"doc": doctype, "name": names[0]},
			)
			self.assertEqual(response.status_code, 200, f"print own {doctype}")
			response = self.rest("put", self.url("resource", doctype, names[0]), {"remarks": "mine"})
			self.assertIn(response.status_code, (403, 417), f"write own {doctype}")
