// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// A foundation's fixed grant program (TokenSPICE's GrantGivingAgent): `grants` equal grants of
/// OCEAN and USD to one recipient, the first due at `start`, then one every `interval` seconds.
/// Anyone may call `disburse()`; it pays every grant due and not yet paid (a late call catches up),
/// each capped by what the stream still holds, as TokenSPICE's `min(balance, per grant)`.
contract WsGrantStream {
    using SafeERC20 for IERC20;

    error ZeroInterval();

    IERC20 public immutable ocean;
    IERC20 public immutable usd;
    address public immutable recipient;
    uint256 public immutable start;
    uint256 public immutable interval;
    uint256 public immutable grants;
    uint256 public immutable oceanPerGrant;
    uint256 public immutable usdPerGrant;
    uint256 public paid;

    event Disbursed(uint256 grantsPaid, uint256 ocean, uint256 usd);

    constructor(
        IERC20 ocean_,
        IERC20 usd_,
        address recipient_,
        uint256 start_,
        uint256 interval_,
        uint256 grants_,
        uint256 oceanPerGrant_,
        uint256 usdPerGrant_
    ) {
        if (interval_ == 0) revert ZeroInterval();
        ocean = ocean_;
        usd = usd_;
        recipient = recipient_;
        start = start_;
        interval = interval_;
        grants = grants_;
        oceanPerGrant = oceanPerGrant_;
        usdPerGrant = usdPerGrant_;
    }

    /// Grants due by `timestamp`, paid or not.
    function dueBy(uint256 timestamp) public view returns (uint256) {
        if (timestamp < start) return 0;
        return Math.min(grants, (timestamp - start) / interval + 1);
    }

    function disburse() external returns (uint256 count) {
        uint256 due = dueBy(block.timestamp);
        if (due <= paid) return 0;
        count = due - paid;
        paid = due;
        uint256 oceanOut = Math.min(ocean.balanceOf(address(this)), oceanPerGrant * count);
        uint256 usdOut = Math.min(usd.balanceOf(address(this)), usdPerGrant * count);
        if (oceanOut > 0) ocean.safeTransfer(recipient, oceanOut);
        if (usdOut > 0) usd.safeTransfer(recipient, usdOut);
        emit Disbursed(count, oceanOut, usdOut);
    }
}
