// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// The network's revenue address (TokenSPICE's "opc_address" RouterAgent): whatever USD it holds,
/// `route()` splits between buy-and-burn and the DAO treasury. `burnShare` is a fraction scaled by
/// 1e18 (1e18 = all to burn). The burn side is rounded down, so the treasury gets the remainder
/// and no wei is ever left behind.
contract WsRouter {
    using SafeERC20 for IERC20;

    error ShareAboveOne(uint256 burnShare);

    uint256 public constant ONE = 1e18;

    IERC20 public immutable usd;
    address public immutable burner;
    address public immutable treasury;
    uint256 public immutable burnShare;
    uint256 public routedToBurn;
    uint256 public routedToTreasury;

    event Routed(uint256 toBurn, uint256 toTreasury);

    constructor(IERC20 usd_, address burner_, address treasury_, uint256 burnShare_) {
        if (burnShare_ > ONE) revert ShareAboveOne(burnShare_);
        usd = usd_;
        burner = burner_;
        treasury = treasury_;
        burnShare = burnShare_;
    }

    function split(uint256 amount) public view returns (uint256 toBurn, uint256 toTreasury) {
        toBurn = Math.mulDiv(amount, burnShare, ONE);
        toTreasury = amount - toBurn;
    }

    /// Anyone may call it; with nothing to route it does nothing.
    function route() external returns (uint256 toBurn, uint256 toTreasury) {
        uint256 amount = usd.balanceOf(address(this));
        if (amount == 0) return (0, 0);
        (toBurn, toTreasury) = split(amount);
        routedToBurn += toBurn;
        routedToTreasury += toTreasury;
        if (toBurn > 0) usd.safeTransfer(burner, toBurn);
        if (toTreasury > 0) usd.safeTransfer(treasury, toTreasury);
        emit Routed(toBurn, toTreasury);
    }

    /// Everything routed so far, in one call.
    function routed() external view returns (uint256 toBurn, uint256 toTreasury) {
        return (routedToBurn, routedToTreasury);
    }
}
