/**
 * Pieces shared by the feeds' JSON Schemas (draft 2020-12; compile them with
 * `ajv/dist/2020`). Each feed module holds its own complete schema.
 */
import { TIMESTAMP_PATTERN } from '../dcc/time.js';

export type JsonSchema = Readonly<Record<string, unknown>>;

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** A `YYYYMMDDHHMMSS.SSS` UTC timestamp (seed 001, section 4.2). */
export const timestampSchema = { type: 'string', pattern: TIMESTAMP_PATTERN } as const;

/** An EUI-64 device id as 16 upper-case hex digits. */
export const eui64Schema = { type: 'string', pattern: '^[0-9A-F]{16}$' } as const;

/** A non-empty string (ids, codes). */
export const idSchema = { type: 'string', minLength: 1 } as const;

/** An alert code as DUIS and the PMR spell them: `8F36`, `AD1`, `N39` ... */
export const alertCodeSchema = { type: 'string', pattern: '^[0-9A-Z]{2,8}$' } as const;

/** Base64 (standard alphabet, padded), as the GBCS payload is carried. */
export const base64Schema = { type: 'string', pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$' } as const;
