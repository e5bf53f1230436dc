// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Jar {
    error Empty();
    mapping(address => uint256) public coins;
    uint256 public total;

    function put(uint256 n) external {
        coins[msg.sender] += n;
        total += n;
    }

    function take(uint256 n) external {
        if (coins[msg.sender] < n) revert Empty();
        coins[msg.sender] -= n;
        total -= n;
    }
}
