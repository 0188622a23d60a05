import type { ChatModelConfig, GenerateResult, Message, StreamChunk } from '@n8n/ai-node-sdk';
import { BaseChatModel } from '@n8n/ai-node-sdk';
import type { AiCallOutcome } from '../../../lib/aiCall';
import type { ChatRequest, ProviderKind } from '../../../lib/providers';
import { chatRequestOf, finishReasonOf, generateResultOf, spentUsage, type ModelParameters } from './conversation';

/** Answers one request through the shared AI engine; `onText` receives the answer's text as it streams. */
export type AnswerRequest = (request: ChatRequest, signal: AbortSignal | undefined, onText?: (delta: string) => void) => Promise<AiCallOutcome>;

/**
 * The chat model n8n's AI Agent and chains call: each `generate` or `stream` is one request through the same
 * engine as Optimized AI Call (cache, coalescing, rate limits, retries, pricing, metrics). Tools come from
 * `withTools` (the SDK copies the instance and adds them), so one instance serves an agent with or without tools.
 */
export class OptimizedChatModel extends BaseChatModel {
	constructor(
		provider: ProviderKind,
		private readonly parameters: ModelParameters,
		private readonly answer: AnswerRequest,
	) {
		super(provider, parameters.model);
	}

	async generate(messages: Message[], config?: ChatModelConfig): Promise<GenerateResult> {
		const outcome = await this.answer(this.requestOf(messages), signalOf(config));
		return generateResultOf(outcome);
	}

	/**
	 * Text streams as it arrives (from the provider, or replayed from the cache); each tool call comes whole, after
	 * the text. n8n's adapter gives every tool-call piece the same index, so a call split into pieces could be merged
	 * into another call of the same answer; whole calls with their own ids never are.
	 */
	async *stream(messages: Message[], config?: ChatModelConfig): AsyncIterable<StreamChunk> {
		const request = this.requestOf(messages);
		const pending: string[] = [];
		let wake: (() => void) | undefined;
		let settled: { outcome: AiCallOutcome } | { error: unknown } | undefined;
		void this.answer(request, signalOf(config), (delta) => {
			pending.push(delta);
			wake?.();
		}).then(
			(outcome) => (settled = { outcome }),
			(error: unknown) => (settled = { error }),
		).finally(() => wake?.());
		let next = 0;
		for (;;) {
			while (next < pending.length) yield { type: 'text-delta', delta: pending[next++] };
			if (settled) break;
			await new Promise<void>((resolve) => (wake = resolve));
			wake = undefined;
		}
		while (next < pending.length) yield { type: 'text-delta', delta: pending[next++] };
		if ('error' in settled) throw settled.error;
		const { outcome } = settled;
		for (const call of outcome.toolCalls) {
			yield { type: 'tool-call-delta', id: call.id, name: call.name, argumentsDelta: call.argumentsText.trim() === '' ? '{}' : call.argumentsText };
		}
		yield { type: 'finish', finishReason: finishReasonOf(outcome.finishReason), usage: spentUsage(outcome) };
	}

	private requestOf(messages: Message[]): ChatRequest {
		return chatRequestOf(messages, this.tools, this.parameters, this.provider as ProviderKind);
	}
}

/**
 * n8n passes LangChain's call options, not the SDK's config: the execution's abort signal is `signal` there.
 */
function signalOf(config: ChatModelConfig | undefined): AbortSignal | undefined {
	return config?.abortSignal ?? (config as { signal?: AbortSignal } | undefined)?.signal;
}
