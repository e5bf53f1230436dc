// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// A stand-in USD stablecoin. Fiat enters the chain only through the on-ramps named at deployment:
/// in wsloop, the marketplaces paying their network fees and the foundations' initial USD.
contract WsUsd is ERC20 {
    error NotOnRamp(address caller);

    mapping(address => bool) public isOnRamp;

    constructor(address[] memory onRamps) ERC20("US Dollar (wsloop)", "USD") {
        for (uint256 i = 0; i < onRamps.length; i++) isOnRamp[onRamps[i]] = true;
    }

    function mint(address to, uint256 amount) external {
        if (!isOnRamp[msg.sender]) revert NotOnRamp(msg.sender);
        _mint(to, amount);
    }

    function balancesOf(address[] calldata holders) external view returns (uint256[] memory balances) {
        balances = new uint256[](holders.length);
        for (uint256 i = 0; i < holders.length; i++) balances[i] = balanceOf(holders[i]);
    }
}
