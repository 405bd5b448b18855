// oz-merkle.js: the reference answers of @openzeppelin/merkle-tree for the Go
// tests of contracts/merkle, contracts/ballots and internal/client/registry, which
// run it with `node contracts/scripts/oz-merkle.js` and compare.
//
// Input (standard input, JSON): {"leafEncoding": [...], "values": [[...], ...],
// "dump": <a standard-v1 dump written by citychain, optional>}.
// Output (standard output, JSON):
//   "of":     StandardMerkleTree.of(values, leafEncoding): its dump and the
//             proof of every value (by value index);
//   "loaded": when a dump was given, StandardMerkleTree.load(dump): its root,
//             the proof of every value, and whether StandardMerkleTree.verify
//             accepts each value with that proof.
'use strict';

const fs = require('fs');
const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');

function proofs(tree) {
  const out = [];
  for (const [i] of tree.entries()) out.push(tree.getProof(i));
  return out;
}

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const built = StandardMerkleTree.of(input.values, input.leafEncoding);
const result = { of: { dump: built.dump(), proofs: proofs(built) } };
if (input.dump) {
  const loaded = StandardMerkleTree.load(input.dump);
  const ps = proofs(loaded);
  result.loaded = {
    root: loaded.root,
    proofs: ps,
    verified: ps.map((p, i) => StandardMerkleTree.verify(loaded.root, loaded.leafEncoding, loaded.at(i), p)),
  };
}
process.stdout.write(JSON.stringify(result) + '\n');
