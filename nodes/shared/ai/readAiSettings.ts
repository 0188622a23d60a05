import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { AiCallSettings, CacheMode } from '../../../lib/aiCall';
import type { CompressionMode } from '../../../lib/compression';
import { listedPrice, type ModelPrice } from '../../../lib/pricing';
import { defaultRetryPolicy } from '../../../lib/resilience';
import { SettingsReader, type SettingsContext } from '../settings';

/** An AI node's settings: read once (from the first item), since they shape caches and limits shared by all items. */
export interface AiNodeSettings {
	engine: Omit<AiCallSettings, 'price'>;
	priceFor: (model: string) => ModelPrice | null;
	cacheScope: 'node' | 'workflow';
	cacheMaxEntries: number;
	maxConcurrency: number;
	requestsPerMinute: number;
	tokensPerMinute: number;
	includeRaw: boolean;
	timeoutMs: number;
}

/** Reads the node's Optimization collection (`optimizationField`, whichever options it offers) and Request Options. */
export function readAiSettings(context: SettingsContext, optimizationField: INodeProperties): AiNodeSettings {
	const optimization = context.getNodeParameter('optimization', 0, {}) as IDataObject;
	const requestOptions = context.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const reader = new SettingsReader(context, [optimizationField]);
	const number = (name: string, fallback: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER, whole = true) =>
		reader.checkNumber(`optimization.${name}`, optimization[name], { fallback, minimum, maximum, whole });

	const nearDuplicates = optimization.nearDuplicates === true;
	const threshold = number('similarityThreshold', 0.97, 0.5, 1, false);
	const override = (optimization.priceOverride as { prices?: IDataObject } | undefined)?.prices;
	const overridePrice: ModelPrice | undefined = override
		? {
				input: Number(override.input ?? 0),
				output: Number(override.output ?? 0),
				// The field's default, 0, means "not given": cached input is then charged at the input price, never free.
				cachedInput: Number(override.cachedInput ?? 0) > 0 ? Number(override.cachedInput) : Number(override.input ?? 0),
			}
		: undefined;

	return {
		engine: {
			cacheMode: (optimization.cacheMode as CacheMode | undefined) ?? 'readWrite',
			cacheTtlMs: number('cacheTtlSeconds', 3600, 0) * 1000,
			cacheNonZeroTemperature: optimization.cacheNonZeroTemperature !== false,
			persist: optimization.persistCache !== false,
			nearDuplicateThreshold: nearDuplicates ? threshold : undefined,
			nearDuplicateTypos: nearDuplicates && optimization.nearDuplicateTypos === true,
			compression: (optimization.compression as CompressionMode | undefined) ?? 'off',
			retryPolicy: { ...defaultRetryPolicy, maxAttempts: number('maxAttempts', 3, 1, 10) },
			// Only a node that offers the switch caches tool calls (on by default there); Optimized AI Call never does.
			cacheToolCalls: offersOption(optimizationField, 'cacheToolCalls') && optimization.cacheToolCalls !== false,
		},
		priceFor: (model) => overridePrice ?? listedPrice(model) ?? null,
		cacheScope: optimization.cacheScope === 'workflow' ? 'workflow' : 'node',
		cacheMaxEntries: number('cacheMaxEntries', 1000, 1),
		maxConcurrency: number('maxConcurrency', 5, 1, 100),
		requestsPerMinute: number('requestsPerMinute', 0, 0),
		tokensPerMinute: number('tokensPerMinute', 0, 0),
		includeRaw: requestOptions.includeRaw === true,
		timeoutMs: requestOptions.timeoutMs === undefined ? 60_000 : Number(requestOptions.timeoutMs),
	};
}

function offersOption(collection: INodeProperties, name: string): boolean {
	return (collection.options ?? []).some((option) => (option as { name?: string }).name === name);
}
