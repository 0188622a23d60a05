/**
 * Template library lookups over 10,000 generated templates (realistic names, tags, descriptions, 300-byte bodies):
 * - TemplateIndex: build time (exact maps; full-text index on the first search) and p50/p99 of byId, byName,
 *   byTags and search (each call timed on its own, after a warm-up).
 * - Baseline: a MiniSearch with prefix and fuzzy 0.2 on every term, the untuned setting, on the same documents.
 * - FolderLibrary over the same templates as 10,000 files: first load, unchanged reload (stat pass), watched reload.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import { FolderLibrary, TemplateIndex, templateVersion, type TemplateDocument } from '../lib/templates/library';
import { systemClock } from '../lib/shared/clock';
import { seededRandom } from '../test/helpers/random';
import { printFigures, printTable, round } from './report';

const TEMPLATES = 10_000;
const random = seededRandom(11);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

const SUBJECTS = ['Invoice', 'Order', 'Shipping', 'Password', 'Account', 'Subscription', 'Refund', 'Appointment', 'Meeting', 'Payment', 'Trial', 'Ticket', 'Delivery', 'Contract', 'Newsletter', 'Webinar', 'Survey', 'Booking', 'Renewal', 'Quote'];
const KINDS = ['reminder', 'confirmation', 'receipt', 'follow-up', 'alert', 'summary', 'request', 'notice', 'update', 'welcome', 'reset', 'cancellation', 'overdue notice', 'thank you', 'escalation'];
const CHANNELS = ['email', 'sms', 'slack', 'teams', 'push'];
const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl'];
const TEAMS = ['billing', 'sales', 'support', 'ops', 'marketing', 'hr', 'legal', 'success'];
/** 20,000 made-up words (product names, places, people): a vocabulary as large as real bodies bring. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tor', 'sa', 'vel', 'din', 'qua', 'pri', 'zen', 'bor', 'lu', 'nak', 'es', 'tri', 'mon', 'gal', 'fe', 'ust'];
const RARE_WORDS = Array.from({ length: 20_000 }, (_, index) => {
	let word = '';
	for (let rest = index + 400; rest > 0; rest = Math.floor(rest / SYLLABLES.length)) word += SYLLABLES[rest % SYLLABLES.length];
	return word;
});
const WORDS = 'please your account team we thank you for the of and to a in that is on with as this be at by from our can will if not or have are more about when here there new customer details date amount due link below contact us'.split(' ');

function generateTemplates(count: number): TemplateDocument[] {
	const documents: TemplateDocument[] = [];
	for (let index = 0; index < count; index++) {
		const subject = pick(SUBJECTS);
		const kind = pick(KINDS);
		const channel = pick(CHANNELS);
		const language = pick(LANGUAGES);
		const team = pick(TEAMS);
		const name = `${subject} ${kind} (${channel}, ${language}) ${index}`;
		let body = `Hello {{customer.firstName}},\n\nThis is your ${subject.toLowerCase()} ${kind} regarding {{reference}}. `;
		while (body.length < 280) body += `${random() < 0.15 ? pick(RARE_WORDS) : pick(WORDS)} `;
		body = `${body.slice(0, 280)}\n\n{{signature}}`.padEnd(300, '.');
		const template = {
			id: `${subject}-${kind}-${channel}-${language}-${index}`.toLowerCase().replace(/[^a-z0-9._-]+/g, '-'),
			name,
			description: `Sent by the ${team} team as a ${channel} ${kind} for ${subject.toLowerCase()} events, in ${language}.`,
			tags: [team, channel, language, subject.toLowerCase(), ...(random() < 0.3 ? ['priority'] : [])],
			required: ['customer.firstName', 'reference', 'signature'],
			format: 'text' as const,
			body,
		};
		documents.push({ ...template, version: templateVersion(template), source: 'workflow', updatedAt: 0 });
	}
	return documents;
}

function percentiles(samples: number[]): { p50: number; p99: number; max: number } {
	samples.sort((a, b) => a - b);
	const at = (quantile: number) => samples[Math.floor(quantile * (samples.length - 1))];
	return { p50: at(0.5), p99: at(0.99), max: samples[samples.length - 1] };
}

/** Times each call on its own (µs), over `rounds` passes of `inputs` after one warm-up pass. */
function timeCalls<T>(inputs: T[], rounds: number, call: (input: T) => unknown): { p50: number; p99: number; max: number } {
	for (const input of inputs) call(input);
	const samples: number[] = [];
	for (let round = 0; round < rounds; round++) {
		for (const input of inputs) {
			const started = performance.now();
			call(input);
			samples.push((performance.now() - started) * 1000);
		}
	}
	return percentiles(samples);
}

function timeMs(body: () => unknown): number {
	const started = performance.now();
	body();
	return performance.now() - started;
}

async function timeMsAsync(body: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	await body();
	return performance.now() - started;
}

const QUERIES = ['invoice reminder', 'invoise', 'invoise remindr', 'password reset sms', 'welc', 'overdue notice billing', 'refund confirmation de', 'subscriptoin renewal', 'customer', 'kalomiren', 'kalomirne'];

async function main() {
	const documents = generateTemplates(TEMPLATES);
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	let index = new TemplateIndex([]);
	const exactBuildMs = timeMs(() => (index = new TemplateIndex(documents)));
	const fullTextBuildMs = timeMs(() => index.search('warm up'));
	global.gc?.();
	const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

	const rows: Array<Record<string, string | number>> = [];
	const addRow = (lookup: string, timing: { p50: number; p99: number; max: number }, results?: number) =>
		rows.push({ lookup, 'p50 µs': round(timing.p50), 'p99 µs': round(timing.p99), 'max µs': round(timing.max), results: results ?? '' });

	const ids = Array.from({ length: 10_000 }, () => pick(documents).id);
	addRow('byId (random ids)', timeCalls(ids, 5, (id) => index.byId(id)));
	const names = Array.from({ length: 10_000 }, () => pick(documents).name.toUpperCase());
	addRow('byName (upper case)', timeCalls(names, 5, (name) => index.byName(name)));
	addRow('byTags any [billing, sms]', timeCalls([['billing', 'sms']], 2000, (tags) => index.byTags(tags, 'any')), index.byTags(['billing', 'sms'], 'any').length);
	addRow('byTags all [billing, sms, de]', timeCalls([['billing', 'sms', 'de']], 2000, (tags) => index.byTags(tags, 'all')), index.byTags(['billing', 'sms', 'de'], 'all').length);
	for (const query of QUERIES) {
		addRow(`search "${query}"`, timeCalls([query], 1000, (text) => index.search(text)), index.search(query, { limit: 10_000 }).length);
	}
	addRow('search "invoise" fuzzy off', timeCalls(['invoise'], 1000, (text) => index.search(text, { fuzzy: false })));
	printTable(`TemplateIndex, ${TEMPLATES} templates (exact maps ${round(exactBuildMs)} ms, full text ${round(fullTextBuildMs)} ms, ~${round(heapMiB, 1)} MiB heap)`, rows);

	// The untuned setting, for comparison: prefix and fuzzy 0.2 on every term.
	const baseline = new MiniSearch<TemplateDocument>({
		idField: 'id',
		fields: ['name', 'tags', 'description', 'body'],
		storeFields: [],
		extractField: (document, field) => (field === 'tags' ? document.tags.join(' ') : document[field as 'name']),
		searchOptions: { boost: { name: 3, tags: 2, description: 1.5, body: 1 }, prefix: true, fuzzy: 0.2 },
	});
	const baselineBuildMs = timeMs(() => baseline.addAll(documents));
	const baselineRows: Array<Record<string, string | number>> = [];
	for (const query of QUERIES) {
		const timing = timeCalls([query], 300, (text) => baseline.search(text).slice(0, 10));
		baselineRows.push({ query, 'p50 µs': round(timing.p50), 'p99 µs': round(timing.p99), results: baseline.search(query).length });
	}
	printTable(`Baseline MiniSearch (prefix + fuzzy 0.2 on every term; build ${round(baselineBuildMs)} ms)`, baselineRows);

	const folder = await mkdtemp(join(tmpdir(), 'template-library-bench-'));
	try {
		await Promise.all(
			documents.map((document) =>
				writeFile(join(folder, `${document.id}.hbs`), `---\nname: "${document.name}"\ndescription: "${document.description}"\ntags: [${document.tags.join(', ')}]\n---\n${document.body}`),
			),
		);
		const statLibrary = new FolderLibrary(folder, { clock: systemClock, maxTemplateBytes: 64 * 1024 });
		const firstLoadMs = await timeMsAsync(() => statLibrary.load());
		const reloads: number[] = [];
		for (let run = 0; run < 5; run++) reloads.push(await timeMsAsync(() => statLibrary.load()));
		const watchedLibrary = new FolderLibrary(folder, { clock: systemClock, maxTemplateBytes: 64 * 1024, watch: true });
		await watchedLibrary.load();
		const watchedReloadMs = await timeMsAsync(() => watchedLibrary.load());
		watchedLibrary.close();
		const folderRows = [
			{ load: 'first (read + parse 10,000 files)', ms: round(firstLoadMs) },
			{ load: 'unchanged, stat pass (median of 5)', ms: round(percentiles(reloads).p50) },
			{ load: 'unchanged, watched (no event)', ms: round(watchedReloadMs, 3) },
		];
		printTable('FolderLibrary, 10,000 files', folderRows);
		printFigures({
			templates: TEMPLATES,
			exactBuildMs: round(exactBuildMs),
			fullTextBuildMs: round(fullTextBuildMs),
			heapMiB: round(heapMiB, 1),
			lookups: rows,
			baseline: baselineRows,
			folder: folderRows,
		});
	} finally {
		await rm(folder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
	process.exit(1);
});
