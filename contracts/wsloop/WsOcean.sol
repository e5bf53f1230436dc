// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// OCEAN for the wsloop model: an initial supply minted at deployment, later supply only from one
/// minter contract (the ramped schedule), and anyone may burn their own tokens (buy-and-burn does).
/// It counts what was minted after launch and what was burned, so a simulation can check
/// `totalSupply == initialSupply + minted - burned` against independent counters.
contract WsOcean is ERC20, ERC20Burnable {
    error NotMinter(address caller);
    error MinterAlreadySet(address minter);
    error NotAdmin(address caller);

    address private immutable admin;
    uint256 public immutable initialSupply;
    address public minter;
    uint256 public minted;
    uint256 public burned;

    constructor(address initialHolder, uint256 initialSupply_) ERC20("Ocean Token (wsloop)", "OCEAN") {
        admin = msg.sender;
        initialSupply = initialSupply_;
        _mint(initialHolder, initialSupply_);
    }

    /// The minter is deployed after the token (it needs the token's address), so it is set once here.
    function setMinter(address minter_) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (minter != address(0)) revert MinterAlreadySet(minter);
        minter = minter_;
    }

    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        minted += amount;
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (to == address(0)) burned += value;
        super._update(from, to, value);
    }

    /// What a simulation samples every tick, in one call.
    function supplyStats() external view returns (uint256 supply, uint256 initial, uint256 mintedSoFar, uint256 burnedSoFar) {
        return (totalSupply(), initialSupply, minted, burned);
    }

    function balancesOf(address[] calldata holders) external view returns (uint256[] memory balances) {
        balances = new uint256[](holders.length);
        for (uint256 i = 0; i < holders.length; i++) balances[i] = balanceOf(holders[i]);
    }
}
