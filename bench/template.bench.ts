/**
 * Template Populate on 100,000 items with a ~1 KB template (15 variables, one loop over 3 order lines).
 * - Ours: the node's own execution time inside n8n-core's WorkflowExecute (runData executionTime), inline
 *   template, automatic mapping; median of 3 runs after a warm-up.
 * - Limit: raw Handlebars compiled once on data already shaped for it (no mapping, no checks, no metrics),
 *   returning n8n output items as any node must (also shown with the strings thrown away).
 * - Our engines on the same loop (mapping plan, mapping, render with limits, metrics), and the node itself.
 * - What a Code-node user writes: Handlebars.compile per item.
 * - Discovery: p50/p99 of lookups by ID and ranked search over 10,000 templates (TemplateIndex).
 * - Peak RSS of the process (maxRSS), for the whole benchmark.
 */
import Handlebars from 'handlebars';
import { performance } from 'node:perf_hooks';
import { resetSharedProcessState } from '../lib/state';
import { MetricsStore } from '../lib/metrics';
import { systemClock } from '../lib/shared/clock';
import { TemplateIndex, templateVersion, type TemplateDocument } from '../lib/templates/library';
import { applyMappingPlan, LastPlanMemo, type MappingRule } from '../lib/templates/mapping';
import { CompiledTemplateCache } from '../lib/templates/render';
import { seededRandom } from '../test/helpers/random';
import { templateHarness, templateWorkflow } from '../test/nodes/TemplatePopulate/templateWorkflow';
import { printFigures, printTable, round } from './report';

const ITEMS = 100_000;
const TEMPLATE = `Dear {{title}} {{first_name}} {{last_name}},

thank you for your order {{order_id}} placed on {{order_date}} with {{company}}. We are happy to confirm
that your payment of {{total}} {{currency}} has been received and that the following items are on their way
to {{street}}, {{postcode}} {{city}}, {{country}}:

{{#each lines}}  - {{quantity}} x {{name}} (SKU {{sku}}) at {{price}} {{../currency}}
{{/each}}
Your parcel will be shipped with {{carrier}} and should arrive within {{delivery_days}} working days. You can
follow it at any time with the tracking number that we will send in a separate message as soon as the carrier
has picked it up from our warehouse. If anything is wrong with your order, reply to this mail and mention your
customer number {{customer_id}}, so that our support team can find your order quickly and help you.

Kind regards,
The {{company}} team`;

function makeItems(count: number) {
	const random = seededRandom(1);
	return Array.from({ length: count }, (_, index) => ({
		title: index % 2 ? 'Ms' : 'Mr',
		firstName: `First${index}`,
		lastName: `Last${index % 977}`,
		orderId: `ORD-${100000 + index}`,
		orderDate: '2026-11-26',
		company: 'Acme GmbH',
		total: Math.round(random() * 100000) / 100,
		currency: 'EUR',
		street: `${index % 200} Main Street`,
		postcode: String(10000 + (index % 89999)),
		city: 'Berlin',
		country: 'Germany',
		carrier: 'DHL',
		deliveryDays: 2 + (index % 3),
		customerId: `C-${index % 5000}`,
		lines: [
			{ quantity: 1, name: 'Widget', sku: 'W-1', price: 9.99 },
			{ quantity: 2, name: 'Gadget', sku: 'G-7', price: 24.5 },
			{ quantity: 1, name: 'Doohickey', sku: 'D-3', price: 3.25 },
		],
	}));
}

/** Raw Handlebars reads the item as it is, so give it the template's names (what mapping does for us). */
function asTemplateData(item: ReturnType<typeof makeItems>[number]) {
	return {
		title: item.title, first_name: item.firstName, last_name: item.lastName, order_id: item.orderId, order_date: item.orderDate,
		company: item.company, total: item.total, currency: item.currency, street: item.street, postcode: item.postcode, city: item.city,
		country: item.country, carrier: item.carrier, delivery_days: item.deliveryDays, customer_id: item.customerId, lines: item.lines,
	};
}

async function main() {
	process.env.N8N_LOG_LEVEL = 'silent';
	const items = makeItems(ITEMS);
	const prepared = items.map(asTemplateData);

	// The limit: compiled once, data already shaped, output kept as n8n items (what any node has to return).
	const compiled = Handlebars.compile(TEMPLATE, { noEscape: true, strict: true });
	compiled(prepared[0]);
	let started = performance.now();
	let bytes = 0;
	for (const data of prepared) bytes += compiled(data).length;
	const rawStringsMs = performance.now() - started;
	started = performance.now();
	const rawItems: unknown[] = [];
	for (let index = 0; index < ITEMS; index++) rawItems.push({ json: { text: compiled(prepared[index]) }, pairedItem: { item: index } });
	const rawMs = performance.now() - started;
	rawItems.length = 0;

	// Our engines on the same loop: mapping plan (memo), mapping, render with our limits, two metric events.
	const engineMs = engineLoopMs(items);

	// A Code-node user: compile per item (10,000 items, scaled).
	const perItemSample = 10_000;
	started = performance.now();
	for (let index = 0; index < perItemSample; index++) Handlebars.compile(TEMPLATE, { noEscape: true })(prepared[index]);
	const compilePerItemMs = ((performance.now() - started) * ITEMS) / perItemSample;

	// Ours: the node's own time in n8n's engine.
	resetSharedProcessState();
	const harness = templateHarness();
	const workflow = templateWorkflow({ template: TEMPLATE, outputFormat: 'text', options: { includeTemplateInfo: false } }, { id: 'templateBench' });
	await harness.run(workflow, { input: items.slice(0, 100) });
	const nodeTimes: number[] = [];
	let checked = false;
	for (let run = 0; run < 3; run++) {
		const result = await harness.run(workflow, { input: items });
		if (result.status !== 'success') throw new Error(`benchmark run failed: ${result.error}`);
		if (!checked) {
			const first = result.json('Fill')[0].text as string;
			if (first !== compiled(prepared[0])) throw new Error('node output differs from raw Handlebars');
			checked = true;
		}
		nodeTimes.push(result.run.data.resultData.runData.Fill[0].executionTime);
	}
	nodeTimes.sort((a, b) => a - b);
	const nodeMs = nodeTimes[1];

	// Discovery over 10,000 templates.
	const discovery = discoveryTimes();

	const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
	printTable(`Template Populate: ${ITEMS.toLocaleString('en')} items, ${TEMPLATE.length}-byte template, 15 variables + one loop`, [
		{ run: 'raw Handlebars compiled once, output items (the limit)', ms: round(rawMs, 0), usPerItem: round((rawMs * 1000) / ITEMS, 2), ratio: 1 },
		{ run: 'raw Handlebars, strings discarded', ms: round(rawStringsMs, 0), usPerItem: round((rawStringsMs * 1000) / ITEMS, 2), ratio: round(rawStringsMs / rawMs, 2) },
		{ run: 'our engines: plan + map + render + metrics, output items', ms: round(engineMs, 0), usPerItem: round((engineMs * 1000) / ITEMS, 2), ratio: round(engineMs / rawMs, 2) },
		{ run: 'Template Populate node (own time in n8n engine)', ms: round(nodeMs, 0), usPerItem: round((nodeMs * 1000) / ITEMS, 2), ratio: round(nodeMs / rawMs, 2) },
		{ run: 'Handlebars.compile per item (Code node)', ms: round(compilePerItemMs, 0), usPerItem: round((compilePerItemMs * 1000) / ITEMS, 2), ratio: round(compilePerItemMs / rawMs, 2) },
	]);
	printTable('Discovery over 10,000 templates', [
		{ lookup: 'by ID', p50Ms: discovery.byId.p50, p99Ms: discovery.byId.p99 },
		{ lookup: 'ranked search (typo tolerant)', p50Ms: discovery.search.p50, p99Ms: discovery.search.p99 },
	]);
	process.stdout.write(`Rendered ${Math.round(bytes / 1e6)} MB; peak RSS ${peakRssMb} MB\n`);
	printFigures({
		bench: 'template',
		ratioToRawHandlebars: round(engineMs / rawMs, 3),
		nodeRatioToRawHandlebars: round(nodeMs / rawMs, 3),
		speedupVsCompilePerItem: round(compilePerItemMs / nodeMs, 1),
		nodeUsPerItem: round((nodeMs * 1000) / ITEMS, 2),
		rawUsPerItem: round((rawMs * 1000) / ITEMS, 2),
		discoveryP50Ms: discovery.search.p50,
		discoveryP99Ms: Math.max(discovery.search.p99, discovery.byId.p99),
		peakRssMb,
	});
}

function engineLoopMs(items: ReturnType<typeof makeItems>): number {
	const templates = new CompiledTemplateCache();
	const memo = new LastPlanMemo();
	const metrics = new MetricsStore({ instanceId: 'bench', clock: systemClock });
	const rules: MappingRule[] = [];
	const run = () => {
		const output: unknown[] = [];
		for (let index = 0; index < items.length; index++) {
			const { template } = templates.get(TEMPLATE, { format: 'text', strict: true, maxTemplateBytes: 256 * 1024 });
			const planned = memo.planFor({ templateHash: template.hash, variables: template.variables, rules, autoMap: true }, items[index]);
			const mappedAt = performance.now();
			const { data } = applyMappingPlan(planned.plan, items[index]);
			const renderAt = performance.now();
			output.push({ json: { text: template.render(data, { maxOutputBytes: 5 * 1024 * 1024 }) }, pairedItem: { item: index } });
			const doneAt = performance.now();
			metrics.record({ nodeType: 'bench', nodeName: 'Fill', operation: 'map', durationMs: renderAt - mappedAt, cache: 'hit' });
			metrics.record({ nodeType: 'bench', nodeName: 'Fill', operation: 'render', durationMs: doneAt - renderAt, cache: 'hit' });
		}
		return output.length;
	};
	run();
	const started = performance.now();
	run();
	return performance.now() - started;
}

function discoveryTimes() {
	const random = seededRandom(4);
	const subjects = ['Invoice', 'Order', 'Shipping', 'Password', 'Account', 'Refund', 'Meeting', 'Payment', 'Ticket', 'Delivery', 'Contract', 'Survey'];
	const kinds = ['reminder', 'confirmation', 'receipt', 'follow-up', 'alert', 'summary', 'notice', 'welcome', 'cancellation'];
	const documents: TemplateDocument[] = Array.from({ length: 10_000 }, (_, index) => {
		const subject = subjects[Math.floor(random() * subjects.length)];
		const kind = kinds[Math.floor(random() * kinds.length)];
		const body = `Dear {{name}}, this is the ${subject.toLowerCase()} ${kind} number ${index} for account {{account}}. `.repeat(3);
		const input = { id: `tpl-${index}`, name: `${subject} ${kind} ${index}`, description: `${subject} ${kind} message for team ${index % 40}`, tags: [subject.toLowerCase(), kind], required: [], body };
		return { ...input, version: templateVersion(input), source: 'workflow', updatedAt: 0 } as TemplateDocument;
	});
	const index = new TemplateIndex(documents);
	index.search('warm up');
	const time = (lookups: number, lookup: (round: number) => unknown) => {
		const samples: number[] = [];
		for (let round = 0; round < lookups; round++) {
			const started = performance.now();
			lookup(round);
			samples.push(performance.now() - started);
		}
		samples.sort((a, b) => a - b);
		return { p50: round(samples[Math.floor(lookups * 0.5)], 4), p99: round(samples[Math.floor(lookups * 0.99)], 4) };
	};
	const queries = ['invoice reminder', 'invoise remindr', 'password reset', 'shipping confirmation', 'refund', 'meeting follow-up', 'contract notice'];
	return {
		byId: time(10_000, (round) => index.byId(`tpl-${(round * 7919) % 10_000}`)),
		search: time(2_000, (round) => index.search(queries[round % queries.length])),
	};
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
