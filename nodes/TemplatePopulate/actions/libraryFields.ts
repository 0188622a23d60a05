import type { INodeProperties } from 'n8n-workflow';

/** Operations (and the Populate source) that use a template library. */
const showForLibrary = {
	show: { operation: ['deleteTemplate', 'findTemplate', 'listTemplates', 'saveTemplate', 'populate'] },
};

export const libraryFields: INodeProperties[] = [
	{
		displayName: 'Library',
		name: 'library',
		type: 'options',
		options: [
			{
				name: 'Workflow Library',
				value: 'workflow',
				description: 'Templates saved with this workflow (Save Template); small libraries, persisted in its state',
			},
			{ name: 'Folder', value: 'folder', description: 'Template files (.hbs, .md, .html, .txt) in a folder on the n8n server' },
		],
		default: 'workflow',
		displayOptions: {
			show: { operation: ['findTemplate', 'listTemplates'] },
		},
	},
	{
		displayName: 'Library',
		name: 'library',
		type: 'options',
		options: [
			{ name: 'Workflow Library', value: 'workflow' },
			{ name: 'Folder', value: 'folder' },
		],
		default: 'workflow',
		displayOptions: { show: { operation: ['populate'], templateSource: ['library'] } },
	},
	{
		displayName: 'Folder Path',
		name: 'folderPath',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. /home/node/.n8n-files/templates',
		description: 'Files may start with YAML front-matter with an ID, name, description, tags, required fields and format; the folder is re-indexed when a file changes',
		displayOptions: { show: { ...showForLibrary.show, library: ['folder'] } },
	},
];
