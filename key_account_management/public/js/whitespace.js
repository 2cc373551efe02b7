// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

// The account's whitespace on the Key Account Profile (whitespace/api.py, docs/DOMAIN.md §11).
frappe.provide("key_account_management");

frappe.ui.form.on("Key Account Profile", {
	refresh(frm) {
		const field = frm.get_field("whitespace_html");
		if (!field || frm.is_new()) return;
		frm.add_custom_button(
			__("Key Account Whitespace"),
			() => frappe.set_route("query-report", "Key Account Whitespace", { company: frm.doc.company }),
			__("View")
		);
		frappe
			.call("key_account_management.whitespace.api.get_account_whitespace", { key_account: frm.doc.name })
			.then((r) => key_account_management.render_whitespace(field.$wrapper, r.message || {}));
	},
});

key_account_management.whitespace_colours = {
	Bought: "green",
	"In pipeline": "blue",
	Lost: "red",
	White: "gray",
};

key_account_management.render_whitespace = function (wrapper, data) {
	const $wrapper = $(wrapper).empty();
	const esc = frappe.utils.escape_html;
	if (data.no_company) {
		$wrapper.html(`<p class="text-muted small">${__("Set the account's company to see its whitespace.")}</p>`);
		return;
	}
	const money = (value) => format_currency(value || 0, data.currency);
	const date = (value) => frappe.datetime.str_to_user(value);
	const label = { Bought: __("Bought", null, "Whitespace"), "In pipeline": __("In pipeline", null, "Whitespace"), Lost: __("Lost", null, "Whitespace"), White: __("White", null, "Whitespace") };
	const rows = (data.cells || [])
		.map(
			(cell) => `<tr class="kam-whitespace-cell" data-status="${esc(cell.status)}">
				<td>${esc(cell.item_group)}</td>
				<td><span class="indicator-pill ${key_account_management.whitespace_colours[cell.status] || "gray"}">${esc(label[cell.status] || cell.status)}</span></td>
				<td class="text-right">${money(cell.recent)}</td>
				<td class="text-right">${money(cell.before)}</td>
				<td class="text-right">${money(cell.open_amount)}</td>
				<td class="text-right">${money(cell.potential)}</td></tr>`
		)
		.join("");
	const totals = data.totals || { counts: {} };
	const counts = Object.keys(label)
		.map((status) => `${esc(label[status])}: ${cint((totals.counts || {})[status])}`)
		.join(" · ");
	const without = data.open_without_group
		? `<p class="small text-muted">${__("Open opportunities without items (in no item group): {0}", [money(data.open_without_group)])}</p>`
		: "";
	$wrapper.html(`
		<p class="small text-muted">${__("Last 12 months: {0} to {1}; the 12 before from {2}. Item group level {3}.", [
			date(data.recent_from),
			date(data.to_date),
			date(data.from_date),
			cint(data.level),
		])}</p>
		<table class="table table-bordered table-condensed kam-whitespace">
			<thead><tr><th>${__("Item Group", null, "Whitespace")}</th><th>${__("Status")}</th>
				<th class="text-right">${__("Revenue (12 Months)")}</th>
				<th class="text-right">${__("Revenue (Previous 12 Months)")}</th>
				<th class="text-right">${__("Open Opportunities")}</th>
				<th class="text-right">${__("Potential")}</th></tr></thead>
			<tbody>${rows || `<tr><td colspan="6" class="text-muted">${__("No item groups.")}</td></tr>`}</tbody>
			<tfoot><tr><th>${__("Total")}</th><th>${counts}</th>
				<th class="text-right">${money(totals.recent)}</th><th class="text-right">${money(totals.before)}</th>
				<th class="text-right">${money(totals.open_amount)}</th><th class="text-right">${money(totals.potential)}</th></tr></tfoot>
		</table>${without}`);
};
