// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Fixed-point (1e18 = 1) versions of TokenSPICE's minting curves (agents/MinterAgents.py):
/// `ExpFunc`, F(t) = 1 - 0.5^(t/H), and `RampedExpFunc`, four pieces of F with multipliers that ratchet
/// up. Integer-only and deterministic, so sims/vesting/schedule.ts reproduces every result to the wei.
/// Every rounding step rounds the decay factor up (the vested fraction down), which keeps the curve
/// monotone in time, exact at whole half-lives and never above 1.
library VestingDecayMath {
    uint256 internal constant WAD = 1e18;
    /// floor(ln 2 * 1e18)
    uint256 internal constant LN2_WAD = 693147180559945309;
    /// WAD >> 60 is 0: past this many half-lives nothing remains.
    uint256 internal constant MAX_HALVINGS = 60;

    /// The ramp of `RampedExpFunc`, in seconds after the vesting start (t0 <= t1 <= t2 <= t3) and
    /// multipliers in WAD (each at most WAD). All zero gives `ExpFunc`.
    struct Ramp {
        uint64 t0;
        uint64 t1;
        uint64 t2;
        uint64 t3;
        uint256 m1;
        uint256 m2;
        uint256 m3;
    }

    /// e^y for 0 <= y < 1 (WAD): the Taylor series up to its last nonzero term. Every term is
    /// rounded down, so the result never exceeds the true value and is nondecreasing in y.
    function expWad(uint256 y) internal pure returns (uint256 sum) {
        uint256 term = WAD;
        sum = WAD;
        for (uint256 k = 1; term != 0; ++k) {
            term = (term * y) / (k * WAD);
            sum += term;
        }
    }

    /// 0.5^(elapsed / halfLife) in WAD: whole halvings as a shift (exact), the fraction of the
    /// current half-life as e^-(fraction * ln 2).
    function decayFactorWad(uint256 elapsed, uint256 halfLife) internal pure returns (uint256) {
        uint256 halvings = elapsed / halfLife;
        if (halvings >= MAX_HALVINGS) return 0;
        uint256 y = ((elapsed % halfLife) * LN2_WAD) / halfLife;
        return ((WAD * WAD) / expWad(y)) >> halvings;
    }

    /// TokenSPICE's ExpFunc: F(elapsed) = 1 - 0.5^(elapsed / halfLife), in WAD.
    function expFuncWad(uint256 elapsed, uint256 halfLife) internal pure returns (uint256) {
        return WAD - decayFactorWad(elapsed, halfLife);
    }

    /// The ramp's breakpoints, computed once per wallet: F at t1 - t0 and t2 - t0, and the
    /// cumulative fractions G1, G2, G3 vested by t1, t2, t3 (the docstring's Gi = gi(Ti)).
    struct RampPoints {
        uint256 f1;
        uint256 f2;
        uint256 g1;
        uint256 g2;
        uint256 g3;
    }

    function rampPoints(Ramp memory r, uint256 halfLife) internal pure returns (RampPoints memory p) {
        p.f1 = expFuncWad(r.t1 - r.t0, halfLife);
        p.f2 = expFuncWad(r.t2 - r.t0, halfLife);
        uint256 f3 = expFuncWad(r.t3 - r.t0, halfLife);
        p.g1 = (r.m1 * p.f1) / WAD;
        p.g2 = p.g1 + (r.m2 * (p.f2 - p.f1)) / WAD;
        p.g3 = p.g2 + (r.m3 * (f3 - p.f2)) / WAD;
    }

    /// TokenSPICE's RampedExpFunc g(t), in WAD, with t in seconds after the vesting start:
    ///   0                                  t < T0
    ///   M1 F(t-T0)                         T0 <= t < T1
    ///   G1 + M2 (F(t-T0) - F(T1-T0))       T1 <= t < T2
    ///   G2 + M3 (F(t-T0) - F(T2-T0))       T2 <= t < T3
    ///   G3 + (1 - G3) F(t-T3)              t >= T3
    function rampedExpFuncWad(uint256 t, uint256 halfLife, Ramp memory r, RampPoints memory p) internal pure returns (uint256) {
        if (t < r.t0) return 0;
        if (t >= r.t3) return p.g3 + ((WAD - p.g3) * expFuncWad(t - r.t3, halfLife)) / WAD;
        uint256 f = expFuncWad(t - r.t0, halfLife);
        if (t < r.t1) return (r.m1 * f) / WAD;
        if (t < r.t2) return p.g1 + (r.m2 * (f - p.f1)) / WAD;
        return p.g2 + (r.m3 * (f - p.f2)) / WAD;
    }
}
