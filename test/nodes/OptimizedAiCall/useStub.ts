import { resetSharedProcessState } from '../../../lib/state';
import { startLlmStub, type LlmStub, type LlmStubOptions } from '../../helpers/llmStub';
import { STUB_KEY } from './aiWorkflow';

/**
 * Starts one stub for a test file and gives each test a clean slate: no recorded requests, no latency, and a
 * fresh process-wide state (as after a restart). Read `.current` inside tests.
 */
export function useLlmStub(options: LlmStubOptions = {}): { current: LlmStub } {
	const holder = {} as { current: LlmStub };
	beforeAll(async () => {
		holder.current = await startLlmStub({ apiKey: [STUB_KEY, `${STUB_KEY}-2`], ...options });
	});
	afterAll(async () => holder.current.close());
	beforeEach(() => {
		holder.current.reset();
		holder.current.setLatency(0);
		resetSharedProcessState();
	});
	return holder;
}
