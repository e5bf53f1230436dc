// SPDX-License-Identifier: MIT
pragma solidity 0.5.16;

/// Compiled by solc 0.5.16: no overflow checks (addition wraps), and `now` still exists.
contract Tally05 {
    uint256 public total;

    function add(uint256 amount) public returns (uint256) {
        total += amount;
        return total;
    }

    function wrappingIncrement(uint256 x) public pure returns (uint256) {
        return x + 1;
    }

    function stamp() public view returns (uint256) {
        return now;
    }
}
