/**
 * The estate's hubs by region, as the flows' generators draw them: one list
 * per region and kind for the whole run.
 */

/** What the lists are made from (the estate). */
export interface RegionEstate {
  hubsOfRegion(region: number): Uint32Array;
  hubSupplier: Uint8Array;
  esmeOf(hub: number): number;
  isPrepayment(hub: number): boolean;
}

/**
 * Each region's hubs, and its premises in prepayment mode, listed once and
 * shared (read only) by every generator that draws from them: the request
 * streams, the business processes and the background alerts. An array per generator (98 of
 * them by default) came to about a dozen copies of the estate's hubs, some
 * 100 MB at 2,000,000 hubs, and each draw of a hub missed the caches in a
 * different one of them.
 */
export class RegionHubs {
  private readonly lists = new Map<number, Uint32Array>();
  private readonly premises = new Map<number, Int32Array>();

  constructor(private readonly estate: RegionEstate) {}

  of(region: number, prepaymentOnly: boolean): Uint32Array {
    const key = 2 * region + (prepaymentOnly ? 1 : 0);
    let hubs = this.lists.get(key);
    if (hubs === undefined) {
      hubs = prepaymentOnly ? this.of(region, false).filter((h) => this.estate.isPrepayment(h)) : this.estate.hubsOfRegion(region);
      this.lists.set(key, hubs);
    }
    return hubs;
  }

  /**
   * The same hubs as of(), each with what a business process's start reads
   * of it, side by side: [hub, supplier, ESME] (PREMISES_STRIDE numbers a
   * hub). A start draws a hub at random among millions; read from the
   * estate, its supplier and ESME were two more cache misses.
   */
  premisesOf(region: number, prepaymentOnly: boolean): Int32Array {
    const key = 2 * region + (prepaymentOnly ? 1 : 0);
    let premises = this.premises.get(key);
    if (premises === undefined) {
      const hubs = this.of(region, prepaymentOnly);
      premises = new Int32Array(PREMISES_STRIDE * hubs.length);
      for (let k = 0; k < hubs.length; k++) {
        premises[PREMISES_STRIDE * k] = hubs[k];
        premises[PREMISES_STRIDE * k + 1] = this.estate.hubSupplier[hubs[k]];
        premises[PREMISES_STRIDE * k + 2] = this.estate.esmeOf(hubs[k]);
      }
      this.premises.set(key, premises);
    }
    return premises;
  }
}

/** Numbers a hub in RegionHubs.premisesOf(): hub, supplier, ESME. */
export const PREMISES_STRIDE = 3;
