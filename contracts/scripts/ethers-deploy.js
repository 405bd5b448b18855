// ethers-deploy.js: an ethers v6 client deploying and calling a contract, for
// the Go test TestDevModernEVM (cmd/citynode) on a chain under Prague rules
// (ADR 044). It deploys the bytecode with a ContractFactory (ethers estimates
// the gas and fills the EIP-1559 fees from the node), calls echo(bytes) with
// staticCall, sends it as a transaction and reads calls().
//
// Input (standard input, JSON): {"rpc": URL, "key": "0x<private key>",
// "abi": [...], "bytecode": "0x...", "payload": "0x..."}. Output (standard
// output, JSON): {"address", "deployStatus", "echo", "seen", "callStatus",
// "calls", "blockDifficulty"}.
'use strict';

const fs = require('fs');
const { ethers } = require('ethers');

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const provider = new ethers.JsonRpcProvider(input.rpc, undefined, { staticNetwork: true, polling: true, pollingInterval: 200 });
  const wallet = new ethers.Wallet(input.key, provider);
  const factory = new ethers.ContractFactory(input.abi, input.bytecode, wallet);
  const contract = await factory.deploy();
  const deployReceipt = await contract.deploymentTransaction().wait();
  const [out, seen] = await contract.echo.staticCall(input.payload);
  const tx = await contract.echo(input.payload);
  const receipt = await tx.wait();
  const calls = await contract.calls();
  const block = await provider.getBlock(receipt.blockNumber);
  process.stdout.write(JSON.stringify({
    address: await contract.getAddress(),
    deployStatus: deployReceipt.status,
    echo: out,
    seen: seen.toString(),
    callStatus: receipt.status,
    calls: calls.toString(),
    blockDifficulty: block.difficulty.toString(),
  }) + '\n');
  provider.destroy();
}

main().catch((err) => {
  process.stderr.write(`ethers-deploy.js: ${err.stack || err}\n`);
  process.exit(1);
});
