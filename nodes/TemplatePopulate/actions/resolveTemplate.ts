import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { TemplateDocument } from '../../../lib/templates/library';
import { readPath } from '../../../lib/templates/mapping';
import type { ItemParameters } from '../../shared/parameters';
import type { PopulateSettings } from './populateSettings';
import { findByIdOrName, type LoadedLibrary } from './templateLibrary';

/** Candidates an ambiguous-name error lists by ID. */
const MAX_LISTED_CANDIDATES = 10;

/** The template one item renders, and how errors name it. */
export interface ResolvedTemplate {
	source: string;
	label: string;
	document?: TemplateDocument;
}

export function resolveTemplate(
	context: IExecuteFunctions,
	parameters: ItemParameters,
	settings: PopulateSettings,
	library: LoadedLibrary | undefined,
	templatePath: string[] | undefined,
	item: INodeExecutionData,
	itemIndex: number,
): ResolvedTemplate {
	const fail = (message: string) => new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex });
	if (settings.source === 'inline') {
		const source = parameters.get<string>('template', itemIndex, '');
		if (typeof source !== 'string' || source.trim() === '') throw fail("'Template' is empty");
		return { source, label: 'the inline template' };
	}
	if (settings.source === 'field') {
		const source = readPath(item.json, templatePath ?? []);
		const field = String(parameters.get('templateField', itemIndex, 'template'));
		if (typeof source !== 'string' || source.trim() === '') throw fail(`the item has no template text in field '${field}'`);
		return { source, label: `the template in field '${field}'` };
	}
	const reference = String(parameters.get('templateId', itemIndex, '') ?? '').trim();
	if (!reference) throw fail("'Template ID or Name' is empty");
	const found = findByIdOrName(library!, reference);
	if (found.length > 1) {
		const listed = found.slice(0, MAX_LISTED_CANDIDATES).map((candidate) => `'${candidate.id}'`);
		const more = found.length > listed.length ? ` and ${found.length - listed.length} more` : '';
		throw new NodeOperationError(
			context.getNode(),
			`Item ${itemIndex}: the name '${reference}' matches ${found.length} templates in the ${library!.kind} library: ${listed.join(', ')}${more}`,
			{ itemIndex, description: "Put the ID of the one you mean under 'Template ID or Name', or give the templates distinct names." },
		);
	}
	const [document] = found;
	if (!document) {
		throw new NodeOperationError(context.getNode(), `Item ${itemIndex}: no template with ID or name '${reference}' in the ${library!.kind} library`, {
			itemIndex,
			description: `The library has ${library!.documents.length} template(s). Use List Templates or Find Template to see them.`,
		});
	}
	return { source: document.body, label: `template '${document.id}'`, document };
}
