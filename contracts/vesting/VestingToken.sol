// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// A fixed-supply ERC20: the whole supply is minted once, to the treasury, and never again, so every
/// token a simulation sees is either in the treasury, in a vesting wallet or circulating.
contract VestingToken is ERC20 {
    constructor(address treasury, uint256 supply) ERC20("Vested", "VEST") {
        _mint(treasury, supply);
    }
}
