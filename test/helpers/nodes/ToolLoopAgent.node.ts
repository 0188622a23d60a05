import { dirname } from 'node:path';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * LangChain as n8n's AI nodes load it: the copy beside n8n's AI utilities (the SDK's adapter), so messages and
 * tools are the classes the adapter itself checks against, as inside n8n.
 */
function langchain<T>(module: string): T {
	const paths = [dirname(require.resolve('@n8n/ai-utilities'))];
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(require.resolve(module, { paths })) as T;
}

interface Messages {
	SystemMessage: new (text: string) => unknown;
	HumanMessage: new (text: string) => unknown;
	ToolMessage: new (fields: { content: string; tool_call_id: string }) => unknown;
}

interface AiMessage {
	text: string;
	tool_calls?: Array<{ id?: string; name: string; args: Record<string, unknown> }>;
	concat(other: AiMessage): AiMessage;
}

interface ChatModel {
	bindTools(tools: unknown[]): ChatModel;
	invoke(messages: unknown[]): Promise<AiMessage>;
	stream(messages: unknown[]): Promise<AsyncIterable<AiMessage>>;
}

/**
 * A root node for tests that drives the connected chat model the way n8n's Tools Agent does: the model gets the
 * conversation and one tool (`lookup`, which answers `fact about <topic>`); each tool call it makes is run and its
 * result sent back, until it answers in text. Optionally streamed, as the Agent streams. Test-only.
 */
export class ToolLoopAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tool Loop Agent',
		name: 'toolLoopAgent',
		group: ['transform'],
		version: 1,
		description: 'Runs a tool-calling loop against the connected chat model',
		defaults: { name: 'Agent' },
		inputs: ['main', { type: NodeConnectionTypes.AiLanguageModel, required: true, maxConnections: 1 }],
		outputs: ['main'],
		properties: [
			{ displayName: 'Prompt', name: 'prompt', type: 'string', default: '={{ $json.prompt }}' },
			{ displayName: 'Stream', name: 'stream', type: 'boolean', default: false },
			{ displayName: 'With Tool', name: 'withTool', type: 'boolean', default: true },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { SystemMessage, HumanMessage, ToolMessage } = langchain<Messages>('@langchain/core/messages');
		const { tool } = langchain<{ tool: (run: (input: { topic: string }) => Promise<string>, fields: unknown) => unknown }>('@langchain/core/tools');
		const { z } = langchain<{ z: any }>('zod');
		const lookup = tool(async ({ topic }) => `fact about ${topic}`, {
			name: 'lookup',
			description: 'Looks up one fact about a topic',
			schema: z.object({ topic: z.string().describe('What to look up') }),
		});
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const base = (await this.getInputConnectionData(NodeConnectionTypes.AiLanguageModel, itemIndex)) as ChatModel;
			const withTool = this.getNodeParameter('withTool', itemIndex) as boolean;
			const model = withTool ? base.bindTools([lookup]) : base;
			const streamed = this.getNodeParameter('stream', itemIndex) as boolean;
			const messages: unknown[] = [new SystemMessage('You answer with facts.'), new HumanMessage(this.getNodeParameter('prompt', itemIndex) as string)];
			const toolResults: string[] = [];
			let steps = 0;
			for (;;) {
				steps += 1;
				const answer = streamed ? await streamWhole(model, messages) : await model.invoke(messages);
				messages.push(answer);
				if (!answer.tool_calls?.length || steps > 5) {
					output.push({ json: { answer: answer.text, steps, toolResults }, pairedItem: { item: itemIndex } });
					break;
				}
				for (const call of answer.tool_calls) {
					const result = await (lookup as { invoke(args: unknown): Promise<string> }).invoke(call.args);
					toolResults.push(result);
					messages.push(new ToolMessage({ content: result, tool_call_id: call.id ?? '' }));
				}
			}
		}
		return [output];
	}
}

async function streamWhole(model: ChatModel, messages: unknown[]): Promise<AiMessage> {
	let whole: AiMessage | undefined;
	for await (const chunk of await model.stream(messages)) whole = whole ? whole.concat(chunk) : chunk;
	if (!whole) throw new Error('the model streamed nothing');
	return whole;
}
