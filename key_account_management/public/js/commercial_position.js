// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

// The account's commercial position on the Key Account Profile, Commercial tab (commercial/api.py,
// docs/DOMAIN.md §12): money in the company's currency, the account's documents opened read-only.
frappe.provide("key_account_management");

frappe.ui.form.on("Key Account Profile", {
	refresh(frm) {
		const field = frm.get_field("commercial_html");
		if (!field || frm.is_new()) return;
		frappe
			.call("key_account_management.commercial.api.get_commercial_position", { key_account: frm.doc.name })
			.then((r) => key_account_management.render_commercial(field.$wrapper, r.message || {}));
	},
});

key_account_management.commercial_labels = {
	Quotation: __("Quotations"),
	"Sales Order": __("Sales Orders"),
	"Delivery Note": __("Delivery Notes"),
	"Sales Invoice": __("Sales Invoices"),
	"Payment Entry": __("Payment Entries"),
};

key_account_management.open_account_documents = function (doctype, filters) {
	frappe.route_options = {};
	for (const [field, value] of Object.entries(filters || {})) {
		frappe.route_options[field] = Array.isArray(value) ? [value[0], value[1]] : value;
	}
	frappe.set_route("List", doctype);
};

key_account_management.render_commercial = function (wrapper, data) {
	const $wrapper = $(wrapper).empty();
	const esc = frappe.utils.escape_html;
	if (!data.company) {
		$wrapper.html(`<p class="text-muted">${__("Set the profile's company to see its commercial position.")}</p>`);
		return;
	}
	const money = (value) => format_currency(value || 0, data.currency);
	const date = (value) => (value ? frappe.datetime.str_to_user(value) : "");
	const link = (doctype, name) =>
		`<a class="kam-document" href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${esc(name)}</a>`;
	const orders = data.open_orders || {};
	const figure = (label, value, note, colour) => `
		<div class="col-sm-3" style="margin-bottom: var(--margin-md)">
			<div class="text-muted small">${label}</div>
			<div class="h5" style="${colour ? `color: var(--${colour}-500)` : ""}">${value}</div>
			<div class="text-muted small">${note || ""}</div>
		</div>`;
	const headroom = data.credit_limit ? data.credit_limit - data.receivables : null;
	const figures = [
		figure(
			__("Credit Limit"),
			data.credit_limit ? money(data.credit_limit) : __("No credit limit"),
			headroom !== null ? __("Headroom {0}", [money(headroom)]) : "",
			headroom !== null && headroom < 0 ? "red" : ""
		),
		figure(__("Outstanding Receivables"), money(data.receivables)),
		figure(
			__("Overdue"),
			money(data.overdue),
			data.oldest_overdue_days ? __("Oldest overdue {0} days", [data.oldest_overdue_days]) : __("Nothing overdue"),
			data.overdue ? "red" : ""
		),
		figure(
			__("Open Sales Orders"),
			money(orders.value),
			__("{0} orders; to deliver {1}, to bill {2}", [orders.count || 0, money(orders.to_deliver), money(orders.to_bill)])
		),
	].join("");
	const table = (head, rows, empty) => `
		<table class="table table-bordered table-condensed">
			<thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
			<tbody>${rows.join("") || `<tr><td colspan="${head.length}" class="text-muted">${empty}</td></tr>`}</tbody>
		</table>`;
	const overdue_rows = (data.overdue_invoices || []).map(
		(row) => `<tr><td>${link("Sales Invoice", row.name)}</td><td>${date(row.due_date)}</td>
			<td class="text-right">${cint(row.days)}</td><td class="text-right">${money(row.overdue)}</td>
			<td class="text-right">${money(row.outstanding)}</td></tr>`
	);
	const order_rows = (orders.orders || []).map(
		(row) => `<tr><td>${link("Sales Order", row.name)}</td><td>${date(row.delivery_date)}</td>
			<td>${esc(__(row.status || ""))}</td><td class="text-right">${money(row.base_grand_total)}</td>
			<td class="text-right">${money(row.to_deliver)}</td><td class="text-right">${money(row.to_bill)}</td></tr>`
	);
	const buttons = (data.documents || [])
		.map(
			(d, i) =>
				`<button class="btn btn-default btn-xs kam-open-documents" data-index="${i}" style="margin: 0 var(--margin-xs) var(--margin-xs) 0">${esc(
					key_account_management.commercial_labels[d.doctype] || __(d.doctype)
				)}</button>`
		)
		.join("");
	$wrapper.html(`
		<div class="kam-commercial">
			<div class="row">${figures}</div>
			<div class="kam-commercial-chart"></div>
			${buttons ? `<p>${__("The account's documents")}: ${buttons}</p>` : ""}
			<h6>${__("Overdue Invoices")}</h6>
			${table(
				[__("Sales Invoice"), __("Due Date"), __("Days Overdue"), __("Overdue"), __("Outstanding")],
				overdue_rows,
				__("Nothing overdue.")
			)}
			<h6>${__("Open Sales Orders")}</h6>
			${table(
				[__("Sales Order"), __("Delivery Date"), __("Status"), __("Order Value"), __("To Deliver"), __("To Bill")],
				order_rows,
				__("No open sales orders.")
			)}
		</div>`);
	$wrapper.find(".kam-open-documents").on("click", (event) => {
		const d = data.documents[cint($(event.currentTarget).attr("data-index"))];
		key_account_management.open_account_documents(d.doctype, d.filters);
	});
	const chart = data.chart || {};
	if (!(chart.months && chart.months.length)) return;
	const $chart = $wrapper.find(".kam-commercial-chart");
	let drawn = false;
	const draw = () => {
		// a chart drawn in a hidden tab has no width (and negative bars): drawn once the tab shows
		if (drawn || !$chart.is(":visible")) return;
		drawn = true;
		$(document).off("shown.bs.tab.kam_commercial");
		new frappe.Chart($chart[0], {
			title: __("Net Revenue and Gross Profit, Last 12 Months"),
			type: "bar",
			height: 220,
			data: {
				labels: chart.months.map((m) => moment(m).format("YYYY-MM")),
				datasets: [
					{ name: __("Net Revenue"), values: chart.net_revenue },
					{ name: __("Gross Profit"), values: chart.gross_profit },
				],
			},
			axisOptions: { xIsSeries: true },
			tooltipOptions: { formatTooltipY: (value) => money(value) },
		});
	};
	$(document).off("shown.bs.tab.kam_commercial").on("shown.bs.tab.kam_commercial", draw);
	draw();
};
