import { gunzipSync } from 'node:zlib';
import { EndpointPools, EndpointRequestError, WebhookEndpoint } from '../../../../lib/dispatch/webhook';
import { deadEndpoint, Receiver, type Handler } from './receiver';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
	await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function receiver(handler?: Handler): Promise<Receiver> {
	const started = await Receiver.start(handler);
	cleanups.push(() => started.close());
	return started;
}

function pools(options: ConstructorParameters<typeof EndpointPools>[0] = {}): EndpointPools {
	const created = new EndpointPools(options);
	cleanups.push(() => created.close());
	return created;
}

/** A body of about `bytes` bytes of JSON that compresses well, like real batches of similar items. */
function bodyOfSize(bytes: number): object {
	const items = Array.from({ length: Math.ceil(bytes / 40) }, (_, index) => ({ id: index, status: 'pending' }));
	return { batchId: 'b', items };
}

describe('EndpointPools', () => {
	it('sends bodies above the gzip threshold compressed, decodable by the receiver, and smaller ones as plain JSON', async () => {
		const server = await receiver();
		const endpoint = new WebhookEndpoint(server.url());
		const sender = pools({ gzipThresholdBytes: 1024 });

		const small = { batchId: 'small', items: [{ id: 1 }] };
		const smallResponse = await sender.post(endpoint, 'small', await sender.encode(small));
		const large = bodyOfSize(20_000);
		const largeResponse = await sender.post(endpoint, 'large', await sender.encode(large));

		const [smallRequest, largeRequest] = server.requests;
		expect(smallRequest.headers['content-encoding']).toBeUndefined();
		expect(JSON.parse(smallRequest.raw.toString('utf8'))).toEqual(small);
		expect(smallResponse).toMatchObject({ status: 200, gzip: false, bytesSent: smallResponse.bytesRaw });

		expect(largeRequest.headers['content-encoding']).toBe('gzip');
		expect(largeRequest.headers['content-type']).toBe('application/json');
		expect(JSON.parse(gunzipSync(largeRequest.raw).toString('utf8'))).toEqual(large);
		expect(largeResponse.gzip).toBe(true);
		expect(largeResponse.bytesRaw).toBe(Buffer.byteLength(JSON.stringify(large)));
		expect(largeResponse.bytesSent).toBe(largeRequest.raw.length);
		expect(largeResponse.bytesSent).toBeLessThan(largeResponse.bytesRaw / 5);
	});

	it('compresses only bodies strictly above the threshold', async () => {
		const sender = pools({ gzipThresholdBytes: 1024 });
		const exactly = { text: 'a'.repeat(1024 - '{"text":""}'.length) };
		expect(Buffer.byteLength(JSON.stringify(exactly))).toBe(1024);
		expect((await sender.encode(exactly)).gzip).toBe(false);
		expect((await sender.encode({ text: `${exactly.text}a` })).gzip).toBe(true);
	});

	it('sends auth headers and Basic auth from URL credentials, and keeps them out of errors', async () => {
		const server = await receiver();
		const sender = pools();
		const withToken = new WebhookEndpoint(server.url(), { 'X-N8N-Token': 'token-value-123456' });
		const withUrlCredentials = new WebhookEndpoint(server.url().replace('http://', 'http://batch:pa%24%24word-99@'));
		await sender.post(withToken, 'b1', await sender.encode({ items: [] }));
		await sender.post(withUrlCredentials, 'b2', await sender.encode({ items: [] }));
		expect(server.requests[0].headers['x-n8n-token']).toBe('token-value-123456');
		expect(server.requests[1].headers.authorization).toBe(`Basic ${Buffer.from('batch:pa$$word-99').toString('base64')}`);
		expect(server.requests[1].headers['x-batch-id']).toBe('b2');

		const dead = await deadEndpoint();
		const deadWithSecrets = new WebhookEndpoint(dead.url.replace('http://', 'http://batch:pa%24%24word-99@'), {
			'X-N8N-Token': 'token-value-123456',
		});
		const error = (await sender.post(deadWithSecrets, 'b3', await sender.encode({})).catch((caught: unknown) => caught)) as EndpointRequestError;
		expect(error).toBeInstanceOf(EndpointRequestError);
		expect(error).toMatchObject({ endpoint: dead.url, code: 'ECONNREFUSED', errorClass: 'network' });
		expect(error.failure).toEqual({ networkError: true });
		const visible = `${error.message} ${JSON.stringify(error)} ${String(deadWithSecrets)} ${JSON.stringify({ deadWithSecrets })}`;
		expect(visible).not.toMatch(/token-value|pa\$\$word|pa%24%24word|batch:/);
	});

	it('reports a timeout when no answer arrives in time', async () => {
		const server = await receiver(() => 'hang');
		const sender = pools({ timeoutMs: 100 });
		const error = await sender.post(new WebhookEndpoint(server.url()), 'b1', await sender.encode({})).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(EndpointRequestError);
		expect(error).toMatchObject({ failure: { timeout: true }, errorClass: 'timeout', detail: 'no answer within 100 ms' });
	});

	it('aborts through the signal and reports the request as cancelled', async () => {
		const server = await receiver(() => 'hang');
		const sender = pools();
		const controller = new AbortController();
		const pending = sender.post(new WebhookEndpoint(server.url()), 'b1', await sender.encode({}), { signal: controller.signal });
		setTimeout(() => controller.abort(), 20);
		await expect(pending).rejects.toMatchObject({ failure: { cancelled: true }, errorClass: 'cancelled' });
	});

	it('returns answers of any status with their body, for the caller to judge', async () => {
		const server = await receiver(() => ({ status: 503, headers: { 'retry-after': '3' }, body: { message: 'busy' } }));
		const sender = pools();
		const response = await sender.post(new WebhookEndpoint(server.url()), 'b1', await sender.encode({}));
		expect(response).toMatchObject({ status: 503, bodyText: '{"message":"busy"}' });
		expect(response.headers['retry-after']).toBe('3');
	});

	it('shares one pool per origin, bounded by connectionsPerOrigin, and refuses work after close()', async () => {
		const server = await receiver(() => 'hang');
		const sender = new EndpointPools({ connectionsPerOrigin: 2, timeoutMs: 200 });
		const first = new WebhookEndpoint(server.url('/webhook/a'));
		const second = new WebhookEndpoint(server.url('/webhook/b'));
		const body = await sender.encode({});
		const requests = [first, second, first, second].map((endpoint) => sender.post(endpoint, 'b', body).catch(() => undefined));
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(sender.stats()).toEqual([{ origin: `http://127.0.0.1:${server.port}`, connected: 2, free: 0, running: 2, queued: 2 }]);
		await server.close();
		await Promise.all(requests);
		await sender.close();
		await expect(sender.post(first, 'b', body)).rejects.toThrow('Expected the endpoint pools to be open');
	});

	it('refuses a body above the size limit before sending anything', async () => {
		const sender = pools({ maxBodyBytes: 100 });
		await expect(sender.encode({ text: 'x'.repeat(200) })).rejects.toThrow(
			/^Expected the batch body to be at most 100 bytes of JSON \(the receiver's payload limit\), got 211/,
		);
	});

	it('fails without retry when a response exceeds maxResponseBytes', async () => {
		const server = await receiver(() => ({ status: 200, body: 'x'.repeat(10_000) }));
		const sender = pools({ maxResponseBytes: 1000 });
		const error = await sender.post(new WebhookEndpoint(server.url()), 'b1', await sender.encode({})).catch((caught: unknown) => caught);
		expect(error).toMatchObject({ failure: {}, errorClass: 'other', detail: 'the response is larger than 1000 bytes' });
	});

	it('checks its options with precise messages', () => {
		expect(() => new EndpointPools({ connectionsPerOrigin: 0 })).toThrow('Expected `connectionsPerOrigin` to be an integer from 1 and up, got 0');
		expect(() => new EndpointPools({ timeoutMs: -1 })).toThrow('Expected `timeoutMs` to be a number of ms from 1 to 2147483647, got -1');
		expect(() => new EndpointPools({ gzipThresholdBytes: 1.5 })).toThrow('Expected `gzipThresholdBytes` to be an integer from 0 and up, got 1.5');
	});
});
