// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title RampedExp: TokenSPICE's token release schedules in 18-decimal fixed point
/// @notice `ExpFunc` (Bitcoin's half-life curve) and `RampedExpFunc` (the same curve released at
/// multipliers that ratchet up, so a schedule starts slow), from TokenSPICE
/// (github.com/tokenspice/tokenspice @ 3bd4622a788c5b3d12f380970e8effd42007aef6, agents/MinterAgents.py),
/// whose docstring defines, with f(t) = F(H, t) = 1 - 0.5^(t/H):
///
///     g(t) = 0                                  t < T0
///            M1 f(t-T0)                         T0 <= t < T1       G1 = g(T1)
///            G1 + M2 (f(t-T0) - f(T1-T0))       T1 <= t < T2       G2 = g(T2)
///            G2 + M3 (f(t-T0) - f(T2-T0))       T2 <= t < T3       G3 = g(T3)
///            G3 + (1 - G3) f(t-T3)              T3 <= t < end
///            1                                  t >= end = T3 + 34 H
///
/// (TokenSPICE's code evaluates G1..G3 at t instead, which can exceed 1; this follows the docstring.
/// The end is 34 half-lives, TokenSPICE's BITCOIN_NUM_HALF_LIVES, after the ramp.)
///
/// Units: times (H, T0..T3 and t) in seconds, t counted from the schedule's start; multipliers and
/// every result are fractions with 1e18 = 1 (WAD): multiply an amount by `fraction(c, t)` and divide
/// by 1e18. ExpFunc(H) is `exponential(H)`, a ramp of zero length.
///
/// Precision: 0.5^(t/H) is computed at 36 decimals (ln 2 as floor(ln 2 * 1e36), whole half-lives as a
/// shift) and rounded once, up, to 18: F is the exact value rounded down (less than 1 wei below).
/// g is within (exact - 8, exact + 2] wei before its end, nondecreasing in t (no clamping needed:
/// each piece meets the next exactly at Ti), and never above 1e18 for any multipliers in [0, 1e18].
/// src/schedules/ramped-exp.ts (exported as `RampedExp` by hardhat-tokenspice) is the TypeScript
/// reference: the same integer operations, equal to the wei.
///
/// Use: build the curve once (it checks the schedule and works out G1..G3), store it, and evaluate it:
///
///     RampedExp.Curve memory c = RampedExp.curve(RampedExp.Schedule(halfLife, t0, t1, t2, t3, m1, m2, m3));
///     uint256 released = Math.mulDiv(total, RampedExp.fraction(c, block.timestamp - start), RampedExp.WAD);
library RampedExp {
    uint256 internal constant WAD = 1e18;
    /// 1 in the 36-decimal precision 0.5^x is worked out at.
    uint256 internal constant HP = 1e36;
    /// floor(ln 2 * 1e36); ln 2 = 0.693147180559945309417232121458176568075...
    uint256 internal constant LN2_HP = 693147180559945309417232121458176568;
    /// TokenSPICE's BITCOIN_NUM_HALF_LIVES: the curve ends this many half-lives after T3 (g = 1 from then).
    uint256 internal constant TAIL_HALF_LIVES = 34;
    /// From this many whole half-lives on, 0.5^(t/H) is below 1 wei (it rounds up to 1).
    uint256 private constant MAX_HALVINGS = 60;

    error ZeroHalfLife();
    error RampOutOfOrder(uint256 t0, uint256 t1, uint256 t2, uint256 t3);
    error MultiplierAboveOne(uint256 multiplier);

    /// A ramped exponential schedule: TokenSPICE's RampedExpFunc(H, T0, T1, T2, T3, M1, M2, M3).
    struct Schedule {
        uint64 halfLife; // H > 0, seconds
        uint64 t0; // nothing before T0 (seconds after the start)
        uint64 t1; // M1 from T0 to T1
        uint64 t2; // M2 from T1 to T2
        uint64 t3; // M3 from T2 to T3; then the rest follows F
        uint256 m1; // WAD, at most 1e18
        uint256 m2;
        uint256 m3;
    }

    /// A checked schedule with its breakpoints worked out: build it with `curve`.
    struct Curve {
        Schedule s;
        uint256 f1; // F(T1 - T0), WAD
        uint256 f2; // F(T2 - T0)
        uint256 g1; // G1 = g(T1), WAD
        uint256 g2; // G2 = g(T2)
        uint256 g3; // G3 = g(T3)
        uint256 end; // T3 + 34 H: g is exactly 1 from here on
    }

    /// TokenSPICE's ExpFunc(H): F(t) = 1 - 0.5^(t/H) until 34 H.
    function exponential(uint64 halfLife) internal pure returns (Schedule memory) {
        return Schedule(halfLife, 0, 0, 0, 0, 0, 0, 0);
    }

    /// Checks a schedule (H > 0, T0 <= T1 <= T2 <= T3, multipliers at most 1e18) and works out
    /// F and g at its breakpoints.
    function curve(Schedule memory s) internal pure returns (Curve memory c) {
        if (s.halfLife == 0) revert ZeroHalfLife();
        if (!(s.t0 <= s.t1 && s.t1 <= s.t2 && s.t2 <= s.t3)) revert RampOutOfOrder(s.t0, s.t1, s.t2, s.t3);
        if (s.m1 > WAD) revert MultiplierAboveOne(s.m1);
        if (s.m2 > WAD) revert MultiplierAboveOne(s.m2);
        if (s.m3 > WAD) revert MultiplierAboveOne(s.m3);
        c.s = s;
        c.f1 = expFuncWad(s.t1 - s.t0, s.halfLife);
        c.f2 = expFuncWad(s.t2 - s.t0, s.halfLife);
        uint256 f3 = expFuncWad(s.t3 - s.t0, s.halfLife);
        c.g1 = (s.m1 * c.f1) / WAD;
        c.g2 = c.g1 + (s.m2 * (c.f2 - c.f1)) / WAD;
        c.g3 = c.g2 + (s.m3 * (f3 - c.f2)) / WAD;
        c.end = uint256(s.t3) + TAIL_HALF_LIVES * s.halfLife;
    }

    /// g(t): the fraction released by `t` seconds after the start, WAD, in [0, 1e18], nondecreasing.
    function fraction(Curve memory c, uint256 t) internal pure returns (uint256) {
        if (t >= c.end) return WAD;
        Schedule memory s = c.s;
        if (t < s.t0) return 0;
        if (t >= s.t3) return c.g3 + ((WAD - c.g3) * expFuncWad(t - s.t3, s.halfLife)) / WAD;
        uint256 f = expFuncWad(t - s.t0, s.halfLife);
        if (t < s.t1) return (s.m1 * f) / WAD;
        if (t < s.t2) return c.g1 + (s.m2 * (f - c.f1)) / WAD;
        return c.g2 + (s.m3 * (f - c.f2)) / WAD;
    }

    /// TokenSPICE's ExpFunc: F(elapsed) = 1 - 0.5^(elapsed / halfLife), WAD, rounded down; below 1e18.
    function expFuncWad(uint256 elapsed, uint64 halfLife) internal pure returns (uint256) {
        return WAD - halfPowWad(elapsed, halfLife);
    }

    /// 0.5^(elapsed / halfLife), WAD, rounded up: ceil(1e54 / (e^y * 2^n)) with n whole half-lives and
    /// y = (elapsed mod halfLife) * ln 2 / halfLife at 1e36. Nonincreasing in `elapsed`, never 0.
    function halfPowWad(uint256 elapsed, uint64 halfLife) internal pure returns (uint256) {
        if (halfLife == 0) revert ZeroHalfLife();
        uint256 halvings = elapsed / halfLife;
        if (halvings >= MAX_HALVINGS) return 1;
        uint256 divisor = _expHp(((elapsed % halfLife) * LN2_HP) / halfLife) << halvings;
        return (WAD * HP + divisor - 1) / divisor;
    }

    /// e^y for 0 <= y < ln 2 at 1e36: the Taylor series to its last nonzero term, each term rounded down.
    function _expHp(uint256 y) private pure returns (uint256 sum) {
        uint256 term = HP;
        sum = HP;
        // Cannot overflow: term <= 1e36 and y < 1e36, so term * y < 1e72; k stays below 40; sum < 2e36.
        unchecked {
            for (uint256 k = 1; term != 0; ++k) {
                term = (term * y) / (k * HP);
                sum += term;
            }
        }
    }
}
