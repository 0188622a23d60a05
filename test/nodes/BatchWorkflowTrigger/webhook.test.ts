import { resetSharedProcessState } from '../../../lib/state';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhookReceiver';
import { batchHarness, batchWorkflow, values } from './batchWorkflow';

type Json = Record<string, any>;

describe('Batch Workflow Trigger: webhook target', () => {
	const receivers: WebhookReceiver[] = [];
	const receiver = async (name: string) => {
		const started = await startWebhookReceiver(name);
		receivers.push(started);
		return started;
	};
	afterEach(async () => {
		await resetSharedProcessState();
		await Promise.all(receivers.splice(0).map((started) => started.close()));
	});

	it('sends gzip batches over one kept-alive connection and maps the answers back by correlation', async () => {
		const one = await receiver('one');
		const records = values(40, (index) => ({ note: `record ${index} `.repeat(20) }));
		const result = await batchHarness().run(batchWorkflow({ target: 'webhook', webhookUrls: one.url, batchSize: 10, maxInFlight: 1 }), { input: records });
		expect(result.status).toBe('success');
		const out = result.json('Send') as Json[];
		expect(out.map((item) => item.value)).toEqual(records.map((record) => record.value));
		expect(out.every((item) => item.processed === true && item._batch.endpoint === one.url)).toBe(true);
		expect(one.batches).toHaveLength(4);
		expect(one.batches.every((batch) => batch.headers['content-encoding'] === 'gzip')).toBe(true);
		expect(one.batches[0].wireBytes).toBeLessThan(Buffer.byteLength(JSON.stringify(one.batches[0].body)) / 2);
		expect(new Set(one.batches.map((batch) => batch.headers['x-batch-id'])).size).toBe(4);
		expect(one.connections()).toBe(1);
	});

	it('balances batches round-robin over several endpoints', async () => {
		const [a, b] = [await receiver('a'), await receiver('b')];
		const result = await batchHarness().run(batchWorkflow({ target: 'webhook', webhookUrls: `${a.url}\n${b.url}`, batchSize: 5, maxInFlight: 1 }), {
			input: values(20),
		});
		expect(result.status).toBe('success');
		expect([a.batches.length, b.batches.length]).toEqual([2, 2]);
	});

	it('fails over to a healthy endpoint when one is down', async () => {
		const alive = await receiver('alive');
		const dead = await receiver('dead');
		await dead.close();
		const result = await batchHarness().run(
			batchWorkflow({ target: 'webhook', webhookUrls: `${dead.url}\n${alive.url}`, batchSize: 5, maxInFlight: 1, options: { maxAttempts: 3 } }),
			{ input: values(20) },
		);
		expect(result.status).toBe('success');
		expect((result.json('Send') as Json[]).every((item) => item.by === 'alive')).toBe(true);
		expect(alive.batches).toHaveLength(4);
	});

	it('honours Retry-After on a 429 and resends the same batch id', async () => {
		const one = await receiver('busy');
		one.failNext({ status: 429, headers: { 'retry-after-ms': '20' } });
		const result = await batchHarness().run(batchWorkflow({ target: 'webhook', webhookUrls: one.url, batchSize: 10 }), { input: values(3) });
		expect(result.status).toBe('success');
		expect((result.json('Send') as Json[])[0]._batch.attempts).toBe(2);
	});

	it('fails with the state of every endpoint when all are down, or gives each item the error with continue on fail', async () => {
		const down = await receiver('down');
		await down.close();
		const failing = await batchHarness().run(
			batchWorkflow({ target: 'webhook', webhookUrls: down.url, batchSize: 5, options: { maxAttempts: 2 } }, { continueOnFail: true }),
			{ input: values(3) },
		);
		const out = failing.json('Send') as Json[];
		expect(out).toHaveLength(3);
		expect(out.every((item) => /Batch 0 \(items 0-2\):/.test(item.error) && item.error.includes(down.url))).toBe(true);
	});

	it('does not retry a 400', async () => {
		const one = await receiver('strict');
		one.failNext({ status: 400 });
		const result = await batchHarness().run(batchWorkflow({ target: 'webhook', webhookUrls: one.url }, { continueOnFail: true }), { input: values(2) });
		expect((result.json('Send') as Json[])[0]).toMatchObject({ httpCode: '400' });
		expect(one.batches).toHaveLength(0);
	});
});
