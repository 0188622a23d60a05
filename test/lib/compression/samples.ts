import { seededRandom } from '../../helpers/random';

/** Sample prompts for the compression tests: realistic payloads and a random document generator. */

const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'refunded'];
const NAMES = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth'];
const SKUS = ['KB-101', 'MS-220', 'MN-27Q', 'HD-USB-C', 'CB-2M'];

/** An order export the way APIs return it: 2-space indented JSON. */
export function ordersPayload(count: number, seed = 1): string {
	const random = seededRandom(seed);
	const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)];
	const orders = Array.from({ length: count }, (_, index) => {
		const name = pick(NAMES);
		const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
			sku: pick(SKUS),
			quantity: 1 + Math.floor(random() * 4),
			unitPrice: Math.round(random() * 20000) / 100,
		}));
		return {
			id: `ord_${(100000 + index * 37).toString(36)}`,
			status: pick(STATUSES),
			createdAt: new Date(Date.UTC(2025, 0, 1) + index * 3_600_000).toISOString(),
			customer: { name, email: `${name.split(' ')[0].toLowerCase()}@example.com`, vip: random() < 0.2 },
			items,
			total: Math.round(items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0) * 100) / 100,
			note: random() < 0.3 ? 'Leave at the door' : null,
		};
	});
	return JSON.stringify({ orders, page: 1, hasMore: false }, null, 2);
}

/** Flat rows (what an SQL node or a spreadsheet returns), 2-space indented. */
export function flatRowsPayload(count: number, seed = 2): string {
	const random = seededRandom(seed);
	const rows = Array.from({ length: count }, (_, index) => ({
		id: index + 1,
		name: NAMES[index % NAMES.length],
		email: `user${index + 1}@example.com`,
		plan: random() < 0.5 ? 'pro' : 'free',
		mrr: Math.round(random() * 50000) / 100,
		active: random() < 0.8,
		churnedAt: null,
	}));
	return JSON.stringify(rows, null, 2);
}

/** Build output with trailing spaces, CRLF line ends and the same warnings over and over. */
export function buildLog(): string {
	const lines = ['> my-app@1.4.2 build', '> tsc -p tsconfig.json && node scripts/bundle.js   ', ''];
	for (let index = 0; index < 14; index++) {
		lines.push('npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.  ');
	}
	for (let index = 0; index < 3; index++) lines.push(`Compiling module ${index + 1} of 3 ...`);
	for (let index = 0; index < 25; index++) {
		lines.push('WARN  [bundler]  Circular dependency: src/a.ts -> src/b.ts -> src/a.ts');
	}
	lines.push('', '', '', 'Done in 12.84s.    ');
	return lines.join('\r\n');
}

export const TIDY_PROSE = [
	'Summarise the customer feedback below in three bullet points. Keep the tone neutral and mention any',
	'numbers exactly as given (for example 4.5 stars, 12% fewer returns, order 10293).',
	'',
	'The delivery was two days late, but the support team answered within 15 minutes and refunded the',
	'shipping fee of $4.99 without being asked. The product itself works as described.',
].join('\n');

const WORDS = [
	...['the', 'order', 'ships', 'on', 'Monday', 'x²', 'naïve', 'café', '3.14', '1e3', '12345678901234567890'],
	...['a,b', '(see', 'note)', '€5', 'ok!', '"quoted"', "don't", '👩\u200D💻', 'E=mc²', '—', '#42'],
];
const GAPS = [' ', ' ', ' ', '  ', '\t', ' \t ', '\u00A0', '\u2009', '\u3000', ' \u200B', '\u202F'];
const BREAKS = ['\n', '\n', '\n', '\r\n', '\r', '\n\n', '\n\n\n\n', '  \n', '\t\n'];

/** Prose only: words, digits and punctuation with messy whitespace; no JSON, fences or counted lines. */
export function messyProse(random: () => number, lineCount: number): string {
	const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)];
	let text = random() < 0.3 ? '\n\n  ' : '';
	for (let line = 0; line < lineCount; line++) {
		// Now and then the same line several times, as in logs.
		const repeats = random() < 0.15 ? 1 + Math.floor(random() * 5) : 1;
		let content = random() < 0.2 ? pick(['  ', '\t', '    ']) : '';
		const words = 1 + Math.floor(random() * 10);
		for (let word = 0; word < words; word++) content += (word > 0 ? pick(GAPS) : '') + pick(WORDS);
		for (let copy = 0; copy < repeats; copy++) text += content + pick(BREAKS);
	}
	return text;
}

const JSON_FRAGMENTS = [
	'{\n  "a": 1.0,\n  "b": [1e3, -0, 12345678901234567890],\n  "s": "two  spaces\\tand\u00A0nbsp"\n}',
	'[\n  {"id": 1, "name": "Ann", "ok": true},\n  {"id": 2, "name": " padded ", "ok": null}\n]',
	'  [\n    {"x": 0.10, "y": "a\\nb"},\n    {"x": 1E-7, "z": false}\n  ]',
	'{"broken": [1, 2,]}',
	'{ "trailing": 1 } and then prose',
	'[\n  1,\n\n  2\n]',
	'{\n  "outer": "invalid" oops,\n  "inner": {\n    "k": 1\n  }\n}',
	'{"tab": "raw\there"}',
	'[{"only": "one"}]',
	'[{"n": [1]}, {"n": [2]}]',
	'[{"": "", "`": "```"}, {"": "~~~", "`": "\\"q\\""}]',
	'{ "nbsp":\u00A01 }',
];
const FENCES = [
	'```ts\nconst  x = 1;   \r\n\n\n\nconsole.log(x)\t\n```',
	'```json\n{\n  "fenced": 1.50\n}\n```',
	'```JSON\n[ 1 , 2 ]\n```',
	'~~~\n```\nstill code   \n~~~',
	'```\u200B\nzero width in opener\n```',
	'````md\n```\ninner\n```\n````',
	'\u200B```\nhidden fence  \n```',
	'   ```py\n  indented   fence\n   ```',
	'    ```\nfour spaces is not a fence\n',
];
const ODD_LINES = [
	'WARN disk almost full [x 3]',
	'WARN disk almost full',
	'WARN disk almost full [x 2]',
	' [x 4]',
	'[x 5]',
	'{ not json',
	'[link](http://example.com)',
	'\u200D stray joiner \u200C',
	'tabs\tin\t\tcells',
	'``` a`b',
	'<|endoftext|>',
];

/** A document mixing prose, JSON (valid, broken, indented), fences (closed, unclosed, hidden) and odd lines. */
export function mixedDocument(seed: number): string {
	const random = seededRandom(seed);
	const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)];
	const parts: string[] = [];
	const count = 1 + Math.floor(random() * 12);
	for (let index = 0; index < count; index++) {
		const roll = random();
		let part: string;
		if (roll < 0.3) part = messyProse(random, 1 + Math.floor(random() * 4));
		else if (roll < 0.5) part = pick(JSON_FRAGMENTS);
		else if (roll < 0.65) part = pick(FENCES);
		else part = pick(ODD_LINES);
		const repeats = random() < 0.25 ? 2 + Math.floor(random() * 3) : 1;
		for (let copy = 0; copy < repeats; copy++) parts.push(part);
	}
	// Sometimes a fence never closes.
	if (random() < 0.1) parts.push('```\nunclosed   ');
	return parts.map((part) => part + pick(BREAKS)).join('');
}

/** The words (and numbers) of a text, with ` [x N]` lines expanded back to N lines. */
export function proseWords(text: string): string[] {
	const words: string[] = [];
	for (const line of text.split(/\r\n|\r|\n/)) {
		const counted = / \[x (\d+)\]$/.exec(line);
		const base = counted === null ? line : line.slice(0, counted.index);
		const copies = counted === null ? 1 : Number(counted[1]);
		const lineWords = base.split(/\s+/).filter((word) => word !== '');
		for (let copy = 0; copy < copies; copy++) words.push(...lineWords);
	}
	return words;
}
