// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// TokenSPICE's RampedExpFunc (agents/MinterAgents.py) in 18-decimal fixed point: the fraction of
/// a mint budget released by time t. The base curve is Bitcoin's F(t) = 1 - 0.5^(t/H); the ramp
/// releases it at multipliers M1 <= M2 <= M3 between T0 <= T1 <= T2 <= T3, then everything left
/// follows the half-life curve from T3 on:
///
///   g(t) = 0                              t < T0
///          M1 F(t-T0)                     T0 <= t < T1        G1 = g(T1)
///          G1 + M2 (F(t-T0) - F(T1-T0))   T1 <= t < T2        G2 = g(T2)
///          G2 + M3 (F(t-T0) - F(T2-T0))   T2 <= t < T3        G3 = g(T3)
///          G3 + (1 - G3) F(t-T3)          T3 <= t
///          1                              t > 34 H  (TokenSPICE mints the rest after Bitcoin's 34 half-lives)
///
/// These are the equations of RampedExpFunc's docstring, with G1..G3 the curve's values at the
/// breakpoints. (Its code evaluates G1..G3 at t instead, which makes the ramp's slopes M1, M1+M2,
/// M1+M2+M3; sims/wsloop/README.md explains the choice.) Times are seconds, fractions 1e18 = all.
/// sims/wsloop/schedule.ts holds the same arithmetic in TypeScript (exact) and in floating point.
library WsRampedExp {
    error BadSchedule();

    uint256 internal constant ONE = 1e18;
    /// ln 2 scaled by 1e18, rounded down.
    uint256 internal constant LN2 = 693147180559945309;
    /// TokenSPICE's BITCOIN_NUM_HALF_LIVES.
    uint256 internal constant MAX_HALF_LIVES = 34;

    struct Schedule {
        uint256 halfLife;
        uint256 t0;
        uint256 t1;
        uint256 t2;
        uint256 t3;
        uint256 m1;
        uint256 m2;
        uint256 m3;
    }

    /// A schedule with its breakpoint values worked out once: F at T1-T0, T2-T0, T3-T0 and g at T1, T2, T3.
    struct Curve {
        Schedule s;
        uint256 f1;
        uint256 f2;
        uint256 f3;
        uint256 g1;
        uint256 g2;
        uint256 g3;
    }

    function curve(Schedule memory s) internal pure returns (Curve memory c) {
        if (s.halfLife == 0 || s.t0 > s.t1 || s.t1 > s.t2 || s.t2 > s.t3 || s.m1 > s.m2 || s.m2 > s.m3 || s.m3 > ONE) {
            revert BadSchedule();
        }
        c.s = s;
        c.f1 = base(s.t1 - s.t0, s.halfLife);
        c.f2 = base(s.t2 - s.t0, s.halfLife);
        c.f3 = base(s.t3 - s.t0, s.halfLife);
        c.g1 = (s.m1 * c.f1) / ONE;
        c.g2 = c.g1 + (s.m2 * (c.f2 - c.f1)) / ONE;
        c.g3 = c.g2 + (s.m3 * (c.f3 - c.f2)) / ONE;
    }

    /// g(t): the fraction released by `t` seconds after the start.
    function fraction(Curve memory c, uint256 t) internal pure returns (uint256) {
        Schedule memory s = c.s;
        if (t < s.t0) return 0;
        if (t > MAX_HALF_LIVES * s.halfLife) return ONE;
        if (t >= s.t3) return c.g3 + ((ONE - c.g3) * base(t - s.t3, s.halfLife)) / ONE;
        uint256 f = base(t - s.t0, s.halfLife);
        if (t < s.t1) return (s.m1 * f) / ONE;
        if (t < s.t2) return c.g1 + (s.m2 * above(f, c.f1)) / ONE;
        return c.g2 + (s.m3 * above(f, c.f2)) / ONE;
    }

    /// TokenSPICE's F(H, x) = 1 - 0.5^(x/H).
    function base(uint256 x, uint256 halfLife) internal pure returns (uint256) {
        return ONE - halfPow(x, halfLife);
    }

    /// 0.5^(x/h): whole halvings as a shift, the fractional part as e^(-frac ln 2).
    function halfPow(uint256 x, uint256 h) internal pure returns (uint256) {
        uint256 halvings = x / h;
        if (halvings >= 60) return 0; // 1e18 >> 60 is 0
        uint256 frac = ((x % h) * ONE) / h;
        return ((ONE * ONE) / expBelowOne((frac * LN2) / ONE)) >> halvings;
    }

    /// e^y for 0 <= y < 1e18 (y < 1): the Taylor series, each term rounded down, until a term is 0.
    function expBelowOne(uint256 y) internal pure returns (uint256 sum) {
        uint256 term = ONE;
        sum = ONE;
        for (uint256 n = 1; term > 0; n++) {
            term = (term * y) / (ONE * n);
            sum += term;
        }
    }

    /// a - b, or 0 when fixed-point rounding makes a (a later point of the curve) a wei below b.
    function above(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a - b : 0;
    }
}
