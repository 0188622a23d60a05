import { startLlmStub } from './llmStub';

/**
 * The LLM stub as a process of its own, for the end-to-end demo with a real n8n:
 *
 *   node -r ts-node/register/transpile-only test/helpers/llmStubServer.ts --port 0
 *
 * prints one JSON line, `{"url":"http://127.0.0.1:PORT"}`, then serves until SIGTERM or SIGINT.
 * Environment: LLM_STUB_LATENCY_MS, LLM_STUB_API_KEY, LLM_STUB_CACHED_TOKENS, LLM_STUB_STREAM_GAP_MS.
 * Its counters are at GET /_stub/stats and its tool scripts at POST/DELETE /_stub/script, since the caller cannot
 * reach the object.
 */

function portArgument(argv: string[]): number {
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index];
		if (argument === '--port') return parseCount('--port', argv[index + 1]);
		if (argument.startsWith('--port=')) return parseCount('--port', argument.slice('--port='.length));
	}
	return 0;
}

function parseCount(name: string, value: string | undefined): number {
	const number = Number(value);
	if (value === undefined || value.trim() === '' || !Number.isInteger(number) || number < 0) {
		throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
	}
	return number;
}

function countFromEnv(name: string): number | undefined {
	const value = process.env[name];
	return value === undefined || value === '' ? undefined : parseCount(name, value);
}

async function main(): Promise<void> {
	const stub = await startLlmStub({
		port: portArgument(process.argv.slice(2)),
		latencyMs: countFromEnv('LLM_STUB_LATENCY_MS'),
		apiKey: process.env.LLM_STUB_API_KEY || undefined,
		cachedTokens: countFromEnv('LLM_STUB_CACHED_TOKENS'),
		streamGapMs: countFromEnv('LLM_STUB_STREAM_GAP_MS'),
	});
	process.stdout.write(`${JSON.stringify({ url: stub.url })}\n`);
	const stop = () => {
		void stub.close().then(() => process.exit(0));
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

main().catch((error) => {
	process.stderr.write(`llm stub: ${error?.message ?? error}\n`);
	process.exit(1);
});
