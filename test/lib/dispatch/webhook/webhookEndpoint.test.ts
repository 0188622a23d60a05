import { inspect } from 'node:util';
import { encodeBatchBody, parseWebhookEndpoints, stripUserInfo, WebhookEndpoint } from '../../../../lib/dispatch/webhook';

describe('WebhookEndpoint', () => {
	it('splits a URL into origin and path and names it without credentials or fragment', () => {
		const endpoint = new WebhookEndpoint('https://user:secret-pass@n8n.example.com:8443/webhook/batch?x=1#top');
		expect(endpoint).toMatchObject({
			url: 'https://n8n.example.com:8443/webhook/batch?x=1',
			origin: 'https://n8n.example.com:8443',
			path: '/webhook/batch?x=1',
		});
		expect(endpoint.authHeaders()).toEqual({ authorization: `Basic ${Buffer.from('user:secret-pass').toString('base64')}` });
		expect(`${endpoint} ${JSON.stringify(endpoint)} ${inspect(endpoint)}`).not.toMatch(/secret|user:|Basic/);
	});

	it('refuses bad URLs and headers with messages that never repeat a password', () => {
		expect(() => new WebhookEndpoint('ftp://u:hidden-pw@host/x')).toThrow('Expected a webhook URL starting with http:// or https://, got ftp://host/x');
		expect(() => new WebhookEndpoint('http://u:hidden-pw@')).toThrow('Expected a valid webhook URL such as http://localhost:5678/webhook/path, got http://');
		expect(() => new WebhookEndpoint('')).toThrow('Expected a webhook URL as a non-empty string, got ""');
		expect(() => new WebhookEndpoint('http://h/x', { 'Content-Type': 'text/plain' })).toThrow(
			'Expected the auth headers of http://h/x not to set `content-type`, which the dispatcher sets itself',
		);
		expect(() => new WebhookEndpoint('http://h/x', { 'X-Key': 'a\r\nX-Evil: 1' })).toThrow(
			'Expected the `x-key` header of http://h/x to be a string without line breaks',
		);
		expect(() => new WebhookEndpoint('http://u:p@h/x', { Authorization: 'Bearer t' })).toThrow(
			'Expected credentials either in the URL or in an `authorization` header of http://h/x, not both',
		);
	});

	it('parses lists and refuses the same URL twice', () => {
		expect(parseWebhookEndpoints(['http://a/x', 'http://b/x']).map(String)).toEqual(['http://a/x', 'http://b/x']);
		expect(() => parseWebhookEndpoints(['http://u:1@a/x', 'http://u:2@a/x'])).toThrow('Expected each webhook URL once, got http://a/x twice');
		expect(() => parseWebhookEndpoints([])).toThrow('Expected at least one webhook URL');
	});

	it('strips credentials from any text', () => {
		expect(stripUserInfo('see http://u:p@h/x and https://t@h2')).toBe('see http://h/x and https://h2');
	});
});

describe('encodeBatchBody', () => {
	it('keeps an incompressible body plain even above the threshold', async () => {
		const random = Array.from({ length: 300 }, (_, index) => ((index * 7919) % 65_521).toString(36)).join('');
		const encoded = await encodeBatchBody({ random }, { gzipThresholdBytes: 10, maxBodyBytes: 1_000_000 });
		expect(encoded.bytesSent).toBeLessThanOrEqual(encoded.bytesRaw);
	});

	it('refuses bodies that are not objects or not JSON', async () => {
		const options = { gzipThresholdBytes: 1024, maxBodyBytes: 1000 };
		await expect(encodeBatchBody(null as never, options)).rejects.toThrow('Expected the batch body to be an object or array, got null');
		await expect(encodeBatchBody({ n: BigInt(1) }, options)).rejects.toThrow(/^Expected the batch body to be serialisable as JSON: /);
	});
});
