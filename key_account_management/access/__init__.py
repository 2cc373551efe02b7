"""Who sees and does what: row-level access that holds against Frappe's whole API (docs/SECURITY.md).

Names and lines:
- roles.py: the app's role names, the one place they are written.
- hierarchy.py: ERPNext's Employee line read as users, and an account's people.

Row rules (registered in hooks.py: permission_query_conditions, has_permission, doc_events):
- records.py: the four row-restricted doctypes (Key Account Profile, Buying Center Role, Visit Record,
  Hospitality Request), and who works on which account.
- rules.py: the app's child doctypes, core rows about an app record, and the write checks on stored
  records Frappe's engine does not make on its own.
- rows.py: ChildRow, the controller base of every child table of the app.
- tables.py: the app's child doctypes read from their DocType files (plain: hooks.py imports it).
- contacts.py: ERPNext's Contact and Address, for users whose only access to them comes from the app's
  roles.
- workspace.py: which role sees which number card of the Key Accounts workspace.

Endpoints and output:
- endpoints.py: the core endpoints that act on a record without a check (plain: hooks.py imports it).
- overrides.py: the core whitelisted endpoints wrapped with the checks they leave out
  (``override_whitelisted_methods`` in hooks.py).
- guard.py: filters, sort and grouping of list queries on readable fields only.
- customers.py: what a user who may only select a Customer sees of it.
- html.py: escaping for the HTML and messages the app builds from what users typed.

Install:
- grants.py: the Custom DocPerm rows on ERPNext's doctypes the app's roles need (install.py adds them,
  uninstall removes them).

Plain itself (no frappe): hooks.py and the pure tests import endpoints.py and tables.py through it.
"""
