#!/usr/bin/env node
// compile-default.js compiles one Solidity source, read from standard input,
// with the pinned solc-js and its default settings (no evmVersion: Prague for
// 0.8.30), as a developer who installs today's compiler gets it, and writes
// JSON to standard output: {"evmVersion", "contracts": {Name: {abi, bytecode,
// opcodes}}}. Tests use it to deploy today's bytecode on a chain (ADR 044).
'use strict';

const fs = require('fs');
const solc = require('solc');

const source = fs.readFileSync(0, 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'Input.sol': { content: source } },
  settings: {
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.opcodes', 'metadata'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  process.stderr.write(errors.map((e) => e.formattedMessage).join('\n') + '\n');
  process.exit(1);
}
const result = { evmVersion: '', contracts: {} };
for (const [name, c] of Object.entries(output.contracts['Input.sol'])) {
  result.evmVersion = JSON.parse(c.metadata).settings.evmVersion;
  result.contracts[name] = { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object, opcodes: c.evm.deployedBytecode.opcodes };
}
process.stdout.write(JSON.stringify(result) + '\n');
