/** What a credential contributes to a request. Secrets: used for headers only, never in output or keys. */
export interface ProviderAuth {
	apiKey: string;
	organization?: string;
	extraHeader?: { name: string; value: string };
}

/** Joins a base URL and a path without doubling or dropping the slash between them. */
export function joinUrl(baseUrl: string, path: string): string {
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function withExtraHeader(headers: Record<string, string>, auth: ProviderAuth): Record<string, string> {
	if (auth.extraHeader?.name) headers[auth.extraHeader.name] = auth.extraHeader.value;
	return headers;
}
