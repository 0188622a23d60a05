import type { IAuthenticate, ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

/** Authentication the Batch Workflow Trigger sends to webhook endpoints (n8n's Webhook node supports both kinds). */
export class BatchWebhookAuthApi implements ICredentialType {
	name = 'batchWebhookAuthApi';

	displayName = 'Batch Webhook Auth API';

	icon = 'file:batchWebhookAuthApi.svg' as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-perf-optimizer';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'Basic Auth', value: 'basic' },
				{ name: 'Header Auth', value: 'header' },
			],
			default: 'header',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'Authorization',
			displayOptions: { show: { authType: ['header'] } },
		},
		{
			displayName: 'Header Value',
			name: 'headerValue',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['header'] } },
		},
		{ displayName: 'User', name: 'user', type: 'string', default: '', displayOptions: { show: { authType: ['basic'] } } },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['basic'] } },
		},
	];

	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		return { ...requestOptions, headers: { ...(requestOptions.headers as Record<string, string>), ...batchAuthHeaders(credentials) } };
	};
}

/** The headers these credentials add; the node's own transport uses the same function. */
export function batchAuthHeaders(credentials: ICredentialDataDecryptedObject): Record<string, string> {
	if (credentials.authType === 'basic') {
		const token = Buffer.from(`${String(credentials.user ?? '')}:${String(credentials.password ?? '')}`).toString('base64');
		return { authorization: `Basic ${token}` };
	}
	const name = String(credentials.headerName ?? '').trim();
	return name ? { [name.toLowerCase()]: String(credentials.headerValue ?? '') } : {};
}
