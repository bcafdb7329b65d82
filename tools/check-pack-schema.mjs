// `make check-packs` (part of `make test`): every routine pack in routines/ must match
// docs/routine-pack.schema.json, and every file in tests/fixtures/routine-packs/ must be judged by
// the schema as tests/fixtures/routine-packs/expected.json says ("valid" or "invalid", and for an
// invalid one the place of the problem, `schema_at`, a JSON pointer). The same expected.json names
// the app's own verdict (`path`, `problem`), which crates/domain/tests/routine_packs.rs checks.
// Exits with 1, saying why, on any mismatch.
//   node tools/check-pack-schema.mjs
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'docs', 'routine-pack.schema.json');
const routines = join(root, 'routines');
const fixtures = join(root, 'tests', 'fixtures', 'routine-packs');
const EXPECTED = 'expected.json';

const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

const failures = [];
const fail = (message) => failures.push(message);

/** The schema's verdict on one file: null when it matches, else its errors as readable lines. */
async function judge(path) {
  let pack;
  try {
    pack = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    return { errors: [`not JSON: ${err.message}`], at: [] };
  }
  if (validate(pack)) return null;
  const errors = validate.errors.map(
    (e) => `${e.instancePath || '(the pack)'}: ${e.message}${e.params?.additionalProperty ? ` (\`${e.params.additionalProperty}\`)` : ''}`,
  );
  return { errors, at: validate.errors.map((e) => e.instancePath) };
}

const jsonFiles = async (dir) => (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();

// The packs the repository ships: all must pass.
const shipped = await jsonFiles(routines);
if (shipped.length === 0) fail(`no packs in ${routines}`);
for (const name of shipped) {
  const verdict = await judge(join(routines, name));
  if (verdict) {
    fail(`routines/${name} does not match the schema:\n    ${verdict.errors.join('\n    ')}`);
  } else {
    console.log(`[check-packs] routines/${name}: valid`);
  }
}

// The broken packs: each as its expectation says.
const expected = JSON.parse(await readFile(join(fixtures, EXPECTED), 'utf8'));
const present = (await jsonFiles(fixtures)).filter((name) => name !== EXPECTED);
for (const name of Object.keys(expected)) {
  if (!present.includes(name)) fail(`${EXPECTED} names ${name}, which is not in tests/fixtures/routine-packs/`);
}
for (const name of present) {
  const expectation = expected[name];
  if (!expectation) {
    fail(`tests/fixtures/routine-packs/${name} has no expectation in ${EXPECTED}`);
    continue;
  }
  if (expectation.schema !== 'valid' && expectation.schema !== 'invalid') {
    fail(`${EXPECTED}: ${name}: "schema" must be "valid" or "invalid", not ${JSON.stringify(expectation.schema)}`);
    continue;
  }
  const verdict = await judge(join(fixtures, name));
  const got = verdict ? 'invalid' : 'valid';
  if (got !== expectation.schema) {
    const why = verdict ? `:\n    ${verdict.errors.join('\n    ')}` : '';
    fail(`tests/fixtures/routine-packs/${name}: expected ${expectation.schema} by the schema, found ${got}${why}`);
    continue;
  }
  if (verdict && expectation.schema_at !== undefined && !verdict.at.includes(expectation.schema_at)) {
    fail(
      `tests/fixtures/routine-packs/${name}: expected a problem at ${expectation.schema_at}, found:\n    ${verdict.errors.join('\n    ')}`,
    );
    continue;
  }
  const detail = verdict ? ` at ${expectation.schema_at ?? verdict.at[0]}` : '';
  console.log(`[check-packs] tests/fixtures/routine-packs/${name}: ${got}${detail}, as expected`);
}

if (failures.length > 0) {
  for (const message of failures) console.error(`[check-packs] ${message}`);
  console.error(`[check-packs] ${failures.length} mismatch(es) against docs/routine-pack.schema.json`);
  process.exit(1);
}
console.log(`[check-packs] ${shipped.length} shipped pack(s) and ${present.length} fixture(s) as expected`);
