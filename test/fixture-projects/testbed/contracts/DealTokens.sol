// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// An ERC20's balances at mapping slot 2, Solidity's layout (test/deal.test.ts).
contract SlotTwoToken {
    string public name = "Slot two";
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        return true;
    }
}

/// Balances as Vyper lays out a mapping at slot 5: keccak256(slot ++ holder).
contract VyperLayoutToken {
    function balanceOf(address holder) external view returns (uint256 b) {
        bytes32 key = keccak256(abi.encode(uint256(5), holder));
        assembly {
            b := sload(key)
        }
    }
}

/// A "token" whose balance is computed, kept in no mapping: deal must refuse it.
contract ComputedBalanceToken {
    function balanceOf(address holder) external pure returns (uint256) {
        return uint160(holder) % 7;
    }
}
