// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// 18-decimal fixed-point arithmetic for the weighted pool, written from the Balancer V1 whitepaper's
/// needs: products and quotients rounded to nearest, and a real power `base^exp` for a base in (0, 2)
/// (every weighted-pool formula raises a balance ratio near 1 to a weight ratio).
library OceanV3FixedPoint {
    uint256 internal constant ONE = 1e18;
    /// A power's base must lie in (0, 2): there the binomial series of the fractional part converges.
    uint256 internal constant MIN_POW_BASE = 1;
    uint256 internal constant MAX_POW_BASE = 2 * ONE - 1;
    /// The series stops once a term is below 1e-10: the pool's formulas need no more.
    uint256 internal constant POW_PRECISION = ONE / 1e10;
    /// Bounds the gas of a pathological base (near 0, where the series converges slowly).
    uint256 internal constant MAX_SERIES_TERMS = 1000;

    error PowBaseOutOfRange(uint256 base);
    error PowDidNotConverge(uint256 base, uint256 exp);

    function mul(uint256 a, uint256 b) internal pure returns (uint256) {
        return (a * b + ONE / 2) / ONE;
    }

    function div(uint256 a, uint256 b) internal pure returns (uint256) {
        return (a * ONE + b / 2) / b;
    }

    /// `base^exp`, both 18-decimal: the integer part of `exp` by repeated squaring, the fractional
    /// part by a series, their product.
    function pow(uint256 base, uint256 exp) internal pure returns (uint256) {
        if (base < MIN_POW_BASE || base > MAX_POW_BASE) revert PowBaseOutOfRange(base);
        uint256 wholePart = powWhole(base, exp / ONE);
        uint256 fraction = exp % ONE;
        if (fraction == 0) return wholePart;
        return mul(wholePart, powFraction(base, fraction));
    }

    /// `base^n` for a whole number n.
    function powWhole(uint256 base, uint256 n) internal pure returns (uint256 result) {
        result = ONE;
        while (n > 0) {
            if (n & 1 == 1) result = mul(result, base);
            n >>= 1;
            if (n > 0) base = mul(base, base);
        }
    }

    /// `(1 + x)^a` for 0 < a < 1 and x = base − 1 in (−1, 1), by the binomial series
    /// Σ C(a, k)·x^k, each term the last times (a − k + 1)·x / k. Signed, since x and the
    /// coefficients change sign.
    function powFraction(uint256 base, uint256 a) internal pure returns (uint256) {
        int256 one = int256(ONE);
        int256 x = int256(base) - one;
        int256 exponent = int256(a);
        int256 term = one;
        int256 sum = one;
        for (uint256 k = 1; ; k++) {
            if (k > MAX_SERIES_TERMS) revert PowDidNotConverge(base, a);
            term = (((term * (exponent - int256(k - 1) * one)) / one) * x) / one / int256(k);
            if (term == 0) break;
            sum += term;
            if ((term < 0 ? -term : term) < int256(POW_PRECISION)) break;
        }
        return uint256(sum);
    }
}
