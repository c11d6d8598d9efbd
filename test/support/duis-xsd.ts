/**
 * Validation of DUIS documents against the DUIS V5.4 schema in ../shared/duis
 * (reference data beside the project, not in it: tests that need it skip
 * when it is absent), with xmllint-wasm.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

export const DUIS_DIR = path.resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/duis');
export const HAVE_DUIS_XSD = existsSync(DUIS_DIR);

/** The schema's messages for the documents, [] when every one is valid. */
export async function duisSchemaErrors(docs: Array<{ fileName: string; contents: string }>): Promise<string[]> {
  const read = (f: string) => readFileSync(path.join(DUIS_DIR, f), 'utf8');
  const result = await validateXML({
    xml: docs,
    schema: [{ fileName: 'duis54.xsd', contents: read('duis54.xsd') }],
    preload: ['mmc54.xsd', 'xmldsig-core-schema.xsd', 'XMLSchema.dtd', 'datatypes.dtd'].map((f) => ({ fileName: f, contents: read(f) })),
  });
  return result.errors.map((e) => e.rawMessage);
}
