"""ChildRow: the controller base of every child table of the app.

Frappe checks a child row's permission on its parent (``has_child_permission``), but with the parent
*document* only when the row was loaded through it: a row loaded on its own (``frappe.get_doc(child,
name)``, as ``frappe.client.get`` / ``cancel`` / ``delete``, ``getdoc``, print and ``run_doc_method``
do) has no ``parent_doc``, and the check falls back to the parent *doctype*: anyone who may read some
Hospitality Requests may then read, cancel or delete any request's recipient rows. A ChildRow loaded on
its own loads its parent, so the parent's row rules (has_permission hooks) decide.
"""

from __future__ import annotations

import frappe
from frappe.model.document import Document


class ChildRow(Document):
	@property
	def parent_doc(self):
		parent = super().parent_doc
		if parent is not None:
			return parent
		if not (self.get("parenttype") and self.get("parent")):
			return None
		loaded = self.__dict__.get("_standalone_parent")
		if loaded is None or (loaded.doctype, loaded.name) != (self.parenttype, self.parent):
			if not frappe.db.exists(self.parenttype, self.parent):
				return None
			loaded = frappe.get_doc(self.parenttype, self.parent)
			self.__dict__["_standalone_parent"] = loaded
		return loaded

	@parent_doc.setter
	def parent_doc(self, value):
		Document.parent_doc.fset(self, value)

	@parent_doc.deleter
	def parent_doc(self):
		Document.parent_doc.fdel(self)

	def __getstate__(self):
		state = super().__getstate__()
		state.pop("_standalone_parent", None)
		return state

	def validate(self):
		# only runs for a row saved on its own (a parent's save does not call its rows' validate)
		from key_account_management.access.rules import child_row_stays

		child_row_stays(self)
