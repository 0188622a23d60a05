import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/**
 * The LLM stub as a process of its own (test/helpers/llmStubServer.ts). A bench that records n8n's event-loop
 * blocks runs the provider elsewhere, as a real provider is: an in-process stub that reads a 15 MB request and
 * echoes it back would hold the same event loop, and its time would be counted as n8n's.
 */
export interface StubProcess {
	url: string;
	stop(): Promise<void>;
}

export interface StubProcessOptions {
	/** Delay before each completion reply. @default 0 */
	latencyMs?: number;
	/** Pause between two frames of a streamed answer. @default the stub's own */
	streamGapMs?: number;
}

export async function startStubProcess(apiKey: string, options: StubProcessOptions = {}): Promise<StubProcess> {
	const env: NodeJS.ProcessEnv = { ...process.env, LLM_STUB_API_KEY: apiKey, LLM_STUB_LATENCY_MS: String(options.latencyMs ?? 0) };
	if (options.streamGapMs !== undefined) env.LLM_STUB_STREAM_GAP_MS = String(options.streamGapMs);
	const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '../test/helpers/llmStubServer.ts'), '--port', '0'], {
		env,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const { url } = JSON.parse(await firstLine(child)) as { url: string };
	return {
		url,
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = once(child, 'exit');
			child.kill('SIGTERM');
			await exited;
		},
	};
}

function firstLine(child: ChildProcess): Promise<string> {
	return new Promise((resolve, reject) => {
		let stdout = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			stdout += chunk.toString('utf8');
			if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
		});
		child.once('exit', (code) => reject(new Error(`the LLM stub exited with ${code} before printing its URL`)));
	});
}
