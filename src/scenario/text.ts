/**
 * The scenario file as text, before it means anything: bytes that must be
 * UTF-8, the YAML reader's limits (repeated keys found in one pass, alias
 * expansion capped), and the place of a JSON syntax error. Apart from
 * load.ts so that it stays about what the keys mean.
 */
import { isUtf8 } from 'node:buffer';
import { isScalar, visit, type Document } from 'yaml';
import { firstInvalidUtf8, hexByte } from '../utf8.js';

/** The line and column (in characters, as an editor counts) of the first byte that is not UTF-8, with the message; null when all are. */
export function notUtf8(bytes: Buffer): { line: number; column: number; message: string } | null {
  if (isUtf8(bytes)) return null;
  const at = firstInvalidUtf8(bytes);
  const lineStart = bytes.lastIndexOf(10, at - 1) + 1;
  const line = bytes.subarray(0, lineStart).filter((b) => b === 10).length + 1;
  const column = bytes.subarray(lineStart, at).toString('utf8').length + 1;
  return { line, column, message: `not UTF-8 text (byte ${hexByte(bytes, at)}); save the file as UTF-8` };
}

/**
 * Offsets of the keys a mapping already has, in the whole document. The
 * `yaml` package's own check (uniqueKeys) compares each key with every
 * earlier one of its mapping, which takes minutes for tens of thousands of
 * keys; a set per mapping takes one pass.
 */
export function repeatedKeys(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) offsets.push(pair.key.range?.[0] ?? 0);
        seen.add(pair.key.value);
      }
    },
  });
  return offsets;
}

/** The `yaml` package's own limit on alias expansions; far more than a scenario needs, far less than an alias bomb makes. */
export const MAX_ALIAS_COUNT = 100;

/** Offset of the first alias (`*name`) of the document. */
export function firstAlias(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * Offset of the first syntax error in JSON text (text.length if it runs out),
 * by a recursive-descent scan that checks structure only.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  class Stop {}
  const fail = (): never => {
    throw new Stop();
  };
  const str = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return str();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!lit) fail();
    i += lit![0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return Math.min(i, text.length);
}
