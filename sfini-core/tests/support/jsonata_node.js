// Evaluates every expression of a corpus (tests/support/jsonata_corpus.json)
// with jsonata-js, for tests/jsonata_node.rs, and writes one JSON array of
// outcomes to standard output, in the corpus's order:
//   {"kind": "result", "json": "<JSON text>"} | {"kind": "undefined"}
//   | {"kind": "error", "code": "S0201" or null, "message": "...", "phase": "compile" | "evaluate"}
//
// Usage: node jsonata_node.js CORPUS JSONATA_MODULE_DIR
//
// The functions Step Functions adds are bound as AWS documents them, the
// deterministic ones only ($partition, $range, $hash, $parse), and $eval is
// refused; their error codes are sfini's (see sfini_core::jsonata::functions).
'use strict';

const fs = require('fs');
const crypto = require('crypto');

const [corpusPath, jsonataDir] = process.argv.slice(2);
const jsonata = require(jsonataDir);
const corpus = JSON.parse(fs.readFileSync(corpusPath, 'utf8'));

function fail(code, message) {
  const error = new Error(message);
  error.code = code;
  throw error;
}

// A JSONata sequence: one value collapses to the value, none to undefined.
function sequence(items) {
  items.sequence = true;
  return items;
}

const algorithms = { 'MD5': 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const stepFunctions = {
  partition: ['<an:a>', (array, size) => {
    if (array === undefined || size === undefined) return undefined;
    if (!Number.isInteger(size) || size < 1) {
      fail('SF0101', `The size of the chunks of $partition must be a whole number of at least 1; found ${JSON.stringify(size)}`);
    }
    const chunks = [];
    for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
    return chunks;
  }],
  range: ['<nnn:a<n>>', (start, end, step) => {
    if (start === undefined || end === undefined || step === undefined) return undefined;
    if (step === 0) fail('SF0201', `The step of $range must be a number other than 0; found ${step}`);
    const last = Math.floor((end - start) / step);
    const items = [];
    for (let i = 0; i <= last; i++) items.push(start + i * step);
    return sequence(items);
  }],
  hash: ['<ss:s>', (data, algorithm) => {
    if (data === undefined || algorithm === undefined) return undefined;
    if (!(algorithm in algorithms)) fail('SF0301', `unknown algorithm ${algorithm}`);
    return crypto.createHash(algorithms[algorithm]).update(data, 'utf8').digest('hex');
  }],
  parse: ['<s:x>', (text) => {
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch (error) {
      fail('SF0601', `The argument of $parse is not JSON text: ${error.message}`);
    }
  }],
  eval: [undefined, () => fail('SF0901', 'The function $eval is not available in Step Functions')],
};

async function outcome(text, bindings) {
  let expression;
  try {
    expression = jsonata(text);
  } catch (error) {
    return { kind: 'error', code: error.code ?? null, message: String(error.message), phase: 'compile' };
  }
  for (const [name, [signature, implementation]] of Object.entries(stepFunctions)) {
    expression.registerFunction(name, implementation, signature);
  }
  try {
    const result = await expression.evaluate(undefined, bindings);
    if (result === undefined) return { kind: 'undefined' };
    return { kind: 'result', json: JSON.stringify(result) ?? 'null' };
  } catch (error) {
    return { kind: 'error', code: error.code ?? null, message: String(error.message), phase: 'evaluate' };
  }
}

(async () => {
  const bindings = Object.assign({ states: corpus.states }, corpus.variables);
  const realNow = Date.now;
  Date.now = () => corpus.now;
  const outcomes = [];
  for (const text of corpus.expressions) {
    outcomes.push(await outcome(text, bindings));
  }
  Date.now = realNow;
  process.stdout.write(JSON.stringify(outcomes));
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
