import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';

/**
 * Saved executions per workflow and the bytes of their saved data, read from n8n's SQLite database with n8n's own
 * sqlite3 binding under Node 24 (the binding is built for it, not for the Node that runs the bench). Read between
 * runs, never while one is timed.
 */
export interface SavedExecutions {
	count: number;
	dataBytes: number;
}

const QUERY = `SELECT e.workflowId AS workflowId, COUNT(*) AS count, COALESCE(SUM(LENGTH(d.data)), 0) AS dataBytes
FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id GROUP BY e.workflowId`;

export function savedExecutions(node24: string, n8nBin: string, userFolder: string): Map<string, SavedExecutions> {
	const n8nTree = join(dirname(n8nBin), '..', '..');
	const script = `const sqlite3 = require('sqlite3');
const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READONLY);
db.all(process.argv[2], (error, rows) => { if (error) { console.error(error.message); process.exit(1); } console.log(JSON.stringify(rows)); db.close(); });`;
	const result = spawnSync(join(node24, 'bin', 'node'), ['-e', script, join(userFolder, '.n8n', 'database.sqlite'), QUERY], { cwd: n8nTree, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`reading n8n's executions failed: ${result.stderr}`);
	const rows = JSON.parse(result.stdout) as Array<{ workflowId: string; count: number; dataBytes: number }>;
	return new Map(rows.map((row) => [row.workflowId, { count: row.count, dataBytes: row.dataBytes }]));
}

/** Executions saved between two readings, over the given workflows. */
export function savedBetween(before: Map<string, SavedExecutions>, after: Map<string, SavedExecutions>, workflowIds: string[]): SavedExecutions {
	let count = 0;
	let dataBytes = 0;
	for (const id of workflowIds) {
		count += (after.get(id)?.count ?? 0) - (before.get(id)?.count ?? 0);
		dataBytes += (after.get(id)?.dataBytes ?? 0) - (before.get(id)?.dataBytes ?? 0);
	}
	return { count, dataBytes };
}
