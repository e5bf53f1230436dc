// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {RampedExp} from "../schedules/RampedExp.sol";
import {VestingUnlockPeriod} from "./VestingUnlockPeriod.sol";

/// Vesting on TokenSPICE's half-life curves: allocation * g(t - start) with g = RampedExpFunc
/// (ExpFunc when the ramp is all zero), from the package's RampedExp library, in whole unlock
/// periods. The curve ends, like RampedExp's, 34 half-lives after the ramp (TokenSPICE's
/// BITCOIN_NUM_HALF_LIVES), where everything left vests: that is the wallet's `duration`.
/// The library checks the schedule (H > 0, T0 <= T1 <= T2 <= T3, multipliers at most 1e18) and
/// reverts with its errors.
contract VestingExpDecayWallet is VestingUnlockPeriod {
    RampedExp.Curve private _curve;

    constructor(address beneficiary, uint64 startTimestamp, RampedExp.Schedule memory schedule_, uint64 unlockPeriodSeconds)
        VestingWallet(beneficiary, startTimestamp, _curveEnd(schedule_))
        VestingUnlockPeriod(unlockPeriodSeconds)
    {
        _curve = RampedExp.curve(schedule_);
    }

    /// The duration handed to VestingWallet: the curve's end, T3 + 34 H (the schedule is checked in the body).
    function _curveEnd(RampedExp.Schedule memory s) private pure returns (uint64) {
        return SafeCast.toUint64(uint256(s.t3) + RampedExp.TAIL_HALF_LIVES * s.halfLife);
    }

    /// The schedule (seconds after `start()`, multipliers in 1e18) and its breakpoints.
    function curve() public view returns (RampedExp.Curve memory) {
        return _curve;
    }

    /// The fraction of the allocation vested at `timestamp` (1e18 = all), at its last unlock.
    function vestedFractionWad(uint64 timestamp) public view returns (uint256) {
        uint64 t = _lastUnlock(timestamp);
        if (t < start()) return 0;
        return RampedExp.fraction(_curve, t - start());
    }

    function _vestingSchedule(uint256 totalAllocation, uint64 timestamp) internal view override returns (uint256) {
        return Math.mulDiv(totalAllocation, vestedFractionWad(timestamp), RampedExp.WAD);
    }
}
