// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {WsOcean} from "./WsOcean.sol";
import {RampedExp} from "../schedules/RampedExp.sol";

/// TokenSPICE's OCEANFuncMinterAgent with a RampedExpFunc, on chain: mints `totalToMint` OCEAN to
/// the recipient (the DAO treasury) over time on the ramped exponential schedule of the package's
/// RampedExp library (which checks the schedule and reverts with its errors). The schedule is
/// read at whole `mintInterval`s since `start` (TokenSPICE mints daily), so what has been minted
/// after any call equals `totalToMint * g(t)` at the last interval boundary, exactly, whoever calls
/// and however late.
contract WsRampedMinter {
    error ZeroInterval();

    WsOcean public immutable ocean;
    address public immutable recipient;
    uint256 public immutable totalToMint;
    uint256 public immutable start;
    uint256 public immutable mintInterval;
    RampedExp.Curve private curve;
    uint256 public minted;

    event Minted(uint256 amount, uint256 mintedSoFar);

    constructor(
        WsOcean ocean_,
        address recipient_,
        uint256 totalToMint_,
        uint256 start_,
        uint256 mintInterval_,
        RampedExp.Schedule memory schedule_
    ) {
        if (mintInterval_ == 0) revert ZeroInterval();
        ocean = ocean_;
        recipient = recipient_;
        totalToMint = totalToMint_;
        start = start_;
        mintInterval = mintInterval_;
        curve = RampedExp.curve(schedule_);
    }

    /// g(elapsed): the fraction of `totalToMint` released `elapsed` seconds after the start (1e18 = all).
    function fractionAt(uint256 elapsed) public view returns (uint256) {
        return RampedExp.fraction(curve, elapsed);
    }

    /// Cumulative OCEAN the schedule allows by `timestamp`.
    function mintableBy(uint256 timestamp) public view returns (uint256) {
        if (timestamp <= start) return 0;
        uint256 elapsed = timestamp - start;
        elapsed -= elapsed % mintInterval;
        return Math.mulDiv(totalToMint, fractionAt(elapsed), RampedExp.WAD);
    }

    /// Mints what the schedule allows by now and was not minted yet. Anyone may call it; with
    /// nothing due it does nothing.
    function mint() external returns (uint256 amount) {
        uint256 allowed = mintableBy(block.timestamp);
        if (allowed <= minted) return 0;
        amount = allowed - minted;
        minted = allowed;
        ocean.mint(recipient, amount);
        emit Minted(amount, allowed);
    }

    /// The schedule and its breakpoint values (F at T1, T2; g at T1, T2, T3; the end).
    function schedule() external view returns (RampedExp.Curve memory) {
        return curve;
    }
}
