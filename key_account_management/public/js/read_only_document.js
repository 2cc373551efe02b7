// commercial: an account's ERPNext documents, opened read-only from its profile (docs/DOMAIN.md §12).
// ERPNext's forms add their "Create" and action buttons for whoever opens them. A user who may neither
// change, create, submit nor cancel the doctype (a Key Account Manager reading their account's invoice)
// would only meet "not permitted" behind each one, so the form adds none for them. Decided once per form,
// from the user's rights on the doctype: it does not change for another document of the same doctype.
(() => {
	const DOCTYPES = ["Quotation", "Sales Order", "Delivery Note", "Sales Invoice", "Payment Entry"];
	const RIGHTS = ["write", "create", "submit", "cancel", "amend", "delete"];

	const reads_only = (doctype) => {
		const perm = frappe.perm.get_perm(doctype)[0] || {};
		return Boolean(perm.read) && !RIGHTS.some((right) => perm[right]);
	};

	for (const doctype of DOCTYPES) {
		frappe.ui.form.on(doctype, {
			setup(frm) {
				if (!reads_only(doctype)) return;
				// ERPNext's controllers add their buttons after this form's own handlers have run, some
				// of them after a server call: the form takes none rather than removing them afterwards
				frm.add_custom_button = () => $();
				frm.page.add_inner_button = () => $();
			},
		});
	}
})();
