import type { BatchDeliveryDependencies, BatchDeliverySettings, BatchItem } from '../../../lib/batchDelivery';
import { createBatchClient, resolveEndpoint, type BatchLimits, type ChatRequest, type ProviderKind } from '../../../lib/providers';
import { sleepWithSignal } from '../../../lib/resilience';
import { systemClock } from '../../../lib/shared/clock';
import { silentLogger } from '../../../lib/shared/logger';
import { ProcessState, StaticDataStateStore, type StateStore } from '../../../lib/state';
import { DEFAULT_STUB_API_KEY, type LlmStub } from '../../helpers/llmStub';

/** A price with batch rates at half the immediate ones, as every listed model has. */
export const BATCH_PRICE = { input: 2, output: 8, batchInput: 1, batchOutput: 4 };

export const batchSettings: BatchDeliverySettings = {
	cacheMode: 'readWrite',
	cacheTtlMs: 0,
	cacheNonZeroTemperature: false,
	persist: true,
	compression: 'off',
	priceFor: () => BATCH_PRICE,
	pollIntervalMs: 5,
	maxPollIntervalMs: 20,
	maxWaitMs: 10_000,
	cancelOnStop: false,
};

export function request(prompt: string): ChatRequest {
	return { model: 'test-model', messages: [{ role: 'user', content: prompt }], temperature: 0, responseFormat: 'text' };
}

export function items(...prompts: string[]): BatchItem[] {
	return prompts.map((prompt, itemIndex) => ({ itemIndex, request: request(prompt) }));
}

/** A static-data store on its own process state; `restart()` gives a new process on the same saved static data. */
export class StoreOnStaticData {
	readonly staticData: Record<string, unknown> = {};
	store: StateStore;
	constructor() {
		this.store = this.open();
	}

	async restart(): Promise<void> {
		await this.store.commit();
		this.store = this.open();
	}

	private open(): StateStore {
		const process = new ProcessState({ instanceId: 'host-a', clock: systemClock });
		return new StaticDataStateStore({ process, workflowId: 'wf1', staticData: this.staticData, logger: silentLogger });
	}
}

/** Engine dependencies as the node builds them: a real batch client on the stub and a real static-data store. */
export function batchOnStub(stub: LlmStub, provider: ProviderKind, store: StateStore, limits?: Partial<BatchLimits>): BatchDeliveryDependencies {
	const endpoint = resolveEndpoint({ provider, baseUrl: provider === 'anthropic' ? stub.anthropicBaseUrl : stub.openAiBaseUrl, apiKey: DEFAULT_STUB_API_KEY });
	return {
		client: createBatchClient(endpoint, { timeoutMs: 5000, limits }),
		endpoint,
		cache: store.caches.open('ai:test', { maxEntries: 1000, ttlMs: 0 }),
		records: store.records,
		sleep: sleepWithSignal,
		clock: systemClock,
		now: () => performance.now(),
	};
}
