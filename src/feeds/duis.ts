/**
 * duis/<UserID>.ndxml: what each Service User's gateway received, one DUIS
 * V5.4 document per line, one file per User. The documents are DUIS's own
 * wire format, built in src/dcc/duis.ts; this module names the files and
 * hands the feed recorder its serialisers, like every other feed module.
 */
export { deviceAlertXml, dccAlertXml, serviceResponseXml, type DeviceAlertXmlArgs, type DccAlertXmlArgs, type ServiceResponseXmlArgs } from '../dcc/duis.js';

/** Where the DUIS documents of every User go, relative to the run directory. */
export const DUIS_DIR = 'feeds/duis';

/** The file of one User's DUIS documents. */
export function duisPath(userId: string): string {
  return `${DUIS_DIR}/${userId}.ndxml`;
}
