/* eslint-disable n8n-nodes-base/node-filename-against-convention -- the description lives beside the node class, as in n8n's own versioned nodes */
import type { INodeTypeDescription } from 'n8n-workflow';
import * as deleteTemplate from './deleteTemplate.operation';
import * as findTemplate from './findTemplate.operation';
import { libraryFields } from './libraryFields';
import * as listTemplates from './listTemplates.operation';
import * as populate from './populate.operation';
import * as saveTemplate from './saveTemplate.operation';
import { stateFields } from '../../shared/stateBackend';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Template Populate',
	name: 'templatePopulate',
	icon: 'file:templatePopulate.svg',
	group: ['transform'],
	version: [1],
	defaultVersion: 1,
	subtitle: '={{ $parameter["operation"] }}',
	description: 'Fill templates with item data: indexed template library, cached field mapping and compiled templates',
	defaults: { name: 'Template Populate' },
	inputs: ['main'],
	outputs: ['main'],
	usableAsTool: true,
	credentials: [
		// Literal, not shared: n8n's lint rules read credential entries from the description's own source.
		{ name: 'perfOptimizerRedisApi', required: true, displayOptions: { show: { stateBackend: ['redis'] } }, testedBy: 'perfOptimizerRedisConnectionTest' },
	],
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Delete Template', value: 'deleteTemplate', action: 'Delete a template', description: 'Remove a template from the workflow library' },
				{ name: 'Find Template', value: 'findTemplate', action: 'Find templates', description: 'By ID, name, tags or ranked search' },
				{ name: 'List Templates', value: 'listTemplates', action: 'List templates' },
				{ name: 'Populate', value: 'populate', action: 'Populate a template', description: 'Render a template with each item\'s data' },
				{ name: 'Save Template', value: 'saveTemplate', action: 'Save a template', description: 'Store a template in the workflow library' },
			],
			default: 'populate',
		},
		...populate.description,
		...libraryFields,
		...findTemplate.description,
		...listTemplates.description,
		...deleteTemplate.description,
		...saveTemplate.description,
		...stateFields,
	],
};
