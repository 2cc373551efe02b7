"""Every user-facing English string of the app has a Simplified Chinese translation in zh.csv, in one vocabulary.

Pure: no frappe. The extractor below collects what Frappe shows to users and looks up in the
translation file: ``_()`` / ``__()`` literals, DocType names, labels, descriptions and Select options,
report names, workspace, number card and chart labels, shortcut counts, print format strings, and the
constants that controllers pass through ``_()`` at run time (workflow states and actions, roles, flags,
stages, statuses, the fixed problem messages of the core rules). The translations follow
docs/GLOSSARY.md: its terms are used and its forbidden variants are not.
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
# Frappe translations are global (one source, one translation), so a plain row here would rename
# ERPNext's own screens: "Account" (科目) and "Accounts" (会计, ERPNext's module and the Customer form
# tab), "Title" (标题, every document title), "Operations" (ERPNext's BOM operations), "Flag" (the
# Language flag), "Limit" (Frappe's bulk update), "Recipient(s)" (收件人 of e-mails). The app translates
# them only with a context: the DocType name for field labels (the form passes it), and
# ``_("Accounts", context="...")`` / ``__("Accounts", null, "...")`` in code. Where Frappe offers no
# context (workspace, number card and chart labels, Select options) the app must not use them.
FRAMEWORK_OWNED = {
	"Account",
	"Accounts",
	"Title",
	"Operations",
	"Flag",
	"Limit",
	"Recipient",
	"Recipients",
	# ERPNext: 物料群组, 目标, 职级 (the Employee Grade)
	"Item Group",
	"Target",
	"Grade",
}
GLOSSARY_PATH = ROOT / "docs" / "GLOSSARY.md"
# Frappe 15.19.1's own strings that have no zh translation in Frappe and show on the app's pages (the
# browser suite finds them): the app fills them in, in Frappe's sense.
FRAPPE_GAPS = {
	("Connections", ""),
	("Build", ""),
	("Create Workspace", ""),
	("You last edited this", ""),
	("{0} last edited this", ""),
	("You created this", ""),
	("{0} created this", ""),
	("Search or type a command ({0})", ""),
	("No.", "Title of the 'row number' column"),
	("Edit Filters", ""),
	("This form is not editable due to a Workflow.", ""),
}

_JS_STR = r"""(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')"""
# __("text", null, "context") / __("text", [args], "context")
_JS_CONTEXT_CALL = re.compile(
	r"(?<![\w$.])__\(\s*" + _JS_STR + r"\s*,\s*(?:null|undefined|\[[^\]]*\])\s*,\s*" + _JS_STR + r"\s*\)"
)
_JS_CALL = re.compile(
	r"""(?<![\w$.])__\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)\s*[,)]"""
)
_JS_OPTIONS = re.compile(r"options:\s*\[([^\]]*)\]")
_JS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_JINJA_CALL = re.compile(
	r"""_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*(?:,\s*context\s*=\s*["']([^"']*)["']\s*)?[,)]"""
)
_PLACEHOLDER = re.compile(r"\{\d+\}")


def _unescape(text: str) -> str:
	return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _is_test(path: Path) -> bool:
	return "tests" in path.relative_to(APP).parts or path.name.startswith("test_")


def _str(node) -> str | None:
	return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _python_strings(path: Path, tree: ast.AST, contextual: set | None = None) -> set[str]:
	"""``_("...")`` literals, field definitions (custom fields) and the core rules' fixed problems.

	``_("...", context="...")`` calls go to ``contextual`` as (source, context) pairs.
	"""
	found = set()
	is_core = path.parent.name == "core"
	for node in ast.walk(tree):
		if isinstance(node, ast.Call):
			func = node.func
			if isinstance(func, ast.Name) and func.id == "_" and node.args:
				# frappe._ strips the message before the lookup: the CSV holds the stripped source
				source = (_str(node.args[0]) or "").strip()
				context = next((_str(k.value) for k in node.keywords if k.arg == "context"), None)
				if context and contextual is not None:
					contextual.add((source, context))
				else:
					found.add(source)
			# Message("template {0}", value) of the core rules: the desk shows _(template).format(...)
			elif isinstance(func, ast.Name) and func.id == "Message" and node.args:
				first = node.args[0]
				if isinstance(first, ast.BoolOp):  # Message(status or "not set")
					found.update(_str(value) for value in first.values)
				else:
					found.add(_str(first))
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
		APP / "core" / "hospitality_flow.py",
		r"^(ACTION|TRAIL)_",
		{"DRAFT", "APPROVED", "REJECTED", "SETTLED"},
	)
	found |= _module_constants(APP / "hospitality" / "workflow.py", r"^WORKFLOW_NAME$")
	found |= _module_constants(
		APP / "access" / "roles.py", r"^(KEY_ACCOUNT_MANAGER|KEY_ACCOUNT_DIRECTOR|HOSPITALITY_APPROVER)$"
	)
	found |= _module_constants(APP / "relationship" / "evaluation.py", r"^(FLAG_|PART_LABELS$)")
	found |= _module_constants(APP / "install.py", r"^ROLES$")
	found |= {line.strip() for line in (APP / "modules.txt").read_text(encoding="utf-8").splitlines()}
	return found


def _doctype_strings(doctype: dict, contextual: set | None = None) -> set[str]:
	"""Name, description, labels and Select options; the form looks labels up with the DocType as context."""
	found = {doctype.get("name"), doctype.get("description")}
	for field in doctype.get("fields", []):
		found.add(field.get("description"))
		# the grid's heading is looked up without a context (Frappe 15's grid.js): Tables get a plain one
		if (
			field.get("label") in FRAMEWORK_OWNED
			and contextual is not None
			and field.get("fieldtype") != "Table"
		):
			contextual.add((field["label"], doctype.get("name")))
		else:
			found.add(field.get("label"))
		if field.get("fieldtype") == "Select" and field.get("fieldname") != "naming_series":
			found.update((field.get("options") or "").split("\n"))
	return found


def _first(groups) -> str:
	return _unescape(next(g for g in groups if g is not None))


def extract_keys() -> set[tuple[str, str]]:
	"""Every (source, context) the app shows; the context is "" for a plain lookup."""
	contextual: set[tuple[str, str]] = set()
	found = extract_sources(contextual, keep_framework_owned=True)
	return {(s, "") for s in found} | {(s, c) for s, c in contextual if s.strip()}


def extract_sources(contextual: set | None = None, keep_framework_owned: bool = False) -> set[str]:
	found: set[str] = set()
	contextual = set() if contextual is None else contextual
	for path in APP.rglob("*.py"):
		if not _is_test(path):
			found |= _python_strings(path, ast.parse(path.read_text(encoding="utf-8")), contextual)
	for path in APP.rglob("*.js"):
		if _is_test(path):
			continue
		text = path.read_text(encoding="utf-8")
		with_context = set()
		for match in _JS_CONTEXT_CALL.finditer(text):
			groups = match.groups()
			contextual.add((_first(groups[:2]), _first(groups[2:])))
			with_context.add(match.start())
		for match in _JS_CALL.finditer(text):
			if match.start() not in with_context:
				found.add(_first(match.groups()))
		# Select options of report filters and dialogs
		for match in _JS_OPTIONS.finditer(text):
			found.update(_unescape(s) for s in _JS_STRING.findall(match.group(1)))

	def load(pattern):
		return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(MODULE.glob(pattern))]

	for doc in load("doctype/*/*.json"):
		if doc.get("doctype") == "DocType":
			found |= _doctype_strings(doc, contextual)
	found |= shipped_record_strings()
	for doc in load("print_format/*/*.json"):
		for match in _JINJA_CALL.finditer(doc.get("html") or ""):
			source = _first(match.groups()[:2]).strip()
			if match.group(3):
				contextual.add((source, match.group(3)))
			else:
				found.add(source)
	found |= _runtime_strings()
	found = {s for s in found if isinstance(s, str) and s.strip()}
	return found if keep_framework_owned else found - FRAMEWORK_OWNED


def _load(pattern: str) -> list[dict]:
	return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(MODULE.glob(pattern))]


def shipped_record_strings() -> set[str]:
	"""Texts of the records the app ships, which Frappe translates where it shows them.

	Report names, number card labels, chart names, the workspace's title, card and link labels and its
	shortcuts' count formats ("{} Class A": Frappe translates the format, then puts the count in).
	"""
	found = {doc.get("name") for doc in _load("report/*/*.json")}
	found |= {doc.get("label") for doc in _load("number_card/*/*.json")}
	found |= {doc.get("chart_name") for doc in _load("dashboard_chart/*/*.json")}
	for doc in _load("workspace/*/*.json"):
		found |= {doc.get("label"), doc.get("title")}
		for key in ("links", "shortcuts", "charts", "number_cards", "quick_lists", "custom_blocks"):
			found |= {row.get("label") for row in doc.get(key) or []}
		found |= {row.get("format") for row in doc.get("shortcuts") or []}
	return {s for s in found if isinstance(s, str) and s.strip()}


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
	"""A plain row for "Accounts" would turn ERPNext's own Accounts module into 客户."""
	sources = {row[0] for row in load_rows() if len(row) == 2 or not row[2]}
	assert not sources & FRAMEWORK_OWNED, sorted(sources & FRAMEWORK_OWNED)


def test_framework_owned_strings_are_used_with_a_context():
	plain = sorted(s for s, context in extract_keys() if s in FRAMEWORK_OWNED and not context)
	assert not plain, (
		f"{plain}: Frappe/ERPNext translate these in another sense; use a context "
		'(_("Accounts", context="...") / __("Accounts", null, "...")) or another word'
	)


def test_contextual_strings_are_translated():
	rows = {(row[0], row[2] if len(row) == 3 else ""): row[1] for row in load_rows()}
	keys = sorted((s, c) for s, c in extract_keys() if c)
	assert keys, "the extractor found no string with a context"
	missing = [
		(s, c)
		for s, c in keys
		if not rows.get((s, c), "").strip() and (s in FRAMEWORK_OWNED or not rows.get((s, ""), "").strip())
	]
	assert not missing, f"{len(missing)} (source, context) pairs without a translation: {missing}"


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


# -- one vocabulary: docs/GLOSSARY.md ------------------------------------------------------------------


def glossary() -> list[tuple[list[str], list[str], list[str]]]:
	"""(English terms, Chinese terms, forbidden variants) of every row of the glossary's tables."""
	entries = []
	for line in GLOSSARY_PATH.read_text(encoding="utf-8").splitlines():
		if not line.startswith("|"):
			continue
		cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
		if len(cells) < 3 or cells[0] in ("", "English") or set(cells[0]) <= set("-: "):
			continue

		def split(cell):
			return [part.strip() for part in cell.split(" / ") if part.strip()]

		entries.append((split(cells[0]), split(cells[1]), split(cells[2])))
	return entries


def _term_pattern(term: str) -> re.Pattern:
	return re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", re.IGNORECASE)


def test_glossary_parses():
	entries = glossary()
	assert len(entries) > 80, f"only {len(entries)} glossary rows"
	english = [term.casefold() for terms, _zh, _not in entries for term in terms]
	assert len(english) == len(set(english)), "an English term is in the glossary twice"
	assert all(zh for _terms, zh, _not in entries), "a glossary row without a Chinese term"


def test_glossary_terms_are_used():
	"""A source with a glossary term has a translation with that term's Chinese (longest term first)."""
	terms = sorted(
		((term, zh) for terms, zh, _not in glossary() for term in terms), key=lambda pair: -len(pair[0])
	)
	patterns = [(term, _term_pattern(term), zh) for term, zh in terms]
	problems = []
	for row in load_rows():
		source, translation = row[0], row[1]
		rest = source
		for term, pattern, zh in patterns:
			if pattern.search(rest):
				rest = pattern.sub(" ", rest)
				if not any(word in translation for word in zh):
					problems.append(f"{source!r} -> {translation!r}: {term!r} is {' / '.join(zh)}")
	assert not problems, f"{len(problems)} translations leave the glossary:\n" + "\n".join(problems)


def test_glossary_forbidden_variants_are_absent():
	forbidden = {variant for _terms, _zh, variants in glossary() for variant in variants}
	problems = [
		f"{row[0]!r} -> {row[1]!r}: {variant}"
		for row in load_rows()
		for variant in forbidden
		if variant in row[1]
	]
	assert not problems, "\n".join(problems)


def test_issue_vocabulary():
	"""The mistakes a Chinese user reported: 会计 for accounts, three words for the buying center."""
	rows = {(row[0], row[2] if len(row) == 3 else ""): row[1] for row in load_rows()}
	assert not [r for r in rows.values() if "会计" in r or "客户内部角色" in r]
	assert rows[("Accounts", "Key Accounts")] == "客户数"
	assert rows[("Account", "Key Account")] == "客户"
	assert rows[("Key Accounts", "")] == "大客户"
	buying_center = {s: t for (s, _c), t in rows.items() if "buying center" in s.lower()}
	assert buying_center and all("采购氛围" in t for t in buying_center.values()), buying_center
	assert rows[("Buying Center Coverage", "")] == "采购氛围覆盖度"
	assert rows[("Buying Center Role", "")] == "采购氛围角色"
	assert rows[("Gross Profit", "")] == "毛利"


# -- records the app ships -------------------------------------------------------------------------------


def test_shipped_records_are_translated():
	"""Stages and their playbooks, workspace, number cards, charts, shortcut counts: Chinese everywhere."""
	translations = {row[0]: row[1] for row in load_rows() if len(row) == 2 or not row[2]}
	records = shipped_record_strings()
	records |= {stage.name for stage in relationship.DEFAULT_STAGES}
	records |= {action for actions in relationship.DEFAULT_PLAYBOOKS.values() for action in actions}
	for doc in _load("workspace/*/*.json"):
		assert doc["label"] in records and "{} Class A" in records
	untranslated = sorted(
		s for s in records if not re.search(r"[\u4e00-\u9fff]", translations.get(s, "")) and len(s) > 1
	)
	assert not untranslated, f"records without a Chinese translation: {untranslated}"
	missing = sorted(s for s in records if s not in translations)
	assert not missing, missing


def test_workspace_has_no_untranslatable_text():
	"""Frappe 15 renders header and paragraph blocks as stored HTML, without __(): no English text there."""
	for doc in _load("workspace/*/*.json"):
		blocks = json.loads(doc.get("content") or "[]")
		text_blocks = [
			b for b in blocks if b.get("type") in ("header", "paragraph") and b["data"].get("text")
		]
		assert not text_blocks, f"{doc['name']}: {text_blocks}"
		cards = {row["label"] for row in doc.get("links") or [] if row.get("type") == "Card Break"}
		used = {b["data"]["card_name"] for b in blocks if b.get("type") == "card"}
		assert used <= cards, f"{doc['name']}: the content names cards that do not exist: {used - cards}"


def test_stage_names_are_translated_where_they_are_links():
	"""Link fields, list views and link search translate a Relationship Stage's name (translated_doctype)."""
	stage = json.loads(
		(MODULE / "doctype/relationship_stage/relationship_stage.json").read_text(encoding="utf-8")
	)
	assert stage.get("translated_doctype") == 1


def test_frappe_gaps_on_the_apps_pages_are_filled():
	rows = {(row[0], row[2] if len(row) == 3 else ""): row[1] for row in load_rows()}
	missing = sorted(key for key in FRAPPE_GAPS if not re.search(r"[\u4e00-\u9fff]", rows.get(key, "")))
	assert not missing, missing
