"""What the README and docs/ say about the code stays true (issue 26, item 4): every dotted path they
name exists, the README stays short enough to read, and it does not deny the hooks the app registers.
Pure: read with ast, nothing imported."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "key_account_management"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PATH = re.compile(r"\bkey_account_management(?:\.[a-z_][a-z_0-9]*)+")


def defined_names(module: Path) -> set[str]:
	names = set()
	for node in ast.parse(module.read_text(encoding="utf-8")).body:
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
			names.add(node.name)
		elif isinstance(node, ast.Assign):
			names.update(target.id for target in node.targets if isinstance(target, ast.Name))
		elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
			names.add(node.target.id)
		elif isinstance(node, ast.ImportFrom | ast.Import):
			names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
	return names


def exists(dotted: str) -> bool:
	"""A package, a module, or a name defined at the top of one (a function, class or constant)."""
	parts = dotted.split(".")[1:]
	base = PACKAGE_DIR
	for index, part in enumerate(parts):
		if (base / part).is_dir():
			base = base / part
			continue
		if (base / f"{part}.py").is_file():
			base = base / f"{part}.py"
			rest = parts[index + 1 :]
			return not rest or rest[0] in defined_names(base)
		init = base / "__init__.py"
		return init.is_file() and part in defined_names(init)
	return True


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_every_path_the_docs_name_exists(doc):
	text = doc.read_text(encoding="utf-8")
	missing = sorted({path for path in PATH.findall(text) if not exists(path.rstrip("."))})
	assert missing == []


def test_the_readme_is_short_enough_to_read():
	assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 250


def test_the_readme_does_not_deny_the_sales_invoice_hooks():
	hooks = (PACKAGE_DIR / "hooks.py").read_text(encoding="utf-8")
	readme = (ROOT / "README.md").read_text(encoding="utf-8").lower()
	if '"Sales Invoice": {' in hooks:
		assert "no sales invoice hooks" not in readme
		assert "submit cost is unchanged by design" not in readme
