// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// A Uniswap-V2-like constant-product pool (x * y = k) with a swap fee in basis points, written for
/// the `amm` simulation. The pool's own ERC20 is the LP share. Unlike Uniswap V2 it pulls tokens with
/// `transferFrom` (no router, no flash swaps) and has no protocol fee; the fee stays in the reserves,
/// so it accrues to LPs.
///
/// It also keeps what a simulation wants to watch: cumulative fees, and a count of swaps that left
/// k lower than before (the constant-product guarantee: it must stay 0).
contract AmmPool is ERC20 {
    using SafeERC20 for IERC20;

    error UnknownToken(address token);
    error ZeroAmount();
    error InsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    error InsufficientLiquidityMinted();
    error InsufficientLiquidityBurned();
    error FeeTooHigh(uint256 feeBps);

    uint256 public constant BPS = 10_000;
    /// Shares locked forever at the first deposit, as in Uniswap V2: the pool can never be emptied,
    /// so its price stays defined and the first LP cannot inflate the share price to grief others.
    uint256 public constant MINIMUM_LIQUIDITY = 1_000;
    address public constant LOCKED_SHARES_HOLDER = address(0xdEaD);

    IERC20 public immutable token0;
    IERC20 public immutable token1;
    uint256 public immutable feeBps;

    uint256 public reserve0;
    uint256 public reserve1;
    uint256 public fees0;
    uint256 public fees1;
    /// Every fee valued in token1 at the pool's price just before the swap that paid it.
    uint256 public feesInToken1;
    uint256 public swaps;
    uint256 public kDecreases;

    event Swap(address indexed trader, address indexed tokenIn, uint256 amountIn, uint256 amountOut, uint256 fee);
    event LiquidityAdded(address indexed provider, uint256 amount0, uint256 amount1, uint256 shares);
    event LiquidityRemoved(address indexed provider, uint256 amount0, uint256 amount1, uint256 shares);

    constructor(IERC20 token0_, IERC20 token1_, uint256 feeBps_) ERC20("AMM LP share", "AMM-LP") {
        if (feeBps_ >= BPS) revert FeeTooHigh(feeBps_);
        token0 = token0_;
        token1 = token1_;
        feeBps = feeBps_;
    }

    /// Output of selling `amountIn` into reserves (reserveIn, reserveOut), fee taken from the input:
    /// out = amountIn·(1−f)·reserveOut / (reserveIn + amountIn·(1−f)), rounded down, as Uniswap V2.
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) public view returns (uint256) {
        uint256 amountInAfterFee = amountIn * (BPS - feeBps);
        return (amountInAfterFee * reserveOut) / (reserveIn * BPS + amountInAfterFee);
    }

    function quote(address tokenIn, uint256 amountIn) external view returns (uint256) {
        (uint256 reserveIn, uint256 reserveOut) = _reservesFor(tokenIn);
        return getAmountOut(amountIn, reserveIn, reserveOut);
    }

    function swap(address tokenIn, uint256 amountIn, uint256 minAmountOut) external returns (uint256 amountOut) {
        if (amountIn == 0) revert ZeroAmount();
        bool zeroForOne = tokenIn == address(token0);
        (uint256 reserveIn, uint256 reserveOut) = _reservesFor(tokenIn);
        amountOut = getAmountOut(amountIn, reserveIn, reserveOut);
        if (amountOut == 0 || amountOut < minAmountOut) revert InsufficientOutput(amountOut, minAmountOut);

        uint256 fee = (amountIn * feeBps) / BPS;
        uint256 kBefore = reserve0 * reserve1;
        if (zeroForOne) {
            fees0 += fee;
            feesInToken1 += (fee * reserve1) / reserve0;
            reserve0 += amountIn;
            reserve1 -= amountOut;
        } else {
            fees1 += fee;
            feesInToken1 += fee;
            reserve1 += amountIn;
            reserve0 -= amountOut;
        }
        if (reserve0 * reserve1 < kBefore) kDecreases += 1;
        swaps += 1;

        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        (zeroForOne ? token1 : token0).safeTransfer(msg.sender, amountOut);
        emit Swap(msg.sender, tokenIn, amountIn, amountOut, fee);
    }

    /// Deposits at the pool's current ratio, at most the amounts given (the rest stays with the
    /// caller). The first deposit sets the price and mints sqrt(amount0·amount1) shares, less the locked ones.
    function addLiquidity(uint256 amount0Max, uint256 amount1Max) external returns (uint256 amount0, uint256 amount1, uint256 shares) {
        uint256 supply = totalSupply();
        if (supply == 0) {
            (amount0, amount1) = (amount0Max, amount1Max);
            uint256 root = Math.sqrt(amount0 * amount1);
            if (root <= MINIMUM_LIQUIDITY) revert InsufficientLiquidityMinted();
            shares = root - MINIMUM_LIQUIDITY;
            _mint(LOCKED_SHARES_HOLDER, MINIMUM_LIQUIDITY);
        } else {
            uint256 amount1AtRatio = (amount0Max * reserve1) / reserve0;
            if (amount1AtRatio <= amount1Max) {
                (amount0, amount1) = (amount0Max, amount1AtRatio);
            } else {
                (amount0, amount1) = ((amount1Max * reserve0) / reserve1, amount1Max);
            }
            // Rounded down on both sides, so a deposit never dilutes the shares already out.
            shares = Math.min((amount0 * supply) / reserve0, (amount1 * supply) / reserve1);
        }
        if (shares == 0) revert InsufficientLiquidityMinted();
        reserve0 += amount0;
        reserve1 += amount1;
        token0.safeTransferFrom(msg.sender, address(this), amount0);
        token1.safeTransferFrom(msg.sender, address(this), amount1);
        _mint(msg.sender, shares);
        emit LiquidityAdded(msg.sender, amount0, amount1, shares);
    }

    /// Burns `shares` for their pro-rata part of both reserves, rounded down (in the pool's favour).
    function removeLiquidity(uint256 shares) external returns (uint256 amount0, uint256 amount1) {
        uint256 supply = totalSupply();
        amount0 = (shares * reserve0) / supply;
        amount1 = (shares * reserve1) / supply;
        if (amount0 == 0 && amount1 == 0) revert InsufficientLiquidityBurned();
        _burn(msg.sender, shares);
        reserve0 -= amount0;
        reserve1 -= amount1;
        token0.safeTransfer(msg.sender, amount0);
        token1.safeTransfer(msg.sender, amount1);
        emit LiquidityRemoved(msg.sender, amount0, amount1, shares);
    }

    /// Everything a simulation samples each tick, in one call.
    function poolState()
        external
        view
        returns (uint256 r0, uint256 r1, uint256 shares, uint256 feesToken1, uint256 swapCount, uint256 kDecreaseCount)
    {
        return (reserve0, reserve1, totalSupply(), feesInToken1, swaps, kDecreases);
    }

    /// What an LP needs to decide: its two token balances and its shares, in one call.
    function holdingsOf(address account) external view returns (uint256 balance0, uint256 balance1, uint256 shares) {
        return (token0.balanceOf(account), token1.balanceOf(account), balanceOf(account));
    }

    function _reservesFor(address tokenIn) private view returns (uint256 reserveIn, uint256 reserveOut) {
        if (tokenIn == address(token0)) return (reserve0, reserve1);
        if (tokenIn == address(token1)) return (reserve1, reserve0);
        revert UnknownToken(tokenIn);
    }
}
