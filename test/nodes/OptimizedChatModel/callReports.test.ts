import type { INodeExecutionData, ISupplyDataFunctions } from 'n8n-workflow';
import { CallReports, reportingContext, type CallReport } from '../../../nodes/OptimizedChatModel/actions/callReports';

const report = (text: string, cache: string): CallReport => ({ text, tokenUsage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 }, optimization: { cache } });
const entry = (text: string): INodeExecutionData[][] => [[{ json: { response: { generations: [[{ text }]] }, tokenUsageEstimate: { promptTokens: 9 } } }]];

describe('the call reports added to the execution log', () => {
	function context() {
		const written: unknown[] = [];
		const base = {
			addOutputData: (_type: unknown, _index: number, data: unknown) => written.push(data),
			getNode: function () {
				return { name: this === base ? 'the real context' : 'a copy' };
			},
		};
		return { written, base: base as unknown as ISupplyDataFunctions };
	}

	it('adds to each entry the report of the answer it shows, replacing n8n\'s token estimate, in any order', () => {
		const { written, base } = context();
		const reports = new CallReports();
		reports.add(report('first', 'miss'));
		reports.add(report('second', 'hit'));
		const wrapped = reportingContext(base, reports);
		wrapped.addOutputData('ai_languageModel' as never, 0, entry('second'));
		wrapped.addOutputData('ai_languageModel' as never, 1, entry('first'));
		expect(written).toEqual([
			[[{ json: { response: { generations: [[{ text: 'second' }]] }, tokenUsage: report('', '').tokenUsage, optimization: { cache: 'hit' } } }]],
			[[{ json: { response: { generations: [[{ text: 'first' }]] }, tokenUsage: report('', '').tokenUsage, optimization: { cache: 'miss' } } }]],
		]);
	});

	it('leaves an entry as n8n wrote it when no report matches, and forwards everything else to the real context', () => {
		const { written, base } = context();
		const wrapped = reportingContext(base, new CallReports());
		wrapped.addOutputData('ai_languageModel' as never, 0, entry('unknown'));
		expect(written).toEqual([entry('unknown')]);
		expect(wrapped.getNode()).toEqual({ name: 'the real context' });
	});

	it('keeps at most 64 reports waiting, dropping the oldest', () => {
		const reports = new CallReports();
		for (let index = 0; index < 65; index++) reports.add(report(`answer ${index}`, 'miss'));
		expect(reports.take('answer 0')).toBeUndefined();
		expect(reports.take('answer 64')?.text).toBe('answer 64');
	});
});
