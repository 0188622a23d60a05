import { parseSnapshot, STATE_KEY } from '../../../lib/state';
import type { HarnessRun } from '../../helpers/workflowHarness';
import type { LlmStub } from '../../helpers/llmStub';
import { useLlmStub } from './useStub';
import { aiHarness, aiWorkflow, prompts } from './aiWorkflow';

/** Our snapshot in what n8n saved after the run, read; undefined when n8n saved nothing. */
const savedSnapshot = (run: HarnessRun) => {
	const stored = (run.savedStaticData?.global as Record<string, unknown> | undefined)?.[STATE_KEY];
	return stored === undefined ? undefined : parseSnapshot(stored);
};

describe('Optimized AI Call: what n8n saves to static data', () => {
	const stubHolder = useLlmStub();
	let stub: LlmStub;
	beforeEach(() => {
		stub = stubHolder.current;
	});

	it('saves a new answer at once, then leaves static data alone for hits within the flush interval', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({});
		harness.database.add(workflow);
		const miss = await harness.run(workflow, { input: prompts('What is 2+2?') });
		expect(savedSnapshot(miss)).toBeDefined();
		for (let run = 0; run < 5; run++) {
			const hit = await harness.run(workflow, { input: prompts('What is 2+2?') });
			expect((hit.json('Ask')[0].optimization as { cache: string }).cache).toBe('hit');
			expect(hit.savedStaticData).toBeUndefined();
		}
		const another = await harness.run(workflow, { input: prompts('And 3+3?') });
		const saved = savedSnapshot(another)!;
		// The new answer is saved, and so are the hits counted so far, which ride with it.
		expect(Object.values(saved.c).flat()).toHaveLength(2);
		expect(Object.values(saved.c).flat().find((entry) => entry[4] === 5)).toBeDefined();
	});

	it('saves on every execution with a flush interval of 0', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({ metricsFlushSeconds: 0 });
		harness.database.add(workflow);
		await harness.run(workflow, { input: prompts('What is 2+2?') });
		const hit = await harness.run(workflow, { input: prompts('What is 2+2?') });
		expect(savedSnapshot(hit)).toBeDefined();
	});

	it('names the field when the flush interval is negative', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({ metricsFlushSeconds: -5 });
		harness.database.add(workflow);
		const run = await harness.run(workflow, { input: prompts('What is 2+2?') });
		expect(run.error).toMatch(/'Metrics Flush Interval \(Seconds\)'/);
	});
});
