// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// OCEAN for the simulation: a plain ERC20 whose whole supply is minted once, at deployment, to the
/// given holders. Nothing mints or burns afterwards, so every OCEAN is somewhere: in a wallet or a pool.
contract OceanV3Token is ERC20 {
    error LengthMismatch(uint256 holders, uint256 amounts);

    constructor(address[] memory holders, uint256[] memory amounts) ERC20("Ocean Token", "OCEAN") {
        if (holders.length != amounts.length) revert LengthMismatch(holders.length, amounts.length);
        for (uint256 i = 0; i < holders.length; i++) _mint(holders[i], amounts[i]);
    }
}
