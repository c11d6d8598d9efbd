/**
 * The corpus of bad scenarios in test/bad-scenarios/: each must fail with
 * exactly the problems it expects (file, line, column, key path, message).
 * A YAML file lists them in `# expect: line:col: path: message` comments;
 * JSON has no comments, so JSON files are listed in the table below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError } from '../../src/scenario/load.js';

const DIR = 'test/bad-scenarios';

const JSON_EXPECT: Record<string, string[]> = {
  // "hubs": 1000, then "}" on line 5: the trailing comma leaves a property name missing.
  'json-syntax.json': ['5:3: JSON syntax error: Expected double-quoted property name'],
  // V8 names no position for an unexpected token; the loader finds it (the comma after "hubs":).
  'json-unexpected-token.json': ["4:13: JSON syntax error: Unexpected token ','"],
  'json-trailing-text.json': ['2:1: JSON syntax error: Unexpected non-whitespace character after JSON'],
  'json-wrong-type.json': [
    '5:17: estate.gasShare: must be a number between 0 and 1 (got 1.5)',
    '7:29: output.duisBodies: must be true or false (got "yes")',
  ],
};

function expectedOf(file: string): string[] {
  const name = path.basename(file);
  if (name.endsWith('.json')) return JSON_EXPECT[name];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('# expect: '))
    .map((l) => l.slice('# expect: '.length));
}

function problemsOf(file: string): string[] {
  try {
    loadScenario(file);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.format().split('\n');
  }
  return [];
}

const files = readdirSync(DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

describe('bad scenarios', () => {
  it('the corpus holds at least 20 files, each with expectations', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const f of files) expect(expectedOf(path.join(DIR, f)), f).not.toHaveLength(0);
  });

  for (const f of files) {
    it(f, () => {
      const file = path.join(DIR, f);
      expect(problemsOf(file)).toEqual(expectedOf(file).map((e) => `${file}:${e}`));
    });
  }

  it('a missing file is a ScenarioError naming the file', () => {
    const file = path.join(DIR, 'no-such-scenario.yaml');
    expect(problemsOf(file)).toEqual([`${file}: no such file`]);
  });

  it('problems carry file, line, column and key path as fields too', () => {
    const file = path.join(DIR, 'negative-hubs.yaml');
    try {
      loadScenario(file);
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioError).problems).toEqual([
        { file, line: 5, column: 9, path: 'estate.hubs', message: 'must be an integer > 0 and at most 100000000 (got -5)' },
      ]);
    }
  });

  it('JSON and YAML of the same mistake report the same path and message', () => {
    const fromYaml = () => parseScenario('estate:\n  hubs: -5\n', 'a.yaml');
    const fromJson = () => parseScenario('{\n  "estate": {\n    "hubs": -5\n  }\n}\n', 'a.json');
    expect(fromYaml).toThrow('a.yaml:2:9: estate.hubs: must be an integer > 0 and at most 100000000 (got -5)');
    expect(fromJson).toThrow('a.json:3:13: estate.hubs: must be an integer > 0 and at most 100000000 (got -5)');
  });
});
