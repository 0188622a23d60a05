import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsHelper,
	IHttpRequestOptions,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
} from 'n8n-workflow';

/**
 * Hands nodes decrypted credentials by credential id, as n8n's CredentialsHelper does after reading and
 * decrypting them from the database. Tests put the data in; nothing is encrypted.
 */
export class HarnessCredentialsHelper implements ICredentialsHelper {
	private readonly byId = new Map<string, ICredentialDataDecryptedObject>();

	set(id: string, data: ICredentialDataDecryptedObject): void {
		this.byId.set(id, data);
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(_credentials: ICredentialDataDecryptedObject, _typeName: string, requestOptions: IHttpRequestOptions | IRequestOptionsSimplified): Promise<IHttpRequestOptions> {
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('The test harness hands out decrypted credentials only');
	}

	async getDecrypted(_additionalData: unknown, nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentialDataDecryptedObject> {
		const data = nodeCredentials.id ? this.byId.get(nodeCredentials.id) : undefined;
		if (!data) throw new Error(`Credential "${nodeCredentials.id}" of type ${type} does not exist`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}
