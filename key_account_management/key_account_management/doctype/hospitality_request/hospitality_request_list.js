// the list reads by people's names and shows each thing once: the customer's name is the title (no key
// account column repeating it), the workflow state is the status indicator, the requester a full name
frappe.listview_settings["Hospitality Request"] = {
	add_fields: ["requested_by_name"],
	formatters: {
		requested_by(value, df, doc) {
			const shown = frappe.utils.escape_html(doc.requested_by_name || value || "");
			const filter = frappe.utils.escape_html(`requested_by,=,${value || ""}`);
			return `<span class="ellipsis" title="${frappe.utils.escape_html(__(df.label))}: ${shown}">
				<a class="filterable ellipsis" data-filter="${filter}">${shown}</a></span>`;
		},
	},
};
