/**
 * The GBCS payload of each alert in flight, built once from its row (the
 * device, the recipient it was aimed at, its times) and carried from the CSP
 * record to the DUIS body the User receives. Without the cache (the feeds
 * thread, whose replica holds one row at a time) each call builds it again
 * from the row: the fields it is built from are set before the first call
 * and never change after it, so the bytes are the same.
 */
import type { Estate } from '../../estate/index.js';
import { deviceEuiHigh, deviceEuiLow, hubEuiHigh, hubEuiLow } from '../../estate/index.js';
import type { Network } from '../../network/index.js';
import { ACB_EUI_LOW, USER_EUI_HIGH, USER_EUI_LOW_BASE } from '../../dcc/ids.js';
import { GbcsAlertBuilder } from '../../dcc/gbcs.js';
import { TO_DSP, TO_NETWORK_OPERATOR, type RoutingTable } from './journey.js';
import { chfRaised, gbcsCodes, routingTable } from './routing.js';
import type { AlertTable } from './table.js';

export class AlertPayloads {
  private readonly gbcs: GbcsAlertBuilder;
  private readonly payloads: Array<string | undefined> = [];
  private readonly routing: RoutingTable = routingTable();
  private readonly chfRaised = chfRaised();
  private readonly codes = gbcsCodes();

  constructor(
    private readonly table: AlertTable,
    private readonly estate: Estate,
    private readonly net: Network,
    private readonly epoch: number,
    sign: boolean,
    private readonly cache = true,
  ) {
    this.gbcs = new GbcsAlertBuilder({ sign });
  }

  /** Base64 GBCS payload of the alert in `row`. */
  of(row: number): string {
    let p = this.payloads[row];
    if (p === undefined) {
      const T = this.table;
      const device = T.device[row];
      const origin = T.origin[row];
      const chf = this.chfRaised[origin] === 1;
      p = this.gbcs.base64(
        this.codes.alertCode[origin],
        this.codes.messageCode[origin],
        // The device's originator counter: unique per message in the run.
        T.source[row] >= 0 ? T.source[row] : T.serial[row],
        chf ? hubEuiHigh(T.hub[row]) : deviceEuiHigh(device),
        chf ? hubEuiLow(T.hub[row]) : deviceEuiLow(device),
        USER_EUI_HIGH,
        this.recipientLow(row),
        this.epoch + T.tCondition[row],
        this.epoch + T.outageStart[row],
        this.epoch + T.outageEnd[row],
      );
      if (this.cache) this.payloads[row] = p;
    }
    return p as string;
  }

  /** The row's journey ended: its slot may be reused. */
  release(row: number): void {
    if (this.cache) this.payloads[row] = undefined;
  }

  /**
   * Low half of the recipient system title the device aimed the alert at:
   * its network operator or supplier, or the DSP's ACB (TO_DSP).
   */
  private recipientLow(row: number): number {
    const T = this.table;
    const hub = T.hub[row];
    const receiver = this.routing.receiver[T.origin[row]];
    if (receiver === TO_DSP) return ACB_EUI_LOW;
    const user = receiver === TO_NETWORK_OPERATOR ? this.net.operatorOfArea[this.estate.hubArea[hub]] : this.net.supplierUsers[this.estate.hubSupplier[hub]];
    return USER_EUI_LOW_BASE + user;
  }
}
