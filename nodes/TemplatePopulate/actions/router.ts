import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { route } from '../../shared/router';
import * as deleteTemplate from './deleteTemplate.operation';
import * as findTemplate from './findTemplate.operation';
import * as listTemplates from './listTemplates.operation';
import * as populate from './populate.operation';
import * as saveTemplate from './saveTemplate.operation';

const operations = { deleteTemplate, findTemplate, listTemplates, populate, saveTemplate };

/** Runs the chosen operation; the state backend is reported in each item's `_template`. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, { operations, metadataField: '_template' });
}
