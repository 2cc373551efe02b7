"""The package's layout, read with ast (issue 25): no import cycle, no private name imported across
modules, no module over 400 lines, core/ free of frappe, each hook declared once, role names written in
one place. Pure: nothing here imports the app."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "key_account_management"
PACKAGE_DIR = ROOT / PACKAGE
MAX_LINES = 400
ROLE_NAMES = ("Key Account Manager", "Key Account Director", "Hospitality Approver")
ROLE_HOME = "key_account_management.access.roles"


def is_test_module(path: Path) -> bool:
	return path.name.startswith("test_") or "tests" in path.relative_to(PACKAGE_DIR).parts


@cache
def modules() -> dict[str, Path]:
	"""Dotted name -> file of every module of the package, tests excluded."""
	found = {}
	for path in sorted(PACKAGE_DIR.rglob("*.py")):
		if is_test_module(path):
			continue
		parts = list(path.relative_to(ROOT).with_suffix("").parts)
		if parts[-1] == "__init__":
			parts.pop()
		found[".".join(parts)] = path
	return found


@cache
def tree(name: str) -> ast.Module:
	return ast.parse(modules()[name].read_text(encoding="utf-8"))


def resolve(module: str, node: ast.ImportFrom) -> str:
	if not node.level:
		return node.module or ""
	base = module.split(".")
	if not modules()[module].name == "__init__.py":
		base = base[:-1]
	base = base[: len(base) - (node.level - 1)]
	return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str) -> list[tuple[str, str | None, int]]:
	"""(imported module, imported name or None, line) for every import anywhere in the module, at its
	top or inside a function: both make a cycle at run time."""
	found = []
	for node in ast.walk(tree(module)):
		if isinstance(node, ast.Import):
			found.extend((alias.name, None, node.lineno) for alias in node.names)
		elif isinstance(node, ast.ImportFrom):
			source = resolve(module, node)
			if source in modules() and modules()[source].name == "__init__.py":
				# "from package import x" runs the package's __init__ first, whatever x is
				found.append((source, None, node.lineno))
			for alias in node.names:
				candidate = f"{source}.{alias.name}"
				if candidate in modules():
					found.append((candidate, None, node.lineno))
				else:
					found.append((source, alias.name, node.lineno))
	return found


def owner(name: str) -> str | None:
	"""The app module a dotted import names (a name inside a module resolves to the module)."""
	while name:
		if name in modules():
			return name
		name = name.rpartition(".")[0]
	return None


def import_graph() -> dict[str, set[str]]:
	graph: dict[str, set[str]] = {}
	for module in modules():
		edges = set()
		for imported, _name, _line in imports_of(module):
			# a name imported from a package is an edge to its __init__ (a submodule resolves to itself)
			target = owner(imported) if imported.startswith(PACKAGE) else None
			if target and target != module:
				edges.add(target)
		graph[module] = edges
	return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
	"""Strongly connected components of more than one module (Tarjan), each one cycle or more."""
	index: dict[str, int] = {}
	low: dict[str, int] = {}
	stack: list[str] = []
	on_stack: set[str] = set()
	components: list[list[str]] = []
	counter = [0]

	def visit(node: str) -> None:
		index[node] = low[node] = counter[0]
		counter[0] += 1
		stack.append(node)
		on_stack.add(node)
		for target in sorted(graph.get(node, ())):
			if target not in index:
				visit(target)
				low[node] = min(low[node], low[target])
			elif target in on_stack:
				low[node] = min(low[node], index[target])
		if low[node] == index[node]:
			component = []
			while True:
				member = stack.pop()
				on_stack.discard(member)
				component.append(member)
				if member == node:
					break
			if len(component) > 1:
				components.append(sorted(component))

	for node in sorted(graph):
		if node not in index:
			visit(node)
	return components


def test_find_cycles_sees_a_cycle():
	assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
	assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
	assert find_cycles(import_graph()) == []


def test_core_imports_no_frappe():
	offenders = [
		f"{module}:{line} imports {imported}"
		for module in modules()
		if module.startswith(f"{PACKAGE}.core")
		for imported, _name, line in imports_of(module)
		if imported.split(".")[0] in ("frappe", "erpnext")
		or (imported.startswith(PACKAGE) and not imported.startswith(f"{PACKAGE}.core"))
	]
	assert offenders == []


def test_no_private_name_imported_across_modules():
	offenders = [
		f"{module}:{line} imports {name} from {imported}"
		for module in modules()
		for imported, name, line in imports_of(module)
		if imported.startswith(PACKAGE) and name and name.startswith("_") and not name.startswith("__")
	]
	assert offenders == []


def test_no_module_over_400_lines():
	long = {
		str(path.relative_to(ROOT)): count
		for path in modules().values()
		if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
	}
	assert long == {}


def test_each_hook_declared_once_as_one_literal():
	hooks = tree(f"{PACKAGE}.hooks")
	names = [
		target.id
		for node in hooks.body
		if isinstance(node, ast.Assign | ast.AnnAssign)
		for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
		if isinstance(target, ast.Name)
	]
	assert sorted(name for name in set(names) if names.count(name) > 1) == []
	# no hook changed after its literal: no .update(), .setdefault(), item assignment or augmented assignment
	changed = [
		node.lineno
		for node in hooks.body
		if isinstance(node, ast.AugAssign)
		or (isinstance(node, ast.Assign) and not all(isinstance(t, ast.Name) for t in node.targets))
		or (
			isinstance(node, ast.Expr)
			and isinstance(node.value, ast.Call)
			and isinstance(node.value.func, ast.Attribute)
		)
	]
	assert changed == []


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_role_names_written_in_one_place(role):
	written = [
		module
		for module in modules()
		for node in ast.walk(tree(module))
		if isinstance(node, ast.Constant) and node.value == role
	]
	assert written == [ROLE_HOME]
