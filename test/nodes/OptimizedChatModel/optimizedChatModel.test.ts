import type { StreamChunk } from '@n8n/ai-node-sdk';
import type { AiCallOutcome } from '../../../lib/aiCall';
import { OptimizedChatModel, type AnswerRequest } from '../../../nodes/OptimizedChatModel/actions/optimizedChatModel';

const outcome = (text: string): AiCallOutcome =>
	({ text, finishReason: 'stop', toolCalls: [], usage: { input: 5, output: 2, cachedInput: 0, cacheWrite: 0 }, attempts: 1 }) as unknown as AiCallOutcome;

describe('OptimizedChatModel.stream', () => {
	it('hands each text piece on as the engine passes it, before the answer is complete, then one finish', async () => {
		let release!: () => void;
		const answer: AnswerRequest = async (_request, _signal, onText) => {
			onText?.('Hel');
			await new Promise<void>((resolve) => (release = resolve));
			onText?.('lo');
			return outcome('Hello');
		};
		const model = new OptimizedChatModel('openAiCompatible', { model: 'gpt-4o-mini' }, answer);
		const stream = model.stream([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }])[Symbol.asyncIterator]();
		expect((await stream.next()).value).toEqual({ type: 'text-delta', delta: 'Hel' });
		release();
		const rest: StreamChunk[] = [];
		for (let next = await stream.next(); !next.done; next = await stream.next()) rest.push(next.value);
		expect(rest).toEqual([
			{ type: 'text-delta', delta: 'lo' },
			{ type: 'finish', finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 } },
		]);
	});

	it('ends with the engine\'s error, after the pieces it passed on, and never with a finish', async () => {
		const failure = new Error('stream cut off');
		const answer: AnswerRequest = async (_request, _signal, onText) => {
			onText?.('partial');
			throw failure;
		};
		const model = new OptimizedChatModel('openAiCompatible', { model: 'gpt-4o-mini' }, answer);
		const seen: StreamChunk[] = [];
		await expect(
			(async () => {
				for await (const chunk of model.stream([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }])) seen.push(chunk);
			})(),
		).rejects.toBe(failure);
		expect(seen).toEqual([{ type: 'text-delta', delta: 'partial' }]);
	});

	it('passes n8n\'s abort signal (LangChain\'s `signal` option) to the engine', async () => {
		const signals: Array<AbortSignal | undefined> = [];
		const model = new OptimizedChatModel('anthropic', { model: 'claude-sonnet-4-6' }, async (_request, signal) => {
			signals.push(signal);
			return outcome('ok');
		});
		const controller = new AbortController();
		await model.generate([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], { signal: controller.signal } as never);
		expect(signals).toEqual([controller.signal]);
	});
});
