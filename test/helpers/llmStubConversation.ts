import { createHash } from 'node:crypto';

/**
 * How the LLM stub reads a conversation and decides its tool-calling answers: texts of messages, the tools a
 * request declares, the tool calls and tool results already in it, and the scripts that say which tool to call
 * for which prompt. Both providers' shapes: OpenAI `tool_calls` + `role: "tool"` messages, Anthropic `tool_use`
 * + `tool_result` content blocks.
 */

export type Provider = 'openai' | 'anthropic';

/** One tool call a script asks for. */
export interface ScriptedToolCall {
	name: string;
	/** Sent as the call's JSON arguments (OpenAI) or input (Anthropic). @default {} */
	arguments?: Record<string, unknown>;
}

/**
 * What the stub answers, for a request that declares tools, when its first user message matches. Exactly one of
 * `prompt` (equal), `promptIncludes` (a substring) or `promptPattern` (a RegExp source) selects the conversations;
 * exactly one of `call` (one call on the first turn) or `turns` (one answer per inner list, several calls in a
 * list being parallel calls) says what to call. Plain JSON, so that POST /_stub/script takes the same shape.
 */
export interface ToolScript {
	prompt?: string;
	promptIncludes?: string;
	promptPattern?: string;
	call?: ScriptedToolCall;
	turns?: ScriptedToolCall[][];
	/** The final answer once every turn's results are in; `{results}` becomes the results joined by newlines. @default 'answer: {results}' */
	answer?: string;
}

/** A tool call as the stub issues it: arguments already a JSON string, as OpenAI sends them. */
export interface ToolCall {
	id: string;
	name: string;
	arguments: string;
}

/** What a request with tools gets; undefined means the ordinary echo. */
export type ToolDecision = { kind: 'calls'; calls: ToolCall[] } | { kind: 'answer'; text: string } | { kind: 'problem'; message: string };

export const DEFAULT_TOOL_ANSWER = 'answer: {results}';

/** Text of a message's content: a string, or the joined texts of its `{type:'text', text}` parts. */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.filter((part) => part?.type === 'text' && typeof part.text === 'string')
		.map((part) => part.text as string)
		.join('\n');
}

export function firstUserText(messages: any[]): string {
	const first = messages.find((message) => message?.role === 'user');
	return first === undefined ? '' : textOf(first.content);
}

/** The text of tool calls and tool results in a message, which real providers bill as prompt tokens too. */
export function toolTextOf(message: any): string {
	const parts: string[] = [];
	for (const call of Array.isArray(message?.tool_calls) ? message.tool_calls : []) {
		parts.push(`${call?.function?.name ?? ''}${call?.function?.arguments ?? ''}`);
	}
	for (const block of Array.isArray(message?.content) ? message.content : []) {
		if (block?.type === 'tool_use') parts.push(`${block.name ?? ''}${JSON.stringify(block.input ?? {})}`);
		if (block?.type === 'tool_result') parts.push(textOf(block.content));
	}
	return parts.join('');
}

// ---------------------------------------------------------------------------------------------------------
// Scripts

function isToolCall(value: any): value is ScriptedToolCall {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof value.name === 'string' &&
		value.name.length > 0 &&
		(value.arguments === undefined || (typeof value.arguments === 'object' && value.arguments !== null && !Array.isArray(value.arguments)))
	);
}

/** Checks a script (from a test or from POST /_stub/script); throws an Error that says what is wrong. */
export function validateToolScript(value: any): ToolScript {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('a tool script must be a JSON object');
	const selectors = (['prompt', 'promptIncludes', 'promptPattern'] as const).filter((key) => value[key] !== undefined);
	if (selectors.length !== 1 || typeof value[selectors[0]] !== 'string') {
		throw new Error('a tool script needs exactly one of prompt, promptIncludes or promptPattern, as a string');
	}
	if (value.promptPattern !== undefined) {
		try {
			new RegExp(value.promptPattern);
		} catch (error) {
			throw new Error(`promptPattern is not a valid regular expression: ${error.message}`);
		}
	}
	if ((value.call === undefined) === (value.turns === undefined)) throw new Error('a tool script needs exactly one of call or turns');
	if (value.call !== undefined && !isToolCall(value.call)) throw new Error('call must be {name, arguments?} with arguments an object');
	if (
		value.turns !== undefined &&
		!(Array.isArray(value.turns) && value.turns.every((turn: any) => Array.isArray(turn) && turn.length > 0 && turn.every(isToolCall)))
	) {
		throw new Error('turns must be a list of non-empty lists of {name, arguments?}');
	}
	if (value.answer !== undefined && typeof value.answer !== 'string') throw new Error('answer must be a string');
	return value as ToolScript;
}

function matches(script: ToolScript, prompt: string): boolean {
	if (script.prompt !== undefined) return prompt === script.prompt;
	if (script.promptIncludes !== undefined) return prompt.includes(script.promptIncludes);
	return new RegExp(script.promptPattern ?? '').test(prompt);
}

const TOOL_MARKER = /\[\[tool:([^\s\]]+)(?:\s+(\{[\s\S]*?\}))?\]\]/g;

/** The calls `[[tool:NAME {json args}]]` markers in the prompt ask for, all in one turn. */
function markerCalls(prompt: string): ScriptedToolCall[] {
	const calls: ScriptedToolCall[] = [];
	for (const [marker, name, json] of prompt.matchAll(TOOL_MARKER)) {
		let args: unknown = {};
		if (json !== undefined) {
			try {
				args = JSON.parse(json);
			} catch {
				throw new Error(`${marker}: the arguments are not valid JSON`);
			}
		}
		calls.push({ name, arguments: args as Record<string, unknown> });
	}
	return calls;
}

// ---------------------------------------------------------------------------------------------------------
// Reading the tool side of a conversation

interface ToolConversation {
	declaredTools: string[];
	/** Assistant answers in the conversation that called tools. */
	toolTurns: number;
	/** Contents of the tool results, in order. */
	results: string[];
	/** Why a real API would reject this conversation. */
	problem?: string;
}

function readOpenAi(body: any): ToolConversation {
	const declaredTools = (Array.isArray(body.tools) ? body.tools : []).map((tool: any) => tool?.function?.name).filter(Boolean);
	const open = new Set<string>();
	const results: string[] = [];
	let toolTurns = 0;
	for (const message of body.messages) {
		if (message?.role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
			toolTurns++;
			for (const call of message.tool_calls) open.add(call?.id);
		} else if (message?.role === 'tool') {
			if (!open.delete(message.tool_call_id)) {
				return { declaredTools, toolTurns, results, problem: `messages: a 'tool' message answers no preceding tool call (tool_call_id ${message.tool_call_id})` };
			}
			results.push(textOf(message.content));
		}
	}
	const problem = open.size > 0 ? `messages: tool calls without a 'tool' message in answer: ${[...open].join(', ')}` : undefined;
	return { declaredTools, toolTurns, results, problem };
}

function readAnthropic(body: any): ToolConversation {
	const declaredTools = (Array.isArray(body.tools) ? body.tools : []).map((tool: any) => tool?.name).filter(Boolean);
	const open = new Set<string>();
	const results: string[] = [];
	let toolTurns = 0;
	for (const message of body.messages) {
		const blocks: any[] = Array.isArray(message?.content) ? message.content : [];
		const uses = blocks.filter((block) => block?.type === 'tool_use');
		if (message?.role === 'assistant' && uses.length > 0) {
			toolTurns++;
			for (const use of uses) open.add(use.id);
		}
		for (const block of blocks.filter((candidate) => candidate?.type === 'tool_result')) {
			if (message.role !== 'user' || !open.delete(block.tool_use_id)) {
				return { declaredTools, toolTurns, results, problem: `messages: a tool_result block answers no preceding tool_use (tool_use_id ${block.tool_use_id})` };
			}
			results.push(textOf(block.content));
		}
	}
	const problem = open.size > 0 ? `messages: tool_use blocks without a tool_result in answer: ${[...open].join(', ')}` : undefined;
	return { declaredTools, toolTurns, results, problem };
}

function toolChoiceIsNone(body: any): boolean {
	return body.tool_choice === 'none' || body.tool_choice?.type === 'none';
}

/** Stable ids: the same conversation always gets the same calls, whichever process or run answers it. */
function callId(provider: Provider, prompt: string, turn: number, index: number, call: ScriptedToolCall): string {
	const digest = createHash('sha256')
		.update(JSON.stringify([prompt, turn, index, call.name, call.arguments ?? {}]))
		.digest('hex');
	return provider === 'openai' ? `call_${digest.slice(0, 24)}` : `toolu_01${digest.slice(0, 22)}`;
}

/**
 * The answer to a request that may involve tools. Undefined when the ordinary echo applies: the request declares
 * no tools, or no script or marker asks for a call and no tool result has come back yet.
 */
export function decideToolReply(provider: Provider, body: any, scripts: readonly ToolScript[]): ToolDecision | undefined {
	const conversation = provider === 'openai' ? readOpenAi(body) : readAnthropic(body);
	if (conversation.problem) return { kind: 'problem', message: conversation.problem };
	if (conversation.declaredTools.length === 0) return undefined;

	const prompt = firstUserText(body.messages);
	const script = scripts.find((candidate) => matches(candidate, prompt));
	let turns: ScriptedToolCall[][];
	try {
		turns = script ? script.turns ?? [[script.call as ScriptedToolCall]] : [markerCalls(prompt)].filter((turn) => turn.length > 0);
	} catch (error) {
		return { kind: 'problem', message: error.message };
	}

	if (conversation.toolTurns < turns.length && !toolChoiceIsNone(body)) {
		const turn = turns[conversation.toolTurns];
		const undeclared = turn.find((call) => !conversation.declaredTools.includes(call.name));
		if (undeclared) {
			return {
				kind: 'problem',
				message: `tools: the scripted tool "${undeclared.name}" is not among the request's tools (${conversation.declaredTools.join(', ')})`,
			};
		}
		const calls = turn.map((call, index) => ({
			id: callId(provider, prompt, conversation.toolTurns, index, call),
			name: call.name,
			arguments: JSON.stringify(call.arguments ?? {}),
		}));
		return { kind: 'calls', calls };
	}
	if (conversation.results.length === 0) return undefined;
	return { kind: 'answer', text: (script?.answer ?? DEFAULT_TOOL_ANSWER).split('{results}').join(conversation.results.join('\n')) };
}
