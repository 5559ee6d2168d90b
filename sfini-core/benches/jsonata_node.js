// Times jsonata-js on the cases of sfini-core/benches/jsonata.rs, in the
// same run: each expression is compiled once, evaluated with `$states`
// bound and no context value (as Step Functions evaluates it), warmed up,
// then evaluated for the given time. Writes one JSON array to standard
// output: {"name", "nanos": per evaluation, "result": JSON text}.
//
// Usage: node jsonata_node.js CASES_FILE JSONATA_MODULE_DIR
'use strict';

const fs = require('fs');

const [casesPath, jsonataDir] = process.argv.slice(2);
const jsonata = require(jsonataDir);
const spec = JSON.parse(fs.readFileSync(casesPath, 'utf8'));

async function time(expression, bindings, millis) {
  for (let i = 0; i < 20; i++) {
    await expression.evaluate(undefined, bindings);
  }
  let count = 0;
  const started = process.hrtime.bigint();
  const until = started + BigInt(millis) * 1000000n;
  let now = started;
  while (now < until) {
    for (let i = 0; i < 10; i++) {
      await expression.evaluate(undefined, bindings);
    }
    count += 10;
    now = process.hrtime.bigint();
  }
  return Number(now - started) / count;
}

async function main() {
  const bindings = { states: spec.states };
  const out = [];
  for (const { name, expression } of spec.cases) {
    const compiled = jsonata(expression);
    const result = await compiled.evaluate(undefined, bindings);
    const nanos = await time(compiled, bindings, spec.millis);
    out.push({ name, nanos, result: JSON.stringify(result === undefined ? null : result) });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
