// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {RampedExp} from "../schedules/RampedExp.sol";

/// Exposes the RampedExp library to the tests (test/schedules/ramped-exp.test.ts), many points per
/// call. Not part of the package.
contract RampedExpHarness {
    function curve(RampedExp.Schedule memory s) external pure returns (RampedExp.Curve memory) {
        return RampedExp.curve(s);
    }

    function exponential(uint64 halfLife) external pure returns (RampedExp.Schedule memory) {
        return RampedExp.exponential(halfLife);
    }

    /// g at every time in `ts`, the curve built once.
    function fractions(RampedExp.Schedule memory s, uint256[] memory ts) external pure returns (uint256[] memory out) {
        RampedExp.Curve memory c = RampedExp.curve(s);
        out = new uint256[](ts.length);
        for (uint256 i = 0; i < ts.length; ++i) out[i] = RampedExp.fraction(c, ts[i]);
    }

    function expFuncs(uint256[] memory elapsed, uint64 halfLife) external pure returns (uint256[] memory out) {
        out = new uint256[](elapsed.length);
        for (uint256 i = 0; i < elapsed.length; ++i) out[i] = RampedExp.expFuncWad(elapsed[i], halfLife);
    }

    function halfPows(uint256[] memory elapsed, uint64 halfLife) external pure returns (uint256[] memory out) {
        out = new uint256[](elapsed.length);
        for (uint256 i = 0; i < elapsed.length; ++i) out[i] = RampedExp.halfPowWad(elapsed[i], halfLife);
    }

    /// The gas of one `fraction` on a curve in memory (the call and the library's work only).
    function fractionGas(RampedExp.Schedule memory s, uint256 t) external view returns (uint256 value, uint256 gasUsed) {
        RampedExp.Curve memory c = RampedExp.curve(s);
        uint256 before = gasleft();
        value = RampedExp.fraction(c, t);
        gasUsed = before - gasleft();
    }
}
