// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

// The account's open opportunity pipeline on the Key Account Profile (funnel/pipeline.py).
frappe.provide("key_account_management");

frappe.ui.form.on("Key Account Profile", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(
			__("Opportunity"),
			() => frappe.new_doc("Opportunity", { opportunity_from: "Customer", party_name: frm.doc.customer }),
			__("Create")
		);
		frm.add_custom_button(
			__("Key Account Funnel"),
			() =>
				frappe.set_route("query-report", "Key Account Funnel", {
					key_account: frm.doc.name,
					group_by: "Key Account",
				}),
			__("View")
		);
		const field = frm.get_field("pipeline_html");
		if (!field) return;
		frappe
			.call("key_account_management.funnel.pipeline.get_account_pipeline", { key_account: frm.doc.name })
			.then((r) => key_account_management.render_pipeline(field.$wrapper, r.message || {}));
	},
});

key_account_management.render_pipeline = function (wrapper, data) {
	const $wrapper = $(wrapper).empty();
	const esc = frappe.utils.escape_html;
	if (data.no_access) return;
	const money = (value) => format_currency(value || 0);
	const bucket_rows = (buckets, names) =>
		names
			.filter((name) => buckets[name] && buckets[name].count)
			.map(
				(name) => `<tr><td>${esc(__(name))}</td><td class="text-right">${buckets[name].count}</td>
					<td class="text-right">${money(buckets[name].value)}</td>
					<td class="text-right">${money(buckets[name].weighted)}</td></tr>`
			)
			.join("");
	const table = (title, body) => `
		<table class="table table-bordered table-condensed" style="margin-bottom: var(--margin-md)">
			<thead><tr><th>${title}</th><th class="text-right">${__("Opportunities")}</th>
				<th class="text-right">${__("Opportunity Value")}</th><th class="text-right">${__("Weighted Value")}</th></tr></thead>
			<tbody>${body || `<tr><td colspan="4" class="text-muted">${__("No open opportunities.")}</td></tr>`}</tbody>
		</table>`;
	const grades = ["A", "B", "C", "D", "Ungraded"];
	const warnings = [];
	if (data.need_decision_maker) {
		warnings.push(
			__("{0} opportunities are at entry or later, but the buying center names no decision maker.", [
				data.need_decision_maker,
			])
		);
	}
	const opportunities = (data.opportunities || [])
		.map(
			(o) => `<tr>
				<td><a href="/app/opportunity/${encodeURIComponent(o.name)}">${esc(o.title || o.name)}</a></td>
				<td>${esc(__(o.stage || ""))}</td><td>${esc(o.grade || "")}</td>
				<td class="text-right">${money(o.amount)}</td><td class="text-right">${money(o.weighted)}</td>
				<td>${o.expected_closing ? frappe.datetime.str_to_user(o.expected_closing) : ""}</td>
				<td>${o.next_milestone ? `${esc(__(o.next_stage))}: ${esc(__(o.next_milestone))}` : ""}</td>
			</tr>`
		)
		.join("");
	$wrapper.html(`
		<div class="kam-pipeline">
			${warnings.map((w) => `<div class="alert alert-warning">${esc(w)}</div>`).join("")}
			<p>${__("Open pipeline {0}, weighted {1}; small orders outside the funnel {2}, weighted {3}. Forecast {4}.", [
				money(data.funnel.value),
				money(data.funnel.weighted),
				money(data.outside.value),
				money(data.outside.weighted),
				`<b>${money(data.forecast)}</b>`,
			])}</p>
			<div class="row">
				<div class="col-sm-6">${table(__("Opportunity Grade"), bucket_rows(data.by_grade, grades))}</div>
				<div class="col-sm-6">${table(__("Stage"), bucket_rows(data.by_stage, data.stages))}</div>
			</div>
			<table class="table table-bordered table-condensed">
				<thead><tr><th>${__("Opportunity")}</th><th>${__("Stage")}</th><th>${__("Opportunity Grade")}</th>
					<th class="text-right">${__("Opportunity Value")}</th><th class="text-right">${__("Weighted Value")}</th>
					<th>${__("Expected Closing Date")}</th><th>${__("Next Milestone")}</th></tr></thead>
				<tbody>${opportunities || `<tr><td colspan="7" class="text-muted">${__("No open opportunities.")}</td></tr>`}</tbody>
			</table>
		</div>`);
};
