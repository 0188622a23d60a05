/**
 * Why an n8n process did not come up, read from its log, so the demo and the end-to-end suite can say more than
 * "see the log": the last error lines n8n wrote, and what to do about the causes we know.
 */

/** Log lines that are noise offline and never the reason n8n stopped. */
const NOISE = [/ENOTFOUND api\.n8n\.io/, /Python task runner/i, /^\s*at /];

const ERROR_LINE = /error|failed|cannot|exception|EADDRINUSE|not found/i;

interface KnownCause {
	pattern: RegExp;
	advice: string;
}

const KNOWN_CAUSES: KnownCause[] = [
	{
		pattern: /SQLite package has not been found|node_sqlite3\.node|Could not locate the bindings file/i,
		advice:
			"the cached n8n has no working sqlite3 binding. Run `npm run provision`: it checks the cache and rebuilds what is broken (or delete ~/.cache/n8n-perf-optimizer to start over)",
	},
	{
		pattern: /EADDRINUSE/,
		advice: 'a port n8n needs is taken by another process: stop the other n8n (or whatever holds the port) and run again',
	},
	{
		pattern: /Cannot find module/,
		advice: 'the cached n8n is incomplete. Run `npm run provision` to check and repair it',
	},
	{
		pattern: /requires Node|Unsupported engine|node: bad option/i,
		advice: 'n8n was started with the wrong Node.js. Run `npm run provision` to check the cached Node 24',
	},
];

export interface N8nLogCause {
	/** The last distinct error lines of the log, oldest first (at most `maxLines`). */
	errorLines: string[];
	/** What to do, when the cause is one we know. */
	advice?: string;
}

export function n8nLogCause(log: string, maxLines = 4): N8nLogCause {
	// Only the end of the log matters; a long log is not scanned whole.
	const lines = log.slice(-64 * 1024).split('\n').map(stripAnsi).map((line) => line.trim());
	const errorLines: string[] = [];
	for (let index = lines.length - 1; index >= 0 && errorLines.length < maxLines; index--) {
		const line = lines[index];
		if (!line || !ERROR_LINE.test(line) || NOISE.some((noise) => noise.test(line))) continue;
		if (!errorLines.includes(line)) errorLines.unshift(line.length > 300 ? `${line.slice(0, 300)}…` : line);
	}
	const known = KNOWN_CAUSES.find((cause) => errorLines.some((line) => cause.pattern.test(line)));
	return { errorLines, advice: known?.advice };
}

/** One message: what happened, n8n's own last error lines, what to do, where the whole log is. */
export function describeN8nFailure(what: string, log: string, logFile: string): string {
	const cause = n8nLogCause(log);
	const parts = [what];
	if (cause.errorLines.length > 0) parts.push(`n8n's last errors:\n  ${cause.errorLines.join('\n  ')}`);
	if (cause.advice) parts.push(`What to do: ${cause.advice}.`);
	parts.push(`Full log: ${logFile}`);
	return parts.join('\n');
}

function stripAnsi(line: string): string {
	return line.replace(/\u001b\[[0-9;]*m/g, '');
}
