export { costOf } from './cost';
export { PRICE_TABLE_AS_OF, PRICES, listedPrice, type ModelPrice } from './priceTable';
