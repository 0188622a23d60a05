import { redactSecrets } from '../../../lib/shared/redact';

const KEY = 'sk-live-4f9a1c7e2b8d6053';

describe('redactSecrets', () => {
	it('replaces every occurrence of a secret', () => {
		const text = `Incorrect API key provided: ${KEY}. You passed ${KEY} twice.`;
		const result = redactSecrets(text, [KEY]);
		expect(result).toBe('Incorrect API key provided: [redacted]. You passed [redacted] twice.');
		expect(result).not.toContain(KEY);
	});

	it('removes the 8-character head of a masked echo of the key', () => {
		const masked = `${KEY.slice(0, 8)}${'*'.repeat(12)}${KEY.slice(-4)}`;
		const result = redactSecrets(`Incorrect API key provided: ${masked}`, [KEY]);
		expect(result).toBe(`Incorrect API key provided: [redacted]${'*'.repeat(12)}${KEY.slice(-4)}`);
		expect(result).not.toContain(KEY.slice(0, 8));
	});

	it('redacts every secret it is given and skips missing ones', () => {
		const header = 'tenant-token-99af';
		const result = redactSecrets(`key=${KEY} header=${header}`, [KEY, undefined, header, '']);
		expect(result).toBe('key=[redacted] header=[redacted]');
	});

	it('ignores secrets shorter than 6 characters, which would mangle ordinary words', () => {
		expect(redactSecrets('the model is not ready', ['the', 'ready'])).toBe('the model is not ready');
	});

	it('redacts a secret of exactly 6 characters', () => {
		expect(redactSecrets('token abc123 rejected', ['abc123'])).toBe('token [redacted] rejected');
	});

	it('leaves text without secrets unchanged', () => {
		expect(redactSecrets('rate limit reached', [KEY])).toBe('rate limit reached');
		expect(redactSecrets('', [KEY])).toBe('');
	});
});
