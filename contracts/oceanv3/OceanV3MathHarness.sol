// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OceanV3FixedPoint as FP} from "./OceanV3FixedPoint.sol";
import {OceanV3WeightedMath as WeightedMath} from "./OceanV3WeightedMath.sol";

/// Exposes the pool's internal math libraries as calls, so tests can compare them with the
/// TypeScript reference over many inputs without building a pool for each.
contract OceanV3MathHarness {
    function pow(uint256 base, uint256 exp) external pure returns (uint256) {
        return FP.pow(base, exp);
    }

    function spotPrice(uint256 balanceIn, uint256 weightIn, uint256 balanceOut, uint256 weightOut, uint256 swapFee) external pure returns (uint256) {
        return WeightedMath.spotPrice(balanceIn, weightIn, balanceOut, weightOut, swapFee);
    }

    function outGivenIn(uint256 balanceIn, uint256 weightIn, uint256 balanceOut, uint256 weightOut, uint256 amountIn, uint256 swapFee)
        external
        pure
        returns (uint256)
    {
        return WeightedMath.outGivenIn(balanceIn, weightIn, balanceOut, weightOut, amountIn, swapFee);
    }

    function inGivenOut(uint256 balanceIn, uint256 weightIn, uint256 balanceOut, uint256 weightOut, uint256 amountOut, uint256 swapFee)
        external
        pure
        returns (uint256)
    {
        return WeightedMath.inGivenOut(balanceIn, weightIn, balanceOut, weightOut, amountOut, swapFee);
    }

    function poolOutGivenSingleIn(uint256 balanceIn, uint256 weightIn, uint256 poolSupply, uint256 totalWeight, uint256 amountIn, uint256 swapFee)
        external
        pure
        returns (uint256)
    {
        return WeightedMath.poolOutGivenSingleIn(balanceIn, weightIn, poolSupply, totalWeight, amountIn, swapFee);
    }

    function singleOutGivenPoolIn(uint256 balanceOut, uint256 weightOut, uint256 poolSupply, uint256 totalWeight, uint256 poolAmountIn, uint256 swapFee)
        external
        pure
        returns (uint256)
    {
        return WeightedMath.singleOutGivenPoolIn(balanceOut, weightOut, poolSupply, totalWeight, poolAmountIn, swapFee);
    }
}
