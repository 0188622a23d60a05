export { autoMatch, normalizeName } from './autoMap';
export { InvalidPathError, isUnsafeName, parseItemPath, readPath, UnsafePathError } from './itemPath';
export { hasKeys, itemKeysOf, shapeKey, shapeKeyOfKeys } from './itemShape';
export { LastPlanMemo, type PlannedItem, type PlanOutcome, type PlanRequest } from './lastPlanMemo';
export {
	applyMappingPlan,
	buildMappingPlan,
	InvalidMappingError,
	type MappingEntry,
	type MappingPlan,
	type MappingResult,
	type MappingRule,
} from './mappingPlan';
export {
	DEFAULT_MAX_PLANS,
	MappingPlanCache,
	mappingPlanCacheKey,
	type MappingPlanCacheStats,
	type MappingPlanKey,
} from './mappingPlanCache';
export {
	DEFAULT_DATE_PATTERN,
	DEFAULT_LOCALE as DEFAULT_DATE_LOCALE,
	DEFAULT_LOCALE as DEFAULT_NUMBER_LOCALE,
} from '../format';
export { TransformError } from './transformError';
export { applyTransform, checkTransformFormat, isTransform, takesFormat, TRANSFORMS, type Transform } from './transforms';
