// SPDX-License-Identifier: MIT
pragma solidity 0.6.12;

/// Compiled by solc 0.6.12: try/catch (new in 0.6) around an external call, and no overflow checks.
contract Tally06 {
    uint256 public total;

    function add(uint256 amount) external returns (uint256) {
        require(amount > 0, "zero");
        total += amount;
        return total;
    }

    /// What `add(amount)` on this contract returns, or the revert reason it gives.
    function tryAdd(uint256 amount) external returns (uint256 result, string memory reason) {
        try this.add(amount) returns (uint256 r) {
            return (r, "");
        } catch Error(string memory why) {
            return (0, why);
        }
    }

    function wrappingIncrement(uint256 x) external pure returns (uint256) {
        return x + 1;
    }
}
