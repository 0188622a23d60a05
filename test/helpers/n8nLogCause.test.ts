import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeN8nFailure, n8nLogCause } from './n8nLogCause';

const LOG_FILE = join(tmpdir(), 'n8n.log');

// Lines as n8n 2.40.7 writes them when its sqlite3 binding was never built (test/e2e/firstRun.e2e.ts checks the same
// against a real n8n).
const SQLITE_MISSING_LOG = [
	'Initializing n8n process',
	'\u001b[31mInitial database connection attempt 1 failed: SQLite package has not been found installed. Try to install it: npm install sqlite3 --save\u001b[39m',
	'Error: getaddrinfo ENOTFOUND api.n8n.io',
	'Initial database connection attempt 5 failed: SQLite package has not been found installed. Try to install it: npm install sqlite3 --save',
	'There was an error initializing DB',
	'    at DbConnection.init (/cache/n8n/node_modules/@n8n/db/dist/connection/db-connection.js:44:19)',
	'',
].join('\n');

describe('n8nLogCause', () => {
	it("names the missing sqlite3 binding and says how to repair the cache", () => {
		const cause = n8nLogCause(SQLITE_MISSING_LOG);
		expect(cause.errorLines).toEqual([
			'Initial database connection attempt 1 failed: SQLite package has not been found installed. Try to install it: npm install sqlite3 --save',
			'Initial database connection attempt 5 failed: SQLite package has not been found installed. Try to install it: npm install sqlite3 --save',
			'There was an error initializing DB',
		]);
		expect(cause.advice).toMatch(/npm run provision/);
	});

	it('leaves out offline noise and stack frames', () => {
		const cause = n8nLogCause(SQLITE_MISSING_LOG);
		expect(cause.errorLines.join('\n')).not.toMatch(/api\.n8n\.io|    at /);
	});

	it('recognises a taken port', () => {
		const cause = n8nLogCause('n8n ready\nError: listen EADDRINUSE: address already in use 127.0.0.1:5678\n');
		expect(cause.advice).toMatch(/port/);
	});

	it('gives the error lines without advice when the cause is unknown', () => {
		const cause = n8nLogCause('Starting\nError: something new went wrong\n');
		expect(cause).toEqual({ errorLines: ['Error: something new went wrong'], advice: undefined });
	});

	it('writes one message with the cause, the advice and the log path', () => {
		const message = describeN8nFailure('n8n exited with code 1 before it was ready.', SQLITE_MISSING_LOG, LOG_FILE);
		expect(message.split('\n')[0]).toBe('n8n exited with code 1 before it was ready.');
		expect(message).toContain('There was an error initializing DB');
		expect(message).toContain('What to do: the cached n8n has no working sqlite3 binding');
		expect(message.endsWith(`Full log: ${LOG_FILE}`)).toBe(true);
	});

	it('still points to the log when the log is empty', () => {
		expect(describeN8nFailure('n8n was not ready within 120 s.', '', LOG_FILE)).toBe(`n8n was not ready within 120 s.\nFull log: ${LOG_FILE}`);
	});
});
