/** The estate: Comms Hubs and their HAN devices, as typed arrays. */
export * from './estate.js';
export { buildEstate } from './build.js';
export { estateSummary, type EstateSummary } from './summary.js';
export { type EstateArea, checkAreas, cumulative, pick, MAX_AREA_ID } from './areas.js';
export { euiOfHub, euiOfDevice, hubEui, deviceEui, hubEuiHigh, hubEuiLow, deviceEuiHigh, deviceEuiLow, indexOfEui, EUI_PREFIX } from './eui.js';
