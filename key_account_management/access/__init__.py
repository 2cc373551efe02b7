"""Who sees and does what: row-level access that holds against Frappe's whole API (docs/SECURITY.md).

- roles.py: the app's role names, the one place they are written.
- hierarchy.py: ERPNext's Employee line read as users, and an account's people.
"""
