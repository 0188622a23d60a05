// Headers the dispatcher sets itself; an auth header of the same name would corrupt the request or its meaning.
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
	'content-type',
	'content-encoding',
	'content-length',
	'transfer-encoding',
	'host',
	'connection',
	'keep-alive',
	'x-batch-id',
]);

// RFC 9110 token characters, the only ones a header name may have.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Visible characters, spaces and tabs (RFC 9110 field values); CR and LF would let a value smuggle in headers.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// `//user:password@` in a string that is not a valid URL, so that even a guard message never repeats a password.
const USER_INFO = /\/\/[^/?#@\s]*@/g;

/** Text with any `user:password@` of a URL in it removed. */
export function stripUserInfo(text: string): string {
	return text.replace(USER_INFO, '//');
}

/**
 * One n8n webhook URL to POST batches to. `url` is the address without credentials and without a fragment: it
 * names the endpoint in health state, metrics and error messages. The auth headers (given ones, and Basic auth
 * made from credentials in the URL) live in a private field, so logging or serialising an endpoint never shows
 * them.
 */
export class WebhookEndpoint {
	/** The URL without `user:password@` and `#fragment`; safe to show. */
	readonly url: string;
	/** `http(s)://host:port`, the key of the connection pool. */
	readonly origin: string;
	/** Path and query string, as sent in the request line. */
	readonly path: string;
	readonly #authHeaders: Readonly<Record<string, string>>;
	readonly #secrets: readonly string[];

	constructor(url: string, authHeaders: Readonly<Record<string, string>> = {}) {
		if (typeof url !== 'string' || url.trim() === '') {
			throw new TypeError(`Expected a webhook URL as a non-empty string, got ${JSON.stringify(url)}`);
		}
		let parsed: URL;
		try {
			parsed = new URL(url.trim());
		} catch {
			throw new TypeError(`Expected a valid webhook URL such as http://localhost:5678/webhook/path, got ${stripUserInfo(url)}`);
		}
		const credentials = { username: parsed.username, password: parsed.password };
		parsed.username = '';
		parsed.password = '';
		parsed.hash = '';
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
			throw new TypeError(`Expected a webhook URL starting with http:// or https://, got ${parsed.href}`);
		}
		this.url = parsed.href;
		this.origin = parsed.origin;
		this.path = `${parsed.pathname}${parsed.search}`;
		const basicAuth = basicCredentials(this.url, credentials);
		this.#authHeaders = Object.freeze(authHeadersFor(this.url, authHeaders, basicAuth));
		this.#secrets = Object.freeze([...Object.values(this.#authHeaders), ...(basicAuth ? [basicAuth.password] : [])]);
	}

	/** The auth headers to send; never put them in a message, a log line or a metric. */
	authHeaders(): Readonly<Record<string, string>> {
		return this.#authHeaders;
	}

	/** The auth header values and the URL's password, for scrubbing them out of text that came from elsewhere. */
	secrets(): readonly string[] {
		return this.#secrets;
	}

	toString(): string {
		return this.url;
	}

	toJSON(): string {
		return this.url;
	}
}

interface BasicCredentials {
	username: string;
	password: string;
}

/** The URL's `user:password`, decoded, or `undefined` when it has none. */
function basicCredentials(url: string, credentials: BasicCredentials): BasicCredentials | undefined {
	if (credentials.username === '' && credentials.password === '') return undefined;
	try {
		return { username: decodeURIComponent(credentials.username), password: decodeURIComponent(credentials.password) };
	} catch {
		throw new TypeError(`Expected the credentials in ${url} to be percent-encoded UTF-8`);
	}
}

function authHeadersFor(
	url: string,
	given: Readonly<Record<string, string>>,
	basicAuth: BasicCredentials | undefined,
): Record<string, string> {
	if (typeof given !== 'object' || given === null || Array.isArray(given)) {
		throw new TypeError(`Expected the auth headers of ${url} to be an object of header names to values`);
	}
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(given)) {
		const lowerName = name.toLowerCase();
		if (!HEADER_NAME.test(name)) throw new TypeError(`Expected a valid header name for ${url}, got ${JSON.stringify(name)}`);
		if (RESERVED_HEADERS.has(lowerName)) {
			throw new TypeError(`Expected the auth headers of ${url} not to set \`${lowerName}\`, which the dispatcher sets itself`);
		}
		// The value is a secret: the message names the header only.
		if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
			throw new TypeError(`Expected the \`${lowerName}\` header of ${url} to be a string without line breaks`);
		}
		headers[lowerName] = value;
	}
	if (basicAuth !== undefined) {
		if (headers.authorization !== undefined) {
			throw new TypeError(`Expected credentials either in the URL or in an \`authorization\` header of ${url}, not both`);
		}
		// As curl does: credentials in the URL become Basic auth (n8n's webhook "Basic Auth" option).
		const userPass = `${basicAuth.username}:${basicAuth.password}`;
		headers.authorization = `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
	}
	return headers;
}

/**
 * Parses a list of webhook URLs that share the same auth headers. Each endpoint may appear once: health and
 * balancing state is kept per URL (without credentials).
 */
export function parseWebhookEndpoints(
	urls: readonly string[],
	authHeaders: Readonly<Record<string, string>> = {},
): WebhookEndpoint[] {
	if (!Array.isArray(urls) || urls.length === 0) {
		throw new TypeError('Expected at least one webhook URL');
	}
	const endpoints = urls.map((url) => new WebhookEndpoint(url, authHeaders));
	expectDistinctEndpoints(endpoints);
	return endpoints;
}

/** Throws when two endpoints share a URL, since they would share one health record. */
export function expectDistinctEndpoints(endpoints: readonly WebhookEndpoint[]): void {
	const seen = new Set<string>();
	for (const endpoint of endpoints) {
		if (seen.has(endpoint.url)) throw new TypeError(`Expected each webhook URL once, got ${endpoint.url} twice`);
		seen.add(endpoint.url);
	}
}
