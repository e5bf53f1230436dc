// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// The DAO treasury (TokenSPICE's "ocean_dao"). It receives the router's share of network revenue
/// (USD), the minted OCEAN and the foundation's OCEAN grants. Its owner (the DAO's grant-giving
/// agent) pays grants from it: each call pays `grantShare` (1e18 = all) of each balance, in equal
/// parts, to the grant takers named. It can only pay out of what it holds, so it never owes.
contract WsTreasury {
    using SafeERC20 for IERC20;

    error NotOwner(address caller);
    error NoGrantTakers();
    error ShareAboveOne(uint256 grantShare);

    uint256 public constant ONE = 1e18;

    IERC20 public immutable ocean;
    IERC20 public immutable usd;
    address public immutable owner;
    uint256 public immutable grantShare;
    uint256 public grantedOcean;
    uint256 public grantedUsd;

    event GrantsPaid(uint256 takers, uint256 oceanEach, uint256 usdEach);

    constructor(IERC20 ocean_, IERC20 usd_, address owner_, uint256 grantShare_) {
        if (grantShare_ > ONE) revert ShareAboveOne(grantShare_);
        ocean = ocean_;
        usd = usd_;
        owner = owner_;
        grantShare = grantShare_;
    }

    function payGrants(address[] calldata takers) external returns (uint256 oceanEach, uint256 usdEach) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        uint256 n = takers.length;
        if (n == 0) revert NoGrantTakers();
        oceanEach = Math.mulDiv(ocean.balanceOf(address(this)), grantShare, ONE) / n;
        usdEach = Math.mulDiv(usd.balanceOf(address(this)), grantShare, ONE) / n;
        grantedOcean += oceanEach * n;
        grantedUsd += usdEach * n;
        for (uint256 i = 0; i < n; i++) {
            if (oceanEach > 0) ocean.safeTransfer(takers[i], oceanEach);
            if (usdEach > 0) usd.safeTransfer(takers[i], usdEach);
        }
        emit GrantsPaid(n, oceanEach, usdEach);
    }

    /// What the simulation samples: balances and what was granted so far.
    function stats() external view returns (uint256 oceanHeld, uint256 usdHeld, uint256 oceanGranted, uint256 usdGranted) {
        return (ocean.balanceOf(address(this)), usd.balanceOf(address(this)), grantedOcean, grantedUsd);
    }
}
