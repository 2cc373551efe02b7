"""Every user-facing English string of the app has a Simplified Chinese translation in zh.csv.

Pure: no frappe. The extractor below collects what Frappe shows to users and looks up in the
translation file: ``_()`` / ``__()`` literals, DocType names, labels, descriptions and Select options,
report names, workspace, number card and chart labels, print format strings, and the constants that
controllers pass through ``_()`` at run time (workflow states and actions, roles, flags, stages,
statuses, the fixed problem messages of the core rules).
"""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path

from key_account_management.core import buying_center, hospitality, relationship, visits

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "key_account_management"
MODULE = APP / "key_account_management"
CSV_PATH = APP / "translations" / "zh.csv"

# Strings the app uses in a sense that differs from how Frappe/ERPNext use the very same string.
# Frappe translations are global (one source, one translation), so a row here would rename ERPNext's
# own fields: "Account" (科目) and "Accounts" (会计, the Customer form tab), "Title" (标题, every
# document title) and "Operations" (ERPNext's BOM operations). They are left to the framework's
# translation and must not appear in zh.csv; giving them a context or a distinct source string in
# the code would let the app translate them.
FRAMEWORK_OWNED = {"Account", "Accounts", "Title", "Operations"}

_JS_CALL = re.compile(
	r"""(?<![\w$.])__\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)\s*[,)]"""
)
_JS_OPTIONS = re.compile(r"options:\s*\[([^\]]*)\]")
_JS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_JINJA_CALL = re.compile(r"""_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*[,)]""")
_PLACEHOLDER = re.compile(r"\{\d+\}")


def _unescape(text: str) -> str:
	return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _is_test(path: Path) -> bool:
	return "tests" in path.relative_to(APP).parts or path.name.startswith("test_")


def _str(node) -> str | None:
	return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _python_strings(path: Path, tree: ast.AST) -> set[str]:
	"""``_("...")`` literals, field definitions (custom fields) and the core rules' fixed problems."""
	found = set()
	is_core = path.parent.name == "core"
	for node in ast.walk(tree):
		if isinstance(node, ast.Call):
			func = node.func
			if isinstance(func, ast.Name) and func.id == "_" and node.args:
				# frappe._ strips the message before the lookup: the CSV holds the stripped source
				found.add((_str(node.args[0]) or "").strip())
			# problems.append("...") in the core rules, shown through _() by the controllers
			elif (
				is_core
				and isinstance(func, ast.Attribute)
				and func.attr == "append"
				and isinstance(func.value, ast.Name)
				and func.value.id == "problems"
				and node.args
			):
				found.add(_str(node.args[0]))
		elif isinstance(node, ast.Dict):
			keys = [_str(k) for k in node.keys if k is not None]
			if "fieldname" in keys and "fieldtype" in keys:
				for key, value in zip(node.keys, node.values):
					if key is not None and _str(key) in ("label", "description"):
						found.add(_str(value))
		elif is_core and isinstance(node, ast.Return) and node.value is not None:
			value = node.value
			# return False, "reason" (core.hospitality.can_approve) and return ["problem"]
			if isinstance(value, ast.Tuple) and len(value.elts) == 2:
				found.add(_str(value.elts[1]))
			elif isinstance(value, ast.List) and len(value.elts) == 1:
				found.add(_str(value.elts[0]))
	return found


def _module_constants(path: Path, pattern: str, names=()) -> set[str]:
	"""String values of module-level constants whose names match ``pattern`` (or are in ``names``)."""
	found = set()
	for node in ast.parse(path.read_text(encoding="utf-8")).body:
		if not isinstance(node, ast.Assign):
			continue
		for target in node.targets:
			pairs = []
			if isinstance(target, ast.Name):
				pairs = [(target.id, node.value)]
			elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
				pairs = [(t.id, v) for t, v in zip(target.elts, node.value.elts) if isinstance(t, ast.Name)]
			for name, value in pairs:
				if re.match(pattern, name) or name in names:
					if isinstance(value, ast.Dict):
						found.update(_str(v) for v in value.values)
					else:
						found.add(_str(value))
	return found


def _runtime_strings() -> set[str]:
	"""Constants that reach the user through ``_(variable)`` / ``__(variable)``."""
	found = set(buying_center.BUYING_ROLES) | set(buying_center.ATTITUDE_SCORES) | set(buying_center.FLAGS)
	found |= set(relationship.STATUSES) | {s.name for s in relationship.DEFAULT_STAGES}
	found |= {a for actions in relationship.DEFAULT_PLAYBOOKS.values() for a in actions}
	found |= {relationship.FLAG_NO_ESTIMATE, relationship.FLAG_ESTIMATE_TOO_LOW}
	found |= {
		relationship.CAUSE_KEY_PERSON_CHANGED,
		relationship.CAUSE_OVERDUE_RECEIVABLES,
		relationship.CAUSE_CREDIT_LIMIT_EXCEEDED,
	}
	found |= set(visits.VISIT_STATUSES) | set(visits.FOLLOW_UP_STATUSES)
	found |= set(hospitality.LEVELS) | {f"Pending {level}" for level in hospitality.LEVELS}
	found |= {hospitality.LIMIT_PER_EVENT, hospitality.LIMIT_PER_YEAR, hospitality.LIMIT_ACCOUNT_BUDGET}
	found |= _module_constants(
		APP / "hospitality.py",
		r"^(ROLE|ACTION|TRAIL)_",
		{"DRAFT", "APPROVED", "REJECTED", "SETTLED", "WORKFLOW_NAME"},
	)
	found |= _module_constants(APP / "relationship.py", r"^(FLAG_|PART_LABELS$)")
	found |= _module_constants(APP / "install.py", r"^ROLES$")
	found |= {line.strip() for line in (APP / "modules.txt").read_text(encoding="utf-8").splitlines()}
	return found


def _doctype_strings(doctype: dict) -> set[str]:
	found = {doctype.get("name"), doctype.get("description")}
	for field in doctype.get("fields", []):
		found |= {field.get("label"), field.get("description")}
		if field.get("fieldtype") == "Select" and field.get("fieldname") != "naming_series":
			found.update((field.get("options") or "").split("\n"))
	return found


def extract_sources() -> set[str]:
	found: set[str] = set()
	for path in APP.rglob("*.py"):
		if not _is_test(path):
			found |= _python_strings(path, ast.parse(path.read_text(encoding="utf-8")))
	for path in APP.rglob("*.js"):
		if _is_test(path):
			continue
		text = path.read_text(encoding="utf-8")
		for match in _JS_CALL.finditer(text):
			found.add(_unescape(next(g for g in match.groups() if g is not None)))
		# Select options of report filters and dialogs
		for match in _JS_OPTIONS.finditer(text):
			found.update(_unescape(s) for s in _JS_STRING.findall(match.group(1)))

	def load(pattern):
		return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(MODULE.glob(pattern))]

	for doc in load("doctype/*/*.json"):
		if doc.get("doctype") == "DocType":
			found |= _doctype_strings(doc)
	found |= {doc.get("name") for doc in load("report/*/*.json")}
	found |= {doc.get("label") for doc in load("number_card/*/*.json")}
	found |= {doc.get("chart_name") for doc in load("dashboard_chart/*/*.json")}
	for doc in load("workspace/*/*.json"):
		found |= {doc.get("label"), doc.get("title")}
		for key in ("links", "shortcuts", "charts", "number_cards", "quick_lists", "custom_blocks"):
			found |= {row.get("label") for row in doc.get(key) or []}
	for doc in load("print_format/*/*.json"):
		for match in _JINJA_CALL.finditer(doc.get("html") or ""):
			found.add(_unescape(next(g for g in match.groups() if g is not None)).strip())
	found |= _runtime_strings()
	return {s for s in found if isinstance(s, str) and s.strip()} - FRAMEWORK_OWNED


def load_rows() -> list[list[str]]:
	with CSV_PATH.open(encoding="utf-8", newline="") as handle:
		return list(csv.reader(handle))


def placeholders(text: str) -> list[str]:
	return sorted(_PLACEHOLDER.findall(text))


def test_csv_parses_without_duplicates():
	assert not CSV_PATH.read_bytes().startswith(b"\xef\xbb\xbf"), "zh.csv must not start with a BOM"
	rows = load_rows()
	bad = [row for row in rows if len(row) not in (2, 3) or not row[0] or not row[1].strip()]
	assert not bad, f"rows without a source or translation: {bad[:10]}"
	keys = [(row[0], row[2] if len(row) == 3 else "") for row in rows]
	duplicates = sorted({k for k in keys if keys.count(k) > 1})
	assert not duplicates, f"duplicate sources in zh.csv: {duplicates}"
	assert keys == sorted(keys), "zh.csv rows must be sorted by source"


def test_placeholders_and_html_kept():
	problems = []
	for row in load_rows():
		source, translation = row[0], row[1]
		if placeholders(source) != placeholders(translation):
			problems.append(f"{source!r}: placeholders {placeholders(source)} -> {translation!r}")
		if sorted(re.findall(r"</?\w+", source)) != sorted(re.findall(r"</?\w+", translation)):
			problems.append(f"{source!r}: HTML tags differ in {translation!r}")
	assert not problems, "\n".join(problems)


def test_framework_owned_strings_not_overridden():
	sources = {row[0] for row in load_rows()}
	assert not sources & FRAMEWORK_OWNED, sorted(sources & FRAMEWORK_OWNED)


def test_every_source_string_is_translated():
	translations = {row[0]: row[1] for row in load_rows() if len(row) == 2 or not row[2]}
	sources = extract_sources()
	assert len(sources) > 500, f"the extractor found only {len(sources)} strings"
	missing = sorted(s for s in sources if not translations.get(s, "").strip())
	assert not missing, f"{len(missing)} strings without a translation in zh.csv:\n" + "\n".join(
		repr(s) for s in missing
	)
	wrong = sorted(s for s in sources if placeholders(s) != placeholders(translations[s]))
	assert not wrong, "placeholders differ:\n" + "\n".join(f"{s!r} -> {translations[s]!r}" for s in wrong)
