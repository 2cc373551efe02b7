// A read-only link to a translated DocType shows its translation only to users who may read that DocType
// (Frappe 15's Link formatter): a Hospitality Approver saw "Approved" in the request's state field while
// the badge said 已批准. The workflow's states and the relationship stages are translated for everyone.
(function () {
	if (!window.frappe || !frappe.form || !frappe.form.link_formatters) return;
	["Workflow State", "Relationship Stage"].forEach((doctype) => {
		if (!frappe.form.link_formatters[doctype]) {
			frappe.form.link_formatters[doctype] = (value) => (value ? __(value) : value);
		}
	});
})();
