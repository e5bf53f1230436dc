// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// An ERC20 whose minter emits on a schedule with a half-life: the amount mintable by time t is
/// `totalEmission * (1 - 0.5^(elapsed / halfLife))`, so half of what remains is emitted every half-life.
/// Holders may burn. `balancesOf` and `supplyStats` let a simulation read what it samples in one call each.
contract EmissionToken is ERC20, ERC20Burnable {
    error NotMinter(address caller);
    error NothingToMint(uint256 emittedSoFar, uint256 allowedSoFar);

    address public immutable minter;
    uint256 public immutable totalEmission;
    uint256 public immutable halfLife;
    uint256 public immutable start;
    uint256 public emitted;
    uint256 public burned;

    constructor(
        string memory name_,
        string memory symbol_,
        address minter_,
        uint256 totalEmission_,
        uint256 halfLifeSeconds_
    ) ERC20(name_, symbol_) {
        require(halfLifeSeconds_ > 0, "half-life must be positive");
        minter = minter_;
        totalEmission = totalEmission_;
        halfLife = halfLifeSeconds_;
        start = block.timestamp;
    }

    /// The cumulative emission allowed at `timestamp`.
    function emittedBy(uint256 timestamp) public view returns (uint256) {
        if (timestamp <= start) return 0;
        uint256 elapsed = timestamp - start;
        uint256 halvings = elapsed / halfLife;
        if (halvings >= 128) return totalEmission;
        // Remaining after whole halvings, then a linear step through the current half-life:
        // exact at every half-life boundary and monotone in between.
        uint256 remaining = totalEmission >> halvings;
        uint256 intoHalfLife = elapsed % halfLife;
        uint256 remainingNow = remaining - (remaining * intoHalfLife) / (2 * halfLife);
        return totalEmission - remainingNow;
    }

    /// Mints to `to` everything the schedule allows by now and has not been minted yet.
    function emitTo(address to) external returns (uint256 amount) {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        uint256 allowed = emittedBy(block.timestamp);
        if (allowed <= emitted) revert NothingToMint(emitted, allowed);
        amount = allowed - emitted;
        emitted = allowed;
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (to == address(0)) burned += value;
        super._update(from, to, value);
    }

    /// What a simulation samples every tick, in one call.
    function supplyStats() external view returns (uint256 supply, uint256 emittedSoFar, uint256 burnedSoFar) {
        return (totalSupply(), emitted, burned);
    }

    function balancesOf(address[] calldata holders) external view returns (uint256[] memory balances) {
        balances = new uint256[](holders.length);
        for (uint256 i = 0; i < holders.length; i++) balances[i] = balanceOf(holders[i]);
    }
}
