// verify-getproof.js: a proof file of `cityctl audit prove` checked by
// tools that are not citychain's, for the Go test TestProofOtherVerifier
// (internal/client/audit): the header's RLP must hash to the trusted block hash
// (ethers' keccak256 and RLP decoder), and the file's eth_getProof member
// (EIP-1186) must prove its account fields against the header's state root
// and each storage value against the account's storage hash
// (@ethereumjs/trie's verifyProof).
//
// Usage: node scripts/verify-getproof.js TRUSTED_BLOCK_HASH < proof.json
// Prints {"stateRoot", "exists", "storage": {key: value}} and exits 0 when
// everything verifies; exits 1 with the reason otherwise.
'use strict';

const fs = require('fs');
const { ethers } = require('ethers');
const { Trie } = require('@ethereumjs/trie');

const bytes = ethers.getBytes;
const quantity = hex => BigInt(hex === '0x' ? 0 : hex);

function check(what, have, want) {
  if (have !== want) throw new Error(`${what}: file says ${have}, proven ${want}`);
}

async function main() {
  const trusted = process.argv[2];
  const file = JSON.parse(fs.readFileSync(0, 'utf8'));
  const hash = ethers.keccak256(file.header.rlp);
  if (hash !== trusted.toLowerCase()) throw new Error(`header hashes to ${hash}, trusted ${trusted}`);
  const stateRoot = ethers.decodeRlp(file.header.rlp)[3];

  const p = file.eth_getProof;
  const trie = await Trie.create({ useKeyHashing: true });
  const leaf = await trie.verifyProof(bytes(stateRoot), bytes(p.address), p.accountProof.map(bytes));
  const account = leaf ? ethers.decodeRlp(leaf) : ['0x', '0x', ethers.ZeroHash, ethers.ZeroHash];
  check('nonce', quantity(p.nonce), quantity(account[0]));
  check('balance', quantity(p.balance), quantity(account[1]));
  check('storageHash', p.storageHash, account[2]);
  check('codeHash', p.codeHash, account[3]);

  // An account without storage (or without an account) has no storage trie.
  const noStorage = [ethers.ZeroHash, '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'].includes(p.storageHash);
  const storage = {};
  for (const s of p.storageProof) {
    let value = 0n;
    if (noStorage) {
      check(`proof nodes of storage ${s.key}`, s.proof.length, 0);
    } else {
      const enc = await trie.verifyProof(bytes(p.storageHash), bytes(s.key), s.proof.map(bytes));
      if (enc) value = quantity(ethers.decodeRlp(enc));
    }
    check(`storage ${s.key}`, quantity(s.value), value);
    storage[s.key] = s.value;
  }
  process.stdout.write(JSON.stringify({ stateRoot, exists: leaf !== null, storage }) + '\n');
}

main().catch(err => {
  console.error(err.message || err);
  process.exit(1);
});
