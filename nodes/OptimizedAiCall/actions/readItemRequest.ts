import type { IExecuteFunctions, IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { ItemParameters } from '../../shared/parameters';
import { modelIdFrom } from '../../shared/modelList';
import { readText } from '../../shared/textParameter';
import type { ChatMessage, ChatRequest } from '../../../lib/providers';
import { isPlainObject, type JsonObject } from '../../../lib/shared/json';

/** Reads one item's request from the node's parameters; every problem names the item and the field. */
export function readItemRequest(
	context: IExecuteFunctions,
	parameters: ItemParameters,
	itemIndex: number,
): ChatRequest {
	const fail = (field: string, problem: string) =>
		new NodeOperationError(context.getNode(), `Item ${itemIndex}: '${field}' ${problem}`, { itemIndex });

	const text = (name: string, field: string) => readText(parameters.get(name, itemIndex, ''), (problem) => fail(field, problem));
	const model = modelIdFrom(parameters.get('model', itemIndex, ''), (problem) => fail('Model', problem));

	const system = text('systemPrompt', 'System Prompt');
	const promptSource = parameters.get('promptSource', itemIndex, 'prompt') as string;
	let messages: ChatMessage[];
	if (promptSource === 'messages') {
		messages = readMessages(parameters.get('messages', itemIndex), fail);
	} else {
		const userPrompt = text('userPrompt', 'User Prompt');
		if (userPrompt.trim() === '') throw fail('User Prompt', 'is empty');
		messages = [{ role: 'user', content: userPrompt }];
	}

	const temperature = parameters.get('temperature', itemIndex, 0) as number;
	if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2)) {
		throw fail('Temperature', `must be a number from 0 to 2, got ${JSON.stringify(temperature)}`);
	}
	const maxTokens = parameters.get('maxTokens', itemIndex, 0) as number;
	if (!Number.isInteger(maxTokens) || maxTokens < 0) throw fail('Max Tokens', 'must be a whole number from 0 up');

	const options = parameters.get('requestOptions', itemIndex, {}) as IDataObject;
	const topP = options.topP === undefined ? 1 : Number(options.topP);
	if (!(topP > 0 && topP <= 1)) throw fail('Top P', 'must be above 0 and at most 1');
	const seed = options.seed === undefined ? 0 : Number(options.seed);
	if (!Number.isInteger(seed)) throw fail('Seed', 'must be a whole number');

	return {
		model,
		system: system.trim() === '' ? undefined : system,
		messages,
		temperature,
		maxTokens: maxTokens > 0 ? maxTokens : undefined,
		topP: topP === 1 ? undefined : topP,
		stop: readStop(options.stop, fail),
		seed: seed === 0 ? undefined : seed,
		responseFormat: parameters.get<string>('responseFormat', itemIndex, 'text') === 'json' ? 'json' : 'text',
		extraBody: readExtraBody(options.extraBody, fail),
		cacheSystemPrompt: options.anthropicCacheSystemPrompt === true,
	};
}

type Fail = (field: string, problem: string) => NodeOperationError;

function parseJsonParameter(value: unknown, field: string, fail: Fail): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw fail(field, `is not valid JSON (${(error as Error).message})`);
	}
}

function readMessages(value: unknown, fail: Fail): ChatMessage[] {
	const parsed = parseJsonParameter(value, 'Messages', fail);
	if (!Array.isArray(parsed) || parsed.length === 0) throw fail('Messages', 'must be a non-empty array of {role, content} objects');
	return parsed.map((message, index) => {
		if (!isPlainObject(message) || typeof message.role !== 'string' || !message.role) {
			throw fail('Messages', `entry ${index} has no role`);
		}
		const content = message.content;
		if (typeof content !== 'string' && !Array.isArray(content) && content !== null) {
			throw fail('Messages', `entry ${index} has no text or parts as content`);
		}
		return message as ChatMessage;
	});
}

function readStop(value: unknown, fail: Fail): string[] | undefined {
	if (value === undefined || value === '') return undefined;
	if (Array.isArray(value)) {
		return value.map((entry, index) => readText(entry, (problem) => fail('Stop Sequences', `entry ${index} ${problem}`)));
	}
	const text = readText(value, (problem) => fail('Stop Sequences', problem)).trim();
	if (text.startsWith('[')) {
		const parsed = parseJsonParameter(text, 'Stop Sequences', fail);
		if (!Array.isArray(parsed) || !parsed.every((entry) => typeof entry === 'string')) {
			throw fail('Stop Sequences', 'must be a JSON array of strings');
		}
		return parsed as string[];
	}
	return text
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry.length > 0);
}

function readExtraBody(value: unknown, fail: Fail): JsonObject | undefined {
	if (value === undefined || value === '') return undefined;
	const parsed = parseJsonParameter(value, 'Extra Body (JSON)', fail);
	if (!isPlainObject(parsed)) throw fail('Extra Body (JSON)', 'must be a JSON object');
	return Object.keys(parsed).length > 0 ? (parsed as JsonObject) : undefined;
}
