import { performance } from 'node:perf_hooks';
import type { N8nInstance } from '../test/e2e/n8nInstance';
import type { Setup } from './n8nComparisons';

export interface RunMeasure {
	wallMs: number;
	/** CPU time of the n8n main process during the run. */
	n8nCpuMs: number;
	/** Executions n8n saved for the run (the workflow's own and its sub-workflows'). */
	executions: number;
	savedBytes: number;
	/** Requests that reached the LLM stub or the receiver during the run, where the comparison counts them. */
	upstream?: number;
}

/** One webhook run of a setup with `items`; fails when the answer is not what the setup must produce. */
export async function measureRun(n8n: N8nInstance, setup: Setup, items: unknown[], roundName: string): Promise<{ wallMs: number; n8nCpuMs: number }> {
	const cpuBefore = n8n.cpuMs();
	const started = performance.now();
	const response = await fetch(`${n8n.baseUrl}/webhook/${setup.path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	const text = await response.text();
	const wallMs = performance.now() - started;
	const n8nCpuMs = n8n.cpuMs() - cpuBefore;
	let output: unknown;
	try {
		output = JSON.parse(text);
	} catch {
		// reported below as it came
	}
	const problem = response.status !== 200 ? `HTTP ${response.status}` : setup.check(Array.isArray(output) ? output : [output], items);
	if (problem) throw new Error(`${setup.label}, ${roundName}: ${problem}: ${text.slice(0, 400)}\nn8n's log: ${n8n.logFile}`);
	return { wallMs, n8nCpuMs };
}
