// SPDX-License-Identifier: MIT
pragma solidity 0.5.16;

// Compiled by test/hardhat3.test.ts with the npm alias solc-0.5.16 (hardhat.old-solc.config.ts).
contract OldCounter {
    uint256 public count;

    function add(uint256 n) external {
        count += n;
    }
}
