"""Domain rules of key-account management, in plain Python.

Nothing in this package imports frappe: the rules are tested with pytest in milliseconds and the
Frappe layer (controllers, jobs, reports) only reads data, calls these functions and writes back.
"""
