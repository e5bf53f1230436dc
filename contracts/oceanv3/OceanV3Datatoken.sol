// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";

/// An Ocean V3 datatoken: an ERC20 for access to one dataset, minted only by its publisher, up to a
/// cap. Sending one datatoken to the publisher is how a consumer pays for one access.
contract OceanV3Datatoken is ERC20Capped {
    error NotMinter(address caller);

    address public immutable minter;

    constructor(string memory name_, string memory symbol_, uint256 cap_, address minter_)
        ERC20(name_, symbol_)
        ERC20Capped(cap_)
    {
        minter = minter_;
    }

    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        _mint(to, amount);
    }

    /// Balances of each holder, in one call (a simulation reads every holder each tick).
    function balancesOf(address[] calldata holders) external view returns (uint256[] memory balances) {
        balances = new uint256[](holders.length);
        for (uint256 i = 0; i < holders.length; i++) balances[i] = balanceOf(holders[i]);
    }
}
