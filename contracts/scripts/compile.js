#!/usr/bin/env node
// compile.js compiles every contracts/src/*.sol with the pinned solc-js
// (package-lock.json) for EVM london and writes one artifact per deployable
// contract to contracts/artifacts/<Contract>.json. It reads nothing from the
// network: imports resolve to contracts/src and contracts/node_modules only.
// The output is sorted and stable, so a rerun on any machine writes the same
// bytes; `make contracts-check` relies on it.
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require('solc');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src');
const outDir = path.join(root, 'artifacts');
const modules = path.join(root, 'node_modules');

// Compiler settings, pinned: part of every artifact and of the bytecode's
// metadata hash. Clique blocks run London rules (no PUSH0, MCOPY, TSTORE).
const settings = {
  evmVersion: 'london',
  optimizer: { enabled: true, runs: 200 },
  metadata: { bytecodeHash: 'ipfs' },
  outputSelection: {
    '*': {
      '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.deployedBytecode.immutableReferences', 'storageLayout'],
    },
  },
};

function fail(msg) {
  process.stderr.write(`compile.js: ${msg}\n`);
  process.exit(1);
}

// findImports resolves an import path: sources under src/ by their own name,
// packages under node_modules/. Anything else is an error naming the path.
function findImports(importPath) {
  const candidates = [path.join(srcDir, importPath), path.join(modules, importPath)];
  for (const file of candidates) {
    const rel = path.relative(root, file);
    if (!rel.startsWith('..') && fs.existsSync(file)) {
      return { contents: fs.readFileSync(file, 'utf8') };
    }
  }
  return { error: `import ${importPath} not found in contracts/src or contracts/node_modules (run npm ci --prefix contracts)` };
}

// sortKeys returns v with object keys sorted recursively, for stable JSON.
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

// withoutKey returns v without any object key named key, recursively.
function withoutKey(v, key) {
  if (Array.isArray(v)) return v.map((x) => withoutKey(x, key));
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v)) if (k !== key) out[k] = withoutKey(v[k], key);
    return out;
  }
  return v;
}

// withoutAstIds returns a storage layout without AST ids: no astId keys, and
// type names such as t_struct(Parcel)2398_storage become t_struct(Parcel)_storage.
function withoutAstIds(layout) {
  const text = JSON.stringify(withoutKey(layout, 'astId'));
  return JSON.parse(text.replace(/(t_(?:struct|enum|contract|userDefinedValueType)\([A-Za-z0-9_$]+\))\d+/g, '$1'));
}

function main() {
  const files = fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort();
  if (files.length === 0) fail(`no .sol files in ${srcDir}`);
  const sources = {};
  for (const f of files) sources[f] = { content: fs.readFileSync(path.join(srcDir, f), 'utf8') };

  const input = { language: 'Solidity', sources, settings };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  // Errors fail the build, and so do warnings about our own sources: a
  // registry a court relies on compiles cleanly.
  const problems = (output.errors || []).filter(
    (e) => e.severity === 'error' || (e.severity === 'warning' && e.sourceLocation && sources[e.sourceLocation.file]),
  );
  for (const e of output.errors || []) process.stderr.write(`${e.formattedMessage || e.message}\n`);
  if (problems.length > 0) fail(`${problems.length} compiler error(s) or warning(s) in contracts/src; fix them and run make contracts`);

  const version = solc.version();
  fs.mkdirSync(outDir, { recursive: true });
  const written = new Set();
  for (const f of files) {
    const contracts = output.contracts[f] || {};
    for (const name of Object.keys(contracts).sort()) {
      const c = contracts[name];
      // Interfaces and abstract contracts have no code to deploy, and a
      // library of constants only (Roles) has no ABI to bind.
      if (!c.evm.bytecode.object || c.abi.length === 0) continue;
      if (written.has(name)) fail(`two contracts named ${name}; contract names must be unique across contracts/src`);
      written.add(name);
      const artifact = {
        contractName: name,
        sourceName: f,
        abi: c.abi,
        bytecode: '0x' + c.evm.bytecode.object,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
        immutableReferences: c.evm.deployedBytecode.immutableReferences || {},
        // Slots of the state variables and struct members, for eth_getProof.
        // AST ids are dropped: they number nodes of the whole compilation,
        // so an edit of one source would renumber every artifact.
        // Type names carry AST ids too (t_struct(Parcel)2398_storage): they
        // are dropped for the same reason.
        storageLayout: withoutAstIds(c.storageLayout),
        compiler: { name: 'solc-js', version, settings: { evmVersion: settings.evmVersion, optimizer: settings.optimizer, metadata: settings.metadata } },
      };
      fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(sortKeys(artifact), null, 2) + '\n');
    }
  }
  // Artifacts of contracts that no longer exist would otherwise linger.
  for (const f of fs.readdirSync(outDir)) {
    if (f.endsWith('.json') && !written.has(f.slice(0, -5))) fs.unlinkSync(path.join(outDir, f));
  }
  process.stdout.write(`compiled ${files.length} source(s) with solc ${version}: ${[...written].sort().join(', ')}\n`);
}

main();
