import { performance } from 'node:perf_hooks';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { MetricEvent } from '../../lib/metrics';
import { WorkSlicer } from '../../lib/shared/yieldToEventLoop';
import type { StateStore } from '../../lib/state';
import { errorClassOf, errorItemOrThrow } from './errors';

export interface ItemRunOptions {
	context: IExecuteFunctions;
	store: StateStore;
	/** The unit-of-work operation a failed item is recorded under (e.g. `aiCall`, `populatedItem`); none when unset. */
	unitOperation?: string;
	/** Items worked on at once; 1 (the default) works through them in order. */
	concurrency?: number;
	/** What a failed item's metric says beyond its duration and error class (cache outcome, retries). */
	failureFacts?: (error: unknown) => Partial<MetricEvent>;
	/** Shared with the operation when its items' own long steps yield through the same slices. */
	slicer?: WorkSlicer;
}

/**
 * Runs `work` for every input item and returns the output in input order. It owns what every item needs: the
 * event-loop slicing (thousands of cache hits would otherwise run as one block), the timing and the metric of a
 * failed item, and the failure itself. With continue-on-fail a failed item becomes its error item (on the error
 * output when the node has one), paired with its input item. Without, the run stops starting items and throws the
 * first failure in input order, once the items already started have finished.
 */
export async function runItems(
	options: ItemRunOptions,
	work: (itemIndex: number, item: INodeExecutionData, started: number) => Promise<INodeExecutionData>,
): Promise<INodeExecutionData[]> {
	const { context, store } = options;
	const node = context.getNode();
	const items = context.getInputData();
	const slicer = options.slicer ?? new WorkSlicer();
	const continueOnFail = context.continueOnFail();
	const results: Array<{ item: INodeExecutionData } | { error: unknown }> = new Array(items.length);
	let stopped = false;
	let next = 0;

	const runOne = async (itemIndex: number): Promise<void> => {
		const started = performance.now();
		try {
			results[itemIndex] = { item: await work(itemIndex, items[itemIndex], started) };
		} catch (error) {
			if (options.unitOperation !== undefined) store.metrics.record({
				nodeType: node.type,
				nodeName: node.name,
				operation: options.unitOperation,
				durationMs: performance.now() - started,
				outcome: errorClassOf(error),
				...options.failureFacts?.(error),
			});
			results[itemIndex] = { error };
			if (!continueOnFail) stopped = true;
		}
	};
	// Each worker takes the next item in input order; `concurrency` workers keep that many items in flight.
	const worker = async (): Promise<void> => {
		while (next < items.length && !stopped) {
			const itemIndex = next++;
			await slicer.run(async () => await runOne(itemIndex));
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 1), items.length) }, worker));

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = results[itemIndex];
		if (result === undefined) continue;
		output.push('item' in result ? result.item : errorItemOrThrow(context, result.error, itemIndex));
	}
	return output;
}
