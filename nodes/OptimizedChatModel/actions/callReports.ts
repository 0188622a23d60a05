import type { IDataObject, INodeExecutionData, ISupplyDataFunctions } from 'n8n-workflow';

/** What one model call did, added to its entry in n8n's execution log. */
export interface CallReport {
	/** The answer's text: what the log entry shows, so the report finds its entry. */
	text: string;
	/** What the call spent (none when served from the cache or shared): replaces n8n's estimate when it made one. */
	tokenUsage: { promptTokens: number; completionTokens: number; totalTokens: number };
	optimization: IDataObject;
}

/** Reports kept for entries n8n has not written yet; a bound, so reports of calls n8n never logs cannot pile up. */
const MAX_WAITING = 64;

/**
 * Reports of the calls whose log entries n8n is about to write. n8n's tracing writes each entry after the call
 * returns, with the answer's text, prompt and tokens but no cost or cache outcome; the report of the same answer
 * is added to it. Calls of one agent run come one step at a time; when two are in flight, the report is matched
 * by the answer's text, and an entry that matches none is left as n8n wrote it rather than given another's figures.
 */
export class CallReports {
	private readonly waiting: CallReport[] = [];

	add(report: CallReport): void {
		this.waiting.push(report);
		if (this.waiting.length > MAX_WAITING) this.waiting.shift();
	}

	take(text: string): CallReport | undefined {
		const index = this.waiting.findIndex((report) => report.text === text);
		return index === -1 ? undefined : this.waiting.splice(index, 1)[0];
	}
}

/**
 * The sub-node's context as n8n's tracing gets it: the same context, except that each output entry it writes for a
 * model call also carries that call's report (cache outcome, cost, savings, attempts) and the tokens it really
 * spent. n8n's own entry has no cost, and for streamed or cached answers only a token estimate.
 */
export function reportingContext(context: ISupplyDataFunctions, reports: CallReports): ISupplyDataFunctions {
	return new Proxy(context, {
		get(target, property) {
			if (property === 'addOutputData') {
				const addOutputData: ISupplyDataFunctions['addOutputData'] = (connectionType, runIndex, data, ...rest) => {
					if (Array.isArray(data)) annotate(data, reports);
					return target.addOutputData(connectionType, runIndex, data, ...rest);
				};
				return addOutputData;
			}
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}

function annotate(data: INodeExecutionData[][], reports: CallReports): void {
	const json = data[0]?.[0]?.json as IDataObject | undefined;
	const generations = (json?.response as { generations?: Array<Array<{ text?: unknown }>> } | undefined)?.generations;
	const text = generations?.[0]?.[0]?.text;
	if (!json || typeof text !== 'string') return;
	const report = reports.take(text);
	if (!report) return;
	delete json.tokenUsageEstimate;
	json.tokenUsage = report.tokenUsage;
	json.optimization = report.optimization;
}
