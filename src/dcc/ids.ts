/**
 * How the twin spells the identifiers the DCC's records carry: the source
 * record ids of the CSPs and S1SPs, the DSP's alert ids, the S1SP names, the
 * premises' MPAN and the system titles of the Users and of the DSP's Access
 * Control Broker. The hub and device EUI-64s are derived from the estate's
 * indices (src/estate/eui.ts).
 *
 * Record ids are "globally unique" (seed 001 section 4.2, responseId), so
 * they carry a run namespace: 8 hex digits of the SHA-256 of the resolved
 * scenario (seed included). Two runs of different scenarios or seeds do not
 * share ids; the same scenario and seed give the same ids, byte for byte.
 */
import { createHash } from 'node:crypto';
import { Literal, SerialId } from '../feeds/bytes.js';

/** The run namespace of a resolved scenario, given as canonical text (seed included). */
export function runNamespace(resolvedScenario: string): string {
  return createHash('sha256').update(resolvedScenario).digest('hex').slice(0, 8).toUpperCase();
}

/** "", "0", "00" ... up to twelve zeros: a serial padded by one lookup (ids are spelled millions of times in a storm). */
const ZEROS: readonly string[] = Array.from({ length: 13 }, (_, i) => '0'.repeat(i));

/** `serial` as 12 digits at least, zero-padded on the left (as String(serial).padStart(12, '0')). */
function digits12(serial: number): string {
  const s = String(serial);
  return s.length >= 12 ? s : ZEROS[12 - s.length] + s;
}

/** The record ids of one run. */
export class RunIds {
  /** `M`, `S`, `A`, `R` with the namespace and `-`: the prefixes of the ids a storm or a working day spells per record, built once. */
  private readonly source: string;
  private readonly serviceResponse: string;
  private readonly alert: string;
  private readonly request: string;
  /** The same prefixes encoded once, for ids handed to a feed's speller as their parts (src/feeds/bytes.ts). */
  private readonly sourceBytes: Literal;
  private readonly serviceResponseBytes: Literal;
  private readonly alertBytes: Literal;
  private readonly requestBytes: Literal;
  private readonly processBytes: Literal;

  constructor(readonly namespace: string) {
    this.source = `M${namespace}-`;
    this.serviceResponse = `S${namespace}-`;
    this.alert = `A${namespace}-`;
    this.request = `R${namespace}-`;
    this.sourceBytes = new Literal(this.source);
    this.serviceResponseBytes = new Literal(this.serviceResponse);
    this.alertBytes = new Literal(this.alert);
    this.requestBytes = new Literal(this.request);
    this.processBytes = new Literal(`P${namespace}-`);
  }

  /** sourceId(serial) as its parts, for a speller. */
  sourceRef(serial: number): SerialId {
    return new SerialId(this.sourceBytes, serial);
  }

  /** serviceResponseId(serial) as its parts, for a speller. */
  serviceResponseRef(serial: number): SerialId {
    return new SerialId(this.serviceResponseBytes, serial);
  }

  /** alertId(serial) as its parts, for a speller; with `attempt`, a delivery's id (`alertId-attempt`). */
  alertRef(serial: number, attempt = -1): SerialId {
    return new SerialId(this.alertBytes, serial, attempt);
  }

  /** requestId(serial) as its parts, for a speller. */
  requestRef(serial: number): SerialId {
    return new SerialId(this.requestBytes, serial);
  }

  /** processId(serial) as its parts, for a speller. */
  processRef(serial: number): SerialId {
    return new SerialId(this.processBytes, serial);
  }

  /** `prefix`, the namespace, `-`, the serial in 12 digits. */
  private id(prefix: string, serial: number): string {
    return `${prefix}${this.namespace}-${digits12(serial)}`;
  }

  /** responseId / messageId / auditId of a CSP or S1SP record: `M`, the namespace, `-`, 12 digits. */
  sourceId(serial: number): string {
    return this.source + digits12(serial);
  }

  /** responseId / auditId of a CSP North or S1SP record of a Service Response: `S`, the namespace, `-`, 12 digits (apart from alerts' `M`). */
  serviceResponseId(serial: number): string {
    return this.serviceResponse + digits12(serial);
  }

  /** The DSP's alertId: `A`, the namespace, `-`, 12 digits. */
  alertId(serial: number): string {
    return this.alert + digits12(serial);
  }

  /** The DSP's id of a service request (DUIS RequestID is the User's; this is the audit trail's own): `R`, the namespace, `-`, 12 digits. */
  requestId(serial: number): string {
    return this.request + digits12(serial);
  }

  /** An outage of a sub-system or gateway (the pair of availability events it opens and closes): `O`, the namespace, `-`, 12 digits. */
  outageId(serial: number): string {
    return this.id('O', serial);
  }

  /** One availability event: `V`, the namespace, `-`, 12 digits. */
  availabilityEventId(serial: number): string {
    return this.id('V', serial);
  }

  /** A Remedy incident: `INC`, the namespace, `-`, 12 digits (Remedy's own ids start INC). */
  incidentId(serial: number): string {
    return this.id('INC', serial);
  }

  /** A CSP's 90-day No-SMWAN incident (seed 000, CR1429): `NSW`, the namespace, `-`, 12 digits. */
  noSmwanIncidentId(serial: number): string {
    return this.id('NSW', serial);
  }

  /** A firmware target's id (firmware-truth.jsonl): `T`, the namespace, `-`, 12 digits. */
  firmwareTargetId(serial: number): string {
    return this.id('T', serial);
  }

  /** recordId of an S1SP's firmware record (firmware-s1sp.jsonl): `F`, the namespace, `-`, 12 digits. */
  firmwareRecordId(serial: number): string {
    return this.id('F', serial);
  }

  /** The id of one business-process instance (every SRV of one install, a top-up and its resends): `P`, the namespace, `-`, 12 digits. */
  processId(serial: number): string {
    return `P${this.namespace}-${String(serial).padStart(12, '0')}`;
  }
}

/** `S1SP-1`, `S1SP-2` ... for S1SP index 0, 1 ... */
export function s1spId(index: number): string {
  return `S1SP-${index + 1}`;
}

/** Recipient system titles: one EUI-64 per Service User (prefix as the RTDS network-operator title). */
export const USER_EUI_HIGH = 0x90b3d51f;
export const USER_EUI_LOW_BASE = 0x30020000;
/** The DSP's Access Control Broker, recipient of Device Alerts aimed at the DSP and originator of DCC Alerts. */
export const ACB_EUI_LOW = 0x30000000;

const MPAN_WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/**
 * The premises' 13-digit MPAN core: distributor id (2 digits), a 10-digit
 * unique number (here the hub index), and the standard check digit (digits
 * times the prime weights, summed, mod 11, mod 10).
 */
export function mpanOf(area: number, hub: number): string {
  const body = `${String(area).padStart(2, '0')}${String(hub).padStart(10, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (body.charCodeAt(i) - 48) * MPAN_WEIGHTS[i];
  return body + String((sum % 11) % 10);
}
