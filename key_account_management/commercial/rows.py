"""The child rows of the account's ERPNext documents, loaded on their own, follow their document
(docs/DOMAIN.md §12, docs/SECURITY.md).

Frappe checks a child row on its parent *document* only when the row came with it: a Sales Invoice
Item loaded by name (``getdoc``, the print view, ``run_doc_method``) is checked on the doctype, and
anyone who may read some invoices would read every invoice's rows. Each child table of DOCUMENTS gets
ERPNext's own controller with access.rows.ChildRow in front of it (``override_doctype_class`` in
hooks.py), so the row loads its document and the document's rules decide. The classes are made on
first use (a module ``__getattr__``): ERPNext's controller is found through the DocType's module.
"""

from __future__ import annotations

from key_account_management.access.rows import ChildRow
from key_account_management.commercial.doctypes import CHILD_TABLES

CLASS_NAMES = {child.replace(" ", "").replace("-", ""): child for child in CHILD_TABLES}
_made: dict[str, type] = {}


def row_class(child: str) -> type:
	"""ERPNext's controller of ``child`` with ChildRow's parent loading in front."""
	from frappe.model.document import Document
	from frappe.modules import load_doctype_module

	class_name = child.replace(" ", "").replace("-", "")
	if class_name not in _made:
		try:
			base = getattr(load_doctype_module(child), class_name, Document)
		except ImportError:
			base = Document
		bases = (ChildRow,) if base is Document else (ChildRow, base)
		_made[class_name] = type(class_name, bases, {"__module__": __name__, "__qualname__": class_name})
	return _made[class_name]


def __getattr__(name: str):
	if name in CLASS_NAMES:
		return row_class(CLASS_NAMES[name])
	raise AttributeError(name)
