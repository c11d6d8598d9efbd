/**
 * The estate as the alert flows see it: the Estate itself plus which device
 * of a premises raises a given alert code.
 */
import type { Estate } from '../../estate/index.js';
import type { BackgroundEstate } from './background.js';
import type { HubDirectory } from './journey.js';
import type { OutageEstate } from './power-outage.js';
import { raiserDeviceType } from './routing.js';
import { CHF_RAISER } from './table.js';
import { RegionHubs } from '../region-hubs.js';

export type AlertEstateView = HubDirectory & OutageEstate & BackgroundEstate;

/** `regionHubs`: the run's one list of each region's hubs, which the background generators draw from. */
export function estateView(estate: Estate, regionHubs = new RegionHubs(estate)): AlertEstateView {
  const raiser = raiserDeviceType();
  return {
    hubCount: estate.hubCount,
    hubRegion: estate.hubRegion,
    hubArea: estate.hubArea,
    hubSupplier: estate.hubSupplier,
    hubS1sp: estate.hubS1sp,
    hubRepId: estate.hubRepId,
    hubFlags: estate.hubFlags,
    esmeOf: (h) => estate.esmeOf(h),
    setPowered: (h, on) => estate.setPowered(h, on),
    isPowered: (h) => estate.isPowered(h),
    hubsOfRegion: (r, prepaymentOnly) => regionHubs.of(r, prepaymentOnly),
    // Hub-raised alerts (type -1) are carried on the ESME's row and shown
    // with the hub's EUI by the recorder; a premises without the device type
    // (no gas, no PPMID) cannot raise that alert.
    raiserOf: (code, hub) => {
      const type = raiser[code];
      return type === CHF_RAISER || type < 0 ? estate.esmeOf(hub) : estate.deviceOf(hub, type);
    },
  };
}
