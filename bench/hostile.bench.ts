/**
 * Adversarial inputs against every engine that does work proportional to its input, and against the nodes through
 * n8n-core's WorkflowExecute (in-process harness), while a 5 ms interval timer records the longest gap between its
 * ticks: the longest time the event loop was held, which is how long n8n could not answer /healthz or any other
 * request. Shapes: no spaces (`A` x n), CJK, base64, one huge JSON value, repeated lines, deep nesting, at sizes
 * from 1 KB to 15 MB; and 10,000 tiny items through each node. The LLM stub runs as a process of its own, as a
 * real provider does, so its work on a 15 MB request is not counted as n8n's. More cases (Batch Workflow Trigger,
 * Perf Monitor over a full metrics store, the static-data snapshot with a full cache): bench/hostileStateCases.ts.
 * - maxBlockMs: the longest gap above the timer's period, over all cases. Goal: under 200 ms.
 * - growthExponent: log(time ratio) / log(size ratio) between the two largest sizes, worst case, each time the
 *   median of 5 runs. Goal: <= 1.2.
 * - Token estimate: its error against the exact o200k count on normal text (prose, code, JSON, other scripts).
 * HOSTILE_MAX_BYTES caps the sizes (to compare with code that takes minutes on the large ones).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runAiCall, type AiCallDependencies, type AiCallSettings } from '../lib/aiCall';
import { measureTokens, measureTokensYielding } from '../lib/compression';
import { NearDuplicateIndex } from '../lib/dedup';
import { resolveEndpoint } from '../lib/providers';
import { defaultRetryPolicy } from '../lib/resilience';
import { systemClock } from '../lib/shared/clock';
import { silentLogger } from '../lib/shared/logger';
import { ProcessState, resetSharedProcessState, StaticDataStateStore } from '../lib/state';
import { aiHarness, aiWorkflow, STUB_KEY } from '../test/nodes/OptimizedAiCall/aiWorkflow';
import { templateHarness, templateWorkflow } from '../test/nodes/TemplatePopulate/templateWorkflow';
import { batchCases, monitorCases, snapshotCases, type Measure } from './hostileStateCases';
import { printFigures, printTable, round } from './report';
import { startStubProcess } from './stubProcess';

const KB = 1024;
const MB = 1024 * KB;
const PROBE_MS = 5;
const SIZES = [KB, 64 * KB, MB, 4 * MB, 15 * MB].filter((size) => size <= Number(process.env.HOSTILE_MAX_BYTES ?? Infinity));
const TINY_ITEMS = 10_000;
const GROWTH_SIZES = SIZES.slice(-2);
const GROWTH_REPETITIONS = 5;

type Shape = (size: number) => string;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SHAPES: Record<string, Shape> = {
	noSpaces: (size) => 'A'.repeat(size),
	cjk: (size) => {
		const chars: string[] = [];
		for (let index = 0; index < size / 3; index++) chars.push(String.fromCharCode(0x4e00 + ((index * 7919) % 20_000)));
		return chars.join('');
	},
	base64: (size) => {
		let state = 7;
		const chars: string[] = [];
		for (let index = 0; index < size; index++) {
			state = (state * 1103515245 + 12345) & 0x7fffffff;
			chars.push(BASE64[state % 64]);
		}
		return chars.join('');
	},
	hugeJsonValue: (size) => JSON.stringify({ data: 'x'.repeat(Math.max(0, size - 12)) }),
	repeatedLines: (size) => 'the same line of a log, again and again\n'.repeat(Math.ceil(size / 40)),
	deepNesting: (size) => '['.repeat(size / 2) + ']'.repeat(size / 2),
};

/** Records the longest gap between ticks of a short interval timer while it runs. */
class BlockProbe {
	private last = performance.now();
	private longest = 0;
	private readonly timer = setInterval(() => {
		const now = performance.now();
		this.longest = Math.max(this.longest, now - this.last);
		this.last = now;
	}, PROBE_MS);

	reset(): void {
		this.last = performance.now();
		this.longest = 0;
	}

	/** The longest block since reset, counting the time since the last tick too (a case may end mid-block). */
	read(): number {
		return Math.max(this.longest, performance.now() - this.last) - PROBE_MS;
	}

	stop(): void {
		clearInterval(this.timer);
	}
}

interface CaseResult {
	engine: string;
	shape: string;
	/** Bytes, or a label such as `10000 items` for cases not sized in bytes. */
	bytes: number | string;
	ms: number;
	blockMs: number;
	note: string;
}

async function main() {
	process.env.N8N_LOG_LEVEL = 'silent';
	const probe = new BlockProbe();
	const results: CaseResult[] = [];
	const measure: Measure = async (engine, shape, bytes, work) => {
		// The two largest sizes give the growth exponent: a median of repetitions keeps one slow run on a loaded
		// machine from passing for superlinear growth. The block reported is the longest of all repetitions.
		const repetitions = GROWTH_SIZES.includes(bytes as number) ? GROWTH_REPETITIONS : 1;
		const times: number[] = [];
		let blockMs = 0;
		let note = '';
		for (let repetition = 0; repetition < repetitions; repetition++) {
			if (global.gc) global.gc();
			await new Promise((resolve) => setTimeout(resolve, 2 * PROBE_MS));
			probe.reset();
			const started = performance.now();
			note = (await work()) ?? '';
			times.push(performance.now() - started);
			blockMs = Math.max(blockMs, probe.read());
		}
		results.push({ engine, shape, bytes, ms: round(median(times), 1), blockMs: round(Math.max(0, blockMs), 1), note });
	};

	const stub = await startStubProcess(STUB_KEY);
	const { harness: aiNodeHarness } = aiHarness(stub.url);
	const fillHarness = templateHarness();
	// Warm n8n's engine (DI container, binary data service) and the tokenizer's ranks before timing.
	await aiNodeHarness.run(aiWorkflow({ optimization: { cacheMode: 'off' } }, { id: 'warmUp' }), { input: [{ prompt: 'warm-up' }] });
	measureTokens('warm up');

	for (const [shapeName, shape] of Object.entries(SHAPES)) {
		for (const size of SIZES) {
			const text = shape(size);
			await measure('tokens', shapeName, size, async () => {
				const count = await measureTokensYielding(text);
				return count.estimated ? 'estimated' : 'exact';
			});
			await measure('aiCallEngine', shapeName, size, async () => {
				const outcome = await runAiCall(promptRequest(text), aiSettings(), aiDependencies());
				return `tokenCount ${outcome.tokenCount}`;
			});
			await measure('nearDuplicates', shapeName, size, async () => {
				const index = new NearDuplicateIndex({ maxEntries: 100 });
				for (let copy = 0; copy < 3; copy++) index.add('scope', `${copy}${text}`, `key${copy}`);
				return index.findSimilar('scope', text, 0.9) ? 'similar' : 'none';
			});
			resetSharedProcessState();
			await measure('node:OptimizedAiCall', shapeName, size, async () => {
				const result = await aiNodeHarness.run(aiWorkflow({ optimization: { compression: 'safe' } }, { id: 'hostileAi' }), { input: [{ prompt: text }] });
				if (result.status !== 'success') return `failed: ${String(result.error).slice(0, 80)}`;
				return `tokenCount ${(result.json('Ask')[0].optimization as { tokenCount: string }).tokenCount}`;
			});
			await measure('node:TemplatePopulate', shapeName, size, async () => {
				const result = await fillHarness.run(
					templateWorkflow({ template: 'Value: {{value}} ({{name}})', outputFormat: 'text' }, { id: 'hostileFill' }),
					{ input: [{ value: text, name: 'n' }] },
				);
				return result.status === 'success' ? '' : `failed: ${String(result.error).slice(0, 80)}`;
			});
		}
	}

	const tiny = Array.from({ length: TINY_ITEMS }, (_, index) => ({ prompt: `p${index % 50}`, value: index, name: `n${index}` }));
	resetSharedProcessState();
	await measure('node:OptimizedAiCall', 'tinyItems', `${TINY_ITEMS} items`, async () => {
		const result = await aiNodeHarness.run(aiWorkflow({}, { id: 'hostileTiny' }), { input: tiny });
		return result.status === 'success' ? `${result.json('Ask').length} items` : `failed: ${String(result.error).slice(0, 80)}`;
	});
	await measure('node:TemplatePopulate', 'tinyItems', `${TINY_ITEMS} items`, async () => {
		const result = await fillHarness.run(templateWorkflow({ template: '{{name}}={{value}}', outputFormat: 'text' }, { id: 'hostileTinyFill' }), { input: tiny });
		return result.status === 'success' ? `${result.json('Fill').length} items` : `failed: ${String(result.error).slice(0, 80)}`;
	});
	await batchCases(measure, TINY_ITEMS, SIZES[SIZES.length - 1]);
	await monitorCases(measure);
	await snapshotCases(measure, TINY_ITEMS);
	probe.stop();
	await stub.stop();

	printTable('Hostile inputs: time and longest event-loop block per case', results.map((result) => ({ ...result, bytes: sizeLabel(result.bytes) })));
	const estimate = estimateError();
	printTable('Token estimate against the exact o200k count (normal text)', estimate.rows);

	const worst = results.reduce((a, b) => (b.blockMs > a.blockMs ? b : a));
	const growth = growthExponents(results);
	printTable('Growth between the two largest sizes', growth.map((entry) => ({ case: entry.key, exponent: round(entry.exponent, 2) })));
	const worstGrowth = growth.reduce((a, b) => (b.exponent > a.exponent ? b : a), { key: 'none', exponent: 0 });
	printFigures({
		bench: 'hostile',
		cases: results.length,
		maxBlockMs: worst.blockMs,
		worstCase: `${worst.engine} ${worst.shape} ${sizeLabel(worst.bytes)}`,
		growthExponent: round(worstGrowth.exponent, 2),
		worstGrowthCase: worstGrowth.key,
		tokenEstimateMaxErrorPct: estimate.maxErrorPct,
		sizes: SIZES.map(sizeLabel),
	});
}

function promptRequest(text: string) {
	return {
		model: 'gpt-4o-mini',
		messages: [{ role: 'user' as const, content: text }],
		temperature: 0,
		responseFormat: 'text' as const,
	};
}

function aiSettings(): AiCallSettings {
	return {
		cacheMode: 'readWrite',
		cacheTtlMs: 0,
		cacheNonZeroTemperature: false,
		persist: false,
		nearDuplicateThreshold: 0.9,
		compression: 'safe',
		retryPolicy: defaultRetryPolicy,
		price: { input: 0.15, output: 0.6 },
	};
}

function aiDependencies(): AiCallDependencies {
	const process = new ProcessState({ instanceId: 'bench', clock: systemClock });
	const store = new StaticDataStateStore({ process, workflowId: 'hostile', staticData: {}, logger: silentLogger });
	return {
		client: {
			endpoint: resolveEndpoint({ provider: 'openAiCompatible', baseUrl: 'https://llm.example.test/v1', apiKey: 'sk-bench' }),
			send: async () => ({ text: 'ok', finishReason: 'stop', usage: { input: 0, output: 1, cachedInput: 0, cacheWrite: 0 }, hasToolCalls: false, toolCalls: [], raw: {} }),
		},
		cache: store.caches.open('ai:hostile', { maxEntries: 100, ttlMs: 0 }),
		coalesce: (key, work) => store.caches.coalesce(key, work),
		nearDuplicates: new NearDuplicateIndex({ maxEntries: 100 }),
		sleep: async () => undefined,
		clock: systemClock,
		now: () => performance.now(),
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Per engine and shape, log(time ratio) / log(size ratio) between the two largest sizes (median times of 5 runs). */
function growthExponents(results: CaseResult[]): Array<{ key: string; exponent: number }> {
	if (SIZES.length < 2) return [];
	const [smaller, larger] = SIZES.slice(-2);
	const byCase = new Map<string, { small?: number; large?: number }>();
	for (const result of results) {
		const key = `${result.engine} ${result.shape}`;
		const entry = byCase.get(key) ?? {};
		if (result.bytes === smaller) entry.small = result.ms;
		if (result.bytes === larger) entry.large = result.ms;
		byCase.set(key, entry);
	}
	const exponents: Array<{ key: string; exponent: number }> = [];
	for (const [key, { small, large }] of byCase) {
		// Below a few ms, timer noise dominates the ratio.
		if (small === undefined || large === undefined || large < 20) continue;
		exponents.push({ key, exponent: Math.log(large / Math.max(small, 0.1)) / Math.log(larger / smaller) });
	}
	return exponents;
}

/** The linear estimate against the exact count on normal text: this package's docs, code and examples, other scripts. */
function estimateError() {
	const root = join(__dirname, '..');
	const sources: Array<[string, string]> = [
		['English prose (README.md)', 'README.md'],
		['TypeScript (lib/aiCall/aiCallEngine.ts)', 'lib/aiCall/aiCallEngine.ts'],
		['JSON (examples/performance-api.json)', 'examples/performance-api.json'],
		['Chinese (xss README.zh.md)', 'node_modules/xss/README.zh.md'],
		...readdirSync(join(root, 'node_modules/yargs/locales'))
			.filter((file) => ['ru.json', 'ja.json', 'ko.json', 'hi.json', 'th.json', 'de.json'].includes(file))
			.map((file): [string, string] => [`yargs locale ${file}`, `node_modules/yargs/locales/${file}`]),
	];
	const rows: Array<Record<string, string | number>> = [];
	let maxErrorPct = 0;
	for (const [name, path] of sources) {
		const text = readFileSync(join(root, path), 'utf8');
		const exact = measureTokens(text);
		// Repeating the text past the exact limit forces the estimate; its tokens scale with the copies.
		const copies = Math.ceil((300 * KB) / text.length);
		const estimated = measureTokens(`${text}\n`.repeat(copies));
		const perCopy = estimated.tokens / copies;
		const errorPct = round((perCopy / exact.tokens - 1) * 100, 1);
		maxErrorPct = Math.max(maxErrorPct, Math.abs(errorPct));
		rows.push({ text: name, exactTokens: exact.tokens, estimatedTokens: round(perCopy, 0), errorPct });
	}
	return { rows, maxErrorPct };
}

function sizeLabel(bytes: number | string): string {
	if (typeof bytes === 'string') return bytes;
	return bytes >= MB ? `${bytes / MB} MB` : `${bytes / KB} KB`;
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
