// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingDecayMath} from "./VestingDecayMath.sol";
import {VestingUnlockPeriod} from "./VestingUnlockPeriod.sol";

/// Vesting on TokenSPICE's half-life curves: allocation * g(t - start) with g = RampedExpFunc
/// (ExpFunc when the ramp is all zero), in whole unlock periods. The curve only approaches 1, so,
/// like TokenSPICE's minters (`keepMinting`: 34 half-lives, Bitcoin's count), the wallet vests the
/// remainder at t3 + 34 half-lives: its `duration`.
contract VestingExpDecayWallet is VestingUnlockPeriod {
    uint256 public constant TAIL_HALF_LIVES = 34;

    error ZeroHalfLife();
    error RampOutOfOrder();
    error MultiplierAboveOne(uint256 multiplier);

    uint256 public immutable halfLife;
    uint64 private immutable _t0;
    uint64 private immutable _t1;
    uint64 private immutable _t2;
    uint64 private immutable _t3;
    uint256 private immutable _m1;
    uint256 private immutable _m2;
    uint256 private immutable _m3;
    uint256 private immutable _f1;
    uint256 private immutable _f2;
    uint256 private immutable _g1;
    uint256 private immutable _g2;
    uint256 private immutable _g3;

    constructor(
        address beneficiary,
        uint64 startTimestamp,
        uint64 halfLifeSeconds,
        VestingDecayMath.Ramp memory ramp_,
        uint64 unlockPeriodSeconds
    )
        VestingWallet(beneficiary, startTimestamp, _tailEnd(halfLifeSeconds, ramp_))
        VestingUnlockPeriod(unlockPeriodSeconds)
    {
        if (ramp_.m1 > VestingDecayMath.WAD) revert MultiplierAboveOne(ramp_.m1);
        if (ramp_.m2 > VestingDecayMath.WAD) revert MultiplierAboveOne(ramp_.m2);
        if (ramp_.m3 > VestingDecayMath.WAD) revert MultiplierAboveOne(ramp_.m3);
        halfLife = halfLifeSeconds;
        (_t0, _t1, _t2, _t3) = (ramp_.t0, ramp_.t1, ramp_.t2, ramp_.t3);
        (_m1, _m2, _m3) = (ramp_.m1, ramp_.m2, ramp_.m3);
        VestingDecayMath.RampPoints memory p = VestingDecayMath.rampPoints(ramp_, halfLifeSeconds);
        (_f1, _f2, _g1, _g2, _g3) = (p.f1, p.f2, p.g1, p.g2, p.g3);
    }

    /// The duration handed to VestingWallet: everything has vested 34 half-lives after the ramp.
    function _tailEnd(uint64 halfLifeSeconds, VestingDecayMath.Ramp memory r) private pure returns (uint64) {
        if (halfLifeSeconds == 0) revert ZeroHalfLife();
        if (!(r.t0 <= r.t1 && r.t1 <= r.t2 && r.t2 <= r.t3)) revert RampOutOfOrder();
        return r.t3 + uint64(TAIL_HALF_LIVES) * halfLifeSeconds;
    }

    function ramp() public view returns (VestingDecayMath.Ramp memory) {
        return VestingDecayMath.Ramp(_t0, _t1, _t2, _t3, _m1, _m2, _m3);
    }

    /// The fraction of the allocation vested at `timestamp` (WAD), before the tail cutoff.
    function vestedFractionWad(uint64 timestamp) public view returns (uint256) {
        uint64 t = _lastUnlock(timestamp);
        if (t < start()) return 0;
        if (t >= end()) return VestingDecayMath.WAD;
        VestingDecayMath.RampPoints memory p = VestingDecayMath.RampPoints(_f1, _f2, _g1, _g2, _g3);
        return VestingDecayMath.rampedExpFuncWad(t - start(), halfLife, ramp(), p);
    }

    function _vestingSchedule(uint256 totalAllocation, uint64 timestamp) internal view override returns (uint256) {
        return Math.mulDiv(totalAllocation, vestedFractionWad(timestamp), VestingDecayMath.WAD);
    }
}
