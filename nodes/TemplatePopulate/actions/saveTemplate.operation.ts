import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { TemplateFieldError } from '../../../lib/templates/library';
import { compileUsableTemplate } from '../../../lib/templates/usableTemplate';
import { runItems } from '../../shared/itemRunner';
import type { OperationContext, OperationResult } from '../../shared/operation';
import { compiledTemplates } from './processCaches';
import { readTemplateToSave, SAVE_FIELD_LABELS } from './readTemplateToSave';
import { describeTemplate, workflowLibrary } from './templateLibrary';

/** Template bytes compiled on save: more than any workflow library template may take. */
const SAVE_COMPILE_BYTES = 256 * 1024;

const showForSave = { show: { operation: ['saveTemplate'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Template ID',
		name: 'saveId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. invoice-reminder',
		description: 'Letters, digits, dot, dash and underscore; saving an existing ID replaces that template',
		displayOptions: showForSave,
	},
	{ displayName: 'Name', name: 'saveName', type: 'string', default: '', description: 'Defaults to the ID', displayOptions: showForSave },
	{ displayName: 'Description', name: 'saveDescription', type: 'string', default: '', displayOptions: showForSave },
	{ displayName: 'Tags', name: 'saveTags', type: 'string', default: '', description: 'Comma-separated', displayOptions: showForSave },
	{
		displayName: 'Required Fields',
		name: 'saveRequired',
		type: 'string',
		default: '',
		description: 'Comma-separated variables every item must provide, even when Strict is off',
		displayOptions: showForSave,
	},
	{
		displayName: 'Format',
		name: 'saveFormat',
		type: 'options',
		options: [
			{ name: 'HTML', value: 'html' },
			{ name: 'Markdown', value: 'markdown' },
			{ name: 'Text', value: 'text' },
		],
		default: 'text',
		displayOptions: showForSave,
	},
	{
		displayName: 'Template',
		name: 'saveBody',
		type: 'string',
		typeOptions: { rows: 8 },
		default: '',
		required: true,
		displayOptions: showForSave,
	},
];

/**
 * Saves one template per item into the workflow library, after the checks populate runs on every template
 * (`compileUsableTemplate`), so that the library never holds a template populate would refuse.
 */
export async function execute({ context, store }: OperationContext): Promise<OperationResult> {
	const node = context.getNode();
	const library = workflowLibrary(store);
	const compiler = compiledTemplates(store.process);
	return [
		await runItems({ context, store }, async (itemIndex) => {
			const input = readTemplateToSave(context, itemIndex);
			try {
				compileUsableTemplate(compiler, input.body, { format: input.format, strict: true, maxTemplateBytes: SAVE_COMPILE_BYTES });
			} catch (error) {
				throw new NodeOperationError(node, `Item ${itemIndex}: the 'Template' of '${input.id}' cannot be rendered: ${(error as Error).message}`, {
					itemIndex,
					description: (error as { description?: string }).description,
				});
			}
			let saved;
			try {
				saved = await library.save(input);
			} catch (error) {
				throw new NodeOperationError(node, `Item ${itemIndex}: ${labelled(error)}`, {
					itemIndex,
					description: (error as { description?: string }).description,
				});
			}
			return { json: { saved: true, ...describeTemplate(saved, false) } as IDataObject, pairedItem: { item: itemIndex } };
		}),
	];
}

/** A library error about one field, led by that field's label. */
function labelled(error: unknown): string {
	const message = (error as Error).message;
	return error instanceof TemplateFieldError ? `'${SAVE_FIELD_LABELS[error.field] ?? error.field}' is invalid: ${message}` : message;
}
