// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OceanV3FixedPoint as FP} from "./OceanV3FixedPoint.sol";

/// The weighted constant-value market maker of the Balancer V1 whitepaper (Martinelli & Mushegian,
/// 2019), for the operations an Ocean V3 pool offers. The invariant is V = Π B_t^{W_t}; all amounts
/// and weights are 18-decimal. A swap fee is charged on what goes in; a single-asset join or exit
/// pays it only on the part that amounts to a swap, the (1 − normalized weight) share.
library OceanV3WeightedMath {
    using FP for uint256;

    /// Price of one unit of tokenOut in tokenIn: (B_in/W_in) / (B_out/W_out), grossed up by the fee.
    function spotPrice(uint256 balanceIn, uint256 weightIn, uint256 balanceOut, uint256 weightOut, uint256 swapFee)
        internal
        pure
        returns (uint256)
    {
        uint256 ratio = balanceIn.div(weightIn).div(balanceOut.div(weightOut));
        return ratio.div(FP.ONE - swapFee);
    }

    /// A_out = B_out · (1 − (B_in / (B_in + A_in·(1 − fee)))^(W_in/W_out))
    function outGivenIn(
        uint256 balanceIn,
        uint256 weightIn,
        uint256 balanceOut,
        uint256 weightOut,
        uint256 amountIn,
        uint256 swapFee
    ) internal pure returns (uint256) {
        uint256 amountInAfterFee = amountIn.mul(FP.ONE - swapFee);
        uint256 base = balanceIn.div(balanceIn + amountInAfterFee);
        uint256 remaining = base.pow(weightIn.div(weightOut));
        return balanceOut.mul(FP.ONE - remaining);
    }

    /// A_in = B_in · ((B_out / (B_out − A_out))^(W_out/W_in) − 1) / (1 − fee)
    function inGivenOut(
        uint256 balanceIn,
        uint256 weightIn,
        uint256 balanceOut,
        uint256 weightOut,
        uint256 amountOut,
        uint256 swapFee
    ) internal pure returns (uint256) {
        uint256 base = balanceOut.div(balanceOut - amountOut);
        uint256 growth = base.pow(weightOut.div(weightIn));
        return balanceIn.mul(growth - FP.ONE).div(FP.ONE - swapFee);
    }

    /// Shares for a single-asset deposit:
    /// P_out = P_supply · ((1 + A_in·(1 − (1 − w_in)·fee) / B_in)^w_in − 1), w_in = W_in / W_total.
    function poolOutGivenSingleIn(
        uint256 balanceIn,
        uint256 weightIn,
        uint256 poolSupply,
        uint256 totalWeight,
        uint256 amountIn,
        uint256 swapFee
    ) internal pure returns (uint256) {
        uint256 normalizedWeight = weightIn.div(totalWeight);
        uint256 amountInAfterFee = amountIn.mul(FP.ONE - (FP.ONE - normalizedWeight).mul(swapFee));
        uint256 base = (balanceIn + amountInAfterFee).div(balanceIn);
        uint256 supplyRatio = base.pow(normalizedWeight);
        // The series may land a hair under 1 for a dust deposit: that buys no shares.
        if (supplyRatio <= FP.ONE) return 0;
        return poolSupply.mul(supplyRatio) - poolSupply;
    }

    /// Tokens for redeeming shares into one asset:
    /// A_out = B_out · (1 − (1 − P_in/P_supply)^(1/w_out)) · (1 − (1 − w_out)·fee), w_out = W_out / W_total.
    function singleOutGivenPoolIn(
        uint256 balanceOut,
        uint256 weightOut,
        uint256 poolSupply,
        uint256 totalWeight,
        uint256 poolAmountIn,
        uint256 swapFee
    ) internal pure returns (uint256) {
        uint256 normalizedWeight = weightOut.div(totalWeight);
        uint256 supplyRatio = (poolSupply - poolAmountIn).div(poolSupply);
        uint256 remaining = supplyRatio.pow(totalWeight.div(weightOut));
        uint256 amountOutBeforeFee = balanceOut.mul(FP.ONE - remaining);
        return amountOutBeforeFee.mul(FP.ONE - (FP.ONE - normalizedWeight).mul(swapFee));
    }
}
