// wallet-ballot.js: residents voting from a wallet, for the Go test
// TestWalletBallots (cmd/cityctl). Each resident's wallet (ethers v6 Wallet)
// signs the EIP-712 typed data printed by `cityctl poll typed-data`,
// exactly as printed, with signTypedData; the resident's voter index and
// proof come from the eligibility file (`cityctl poll eligible`) loaded with
// @openzeppelin/merkle-tree. The script prints one ballot line per resident,
// the signature as the wallet returned it, for `cityctl poll relay`.
//
// Input (standard input, JSON): {"eligibility": <eligibility file>,
// "ballots": [{"key": "0x<private key>", "typedData": <typed-data output>}]}.
// It also checks that the printed typed data is what ethers itself would
// send to a wallet's eth_signTypedData_v4 (TypedDataEncoder.getPayload).
'use strict';

const fs = require('fs');
const assert = require('assert');
const { ethers } = require('ethers');
const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');

async function ballot(tree, { key, typedData }) {
  const wallet = new ethers.Wallet(key);
  // ethers takes the types without EIP712Domain (it derives it from the domain).
  const { EIP712Domain, ...types } = typedData.types;
  const payload = ethers.TypedDataEncoder.getPayload(typedData.domain, types, typedData.message);
  assert.deepStrictEqual(typedData.types, payload.types, 'types differ from ethers\' eth_signTypedData_v4 payload');
  assert.strictEqual(typedData.primaryType, payload.primaryType);
  assert.deepStrictEqual(typedData.message, payload.message, 'message differs from ethers\' payload');
  assert.strictEqual(BigInt(typedData.domain.chainId), BigInt(payload.domain.chainId));
  assert.strictEqual(typedData.domain.verifyingContract.toLowerCase(), payload.domain.verifyingContract);

  const signature = await wallet.signTypedData(typedData.domain, types, typedData.message);
  let entry;
  for (const [i, [index, voter]] of tree.entries()) {
    if (voter.toLowerCase() === wallet.address.toLowerCase()) entry = { i, index };
  }
  if (!entry) throw new Error(`${wallet.address} is not in the eligibility file`);
  return {
    poll: Number(typedData.message.poll),
    option: Number(typedData.message.option),
    voter: wallet.address,
    voterIndex: Number(entry.index),
    signature,
    proof: tree.getProof(entry.i),
  };
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const tree = StandardMerkleTree.load(input.eligibility);
  for (const b of input.ballots) {
    process.stdout.write(JSON.stringify(await ballot(tree, b)) + '\n');
  }
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
