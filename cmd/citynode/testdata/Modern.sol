// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Modern uses what solc >= 0.8.24 emits with its default EVM version and
// what London lacks: PUSH0 (Shanghai), MCOPY and transient storage (Cancun).
contract Modern {
    uint256 transient depth; // TSTORE/TLOAD
    uint256 public calls;

    // echo returns a copy of data made with MCOPY, and the transient counter
    // seen inside the call (1: set and read back in the same transaction).
    function echo(bytes calldata data) external returns (bytes memory out, uint256 seen) {
        require(depth == 0, "reentered");
        depth = 1;
        bytes memory input = data;
        out = new bytes(input.length);
        assembly {
            mcopy(add(out, 32), add(input, 32), mload(input))
        }
        seen = depth;
        depth = 0;
        calls += 1;
    }
}
