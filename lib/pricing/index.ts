export { batchCostOf, batchRates, costOf } from './cost';
export { PRICE_TABLE_AS_OF, PRICES, listedPrice, type ListedPrice, type ModelPrice, type PriceRates } from './priceTable';
