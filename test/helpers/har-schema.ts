import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';

const require = createRequire(import.meta.url);

/** The published HAR 1.2 JSON schemas (har-schema), compiled with ajv. */
export function harValidator() {
  const dir = join(dirname(require.resolve('har-schema/package.json')), 'lib');
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { $id?: string };
    ajv.addSchema(schema, schema.$id ?? `${file}#`);
  }
  const validate = ajv.getSchema('har.json#')!;
  return (har: unknown) => ({ valid: validate(har) as boolean, errors: ajv.errorsText(validate.errors) });
}
