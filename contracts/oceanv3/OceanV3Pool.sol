// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {OceanV3FixedPoint as FP} from "./OceanV3FixedPoint.sol";
import {OceanV3WeightedMath as WeightedMath} from "./OceanV3WeightedMath.sol";

/// An Ocean V3 datatoken/OCEAN pool: a Balancer-V1-style weighted pool of exactly two tokens, bound
/// once by its factory at creation and never rebound. The pool is its own share token. Swaps in
/// either direction; staking is a single-asset join, unstaking a single-asset or a proportional
/// exit. Swap fees stay in the pool, so they accrue to whoever holds shares.
///
/// Balances are kept in storage, not read from the tokens, so tokens sent to the pool by mistake
/// do not move its prices.
contract OceanV3Pool is ERC20 {
    using FP for uint256;
    using SafeERC20 for IERC20;

    /// Shares minted to the publisher for the initial liquidity (as Balancer V1).
    uint256 public constant INIT_POOL_SUPPLY = 100e18;
    /// One trade may add at most half of a balance and take at most a third of one (as Balancer V1).
    uint256 public constant MAX_IN_RATIO = FP.ONE / 2;
    uint256 public constant MAX_OUT_RATIO = FP.ONE / 3 + 1;
    uint256 public constant MIN_WEIGHT = FP.ONE;
    uint256 public constant MAX_TOTAL_WEIGHT = 50 * FP.ONE;
    uint256 public constant MAX_FEE = FP.ONE / 10;
    uint256 public constant MIN_BALANCE = FP.ONE / 1e12;

    error NotFactory(address caller);
    error AlreadyInitialized();
    error BadWeights(uint256 datatokenWeight, uint256 oceanWeight);
    error FeeTooHigh(uint256 swapFee);
    error BalanceTooSmall(uint256 balance);
    error NotBound(address token);
    error EmptyPool();
    error ZeroAmount();
    error MaxInRatio(uint256 amountIn, uint256 limit);
    error MaxOutRatio(uint256 amountOut, uint256 limit);
    error LimitIn(uint256 amountIn, uint256 maxAmountIn);
    error LimitOut(uint256 amountOut, uint256 minAmountOut);
    error LimitPrice(uint256 spotPrice, uint256 maxPrice);
    error MathApprox();

    event Swap(address indexed caller, address indexed tokenIn, address indexed tokenOut, uint256 amountIn, uint256 amountOut);
    event Join(address indexed caller, address indexed tokenIn, uint256 amountIn, uint256 poolAmountOut);
    event Exit(address indexed caller, address indexed tokenOut, uint256 amountOut, uint256 poolAmountIn);

    IERC20 public immutable datatoken;
    IERC20 public immutable ocean;
    uint256 public immutable datatokenWeight;
    uint256 public immutable oceanWeight;
    uint256 public immutable swapFee;
    /// The publisher: receives the initial shares, and the datatokens consumers spend.
    address public immutable controller;
    address public immutable factory;

    uint256 public datatokenBalance;
    uint256 public oceanBalance;

    constructor(
        IERC20 datatoken_,
        IERC20 ocean_,
        uint256 datatokenWeight_,
        uint256 oceanWeight_,
        uint256 swapFee_,
        address controller_
    ) ERC20("Ocean V3 pool share", "OPS") {
        if (datatokenWeight_ < MIN_WEIGHT || oceanWeight_ < MIN_WEIGHT || datatokenWeight_ + oceanWeight_ > MAX_TOTAL_WEIGHT) {
            revert BadWeights(datatokenWeight_, oceanWeight_);
        }
        if (swapFee_ > MAX_FEE) revert FeeTooHigh(swapFee_);
        datatoken = datatoken_;
        ocean = ocean_;
        datatokenWeight = datatokenWeight_;
        oceanWeight = oceanWeight_;
        swapFee = swapFee_;
        controller = controller_;
        factory = msg.sender;
    }

    /// Called by the factory once it has moved the initial liquidity here: records it and mints the
    /// initial shares to the controller.
    function initialize(uint256 datatokenAmount, uint256 oceanAmount) external {
        if (msg.sender != factory) revert NotFactory(msg.sender);
        if (totalSupply() != 0) revert AlreadyInitialized();
        if (datatokenAmount < MIN_BALANCE) revert BalanceTooSmall(datatokenAmount);
        if (oceanAmount < MIN_BALANCE) revert BalanceTooSmall(oceanAmount);
        datatokenBalance = datatokenAmount;
        oceanBalance = oceanAmount;
        _mint(controller, INIT_POOL_SUPPLY);
    }

    // ---------------------------------------------------------------- views

    function totalWeight() public view returns (uint256) {
        return datatokenWeight + oceanWeight;
    }

    /// Both recorded balances and the share supply, in one call.
    function reserves() external view returns (uint256 datatokens, uint256 oceans, uint256 shares) {
        return (datatokenBalance, oceanBalance, totalSupply());
    }

    /// Shares of each holder, in one call (a simulation reads every holder each tick).
    function sharesOf(address[] calldata holders) external view returns (uint256[] memory shares) {
        shares = new uint256[](holders.length);
        for (uint256 i = 0; i < holders.length; i++) shares[i] = balanceOf(holders[i]);
    }

    function getBalance(address token) external view returns (uint256) {
        return _isDatatoken(token) ? datatokenBalance : oceanBalance;
    }

    /// Price of one tokenOut in tokenIn, including the swap fee (what the next tiny buy pays).
    function getSpotPrice(address tokenIn, address tokenOut) external view returns (uint256) {
        Side memory s = _side(tokenIn, tokenOut);
        return WeightedMath.spotPrice(s.balanceIn, s.weightIn, s.balanceOut, s.weightOut, swapFee);
    }

    /// Price of one tokenOut in tokenIn, without the fee (the pool's mid price).
    function getSpotPriceSansFee(address tokenIn, address tokenOut) external view returns (uint256) {
        Side memory s = _side(tokenIn, tokenOut);
        return WeightedMath.spotPrice(s.balanceIn, s.weightIn, s.balanceOut, s.weightOut, 0);
    }

    // ---------------------------------------------------------------- swaps

    /// Sells exactly `amountIn` of `tokenIn` for the other token.
    function swapExactAmountIn(address tokenIn, uint256 amountIn, uint256 minAmountOut, uint256 maxPrice)
        external
        returns (uint256 amountOut, uint256 spotPriceAfter)
    {
        Side memory s = _side(tokenIn, _other(tokenIn));
        if (amountIn == 0) revert ZeroAmount();
        uint256 inLimit = s.balanceIn.mul(MAX_IN_RATIO);
        if (amountIn > inLimit) revert MaxInRatio(amountIn, inLimit);
        uint256 spotPriceBefore = WeightedMath.spotPrice(s.balanceIn, s.weightIn, s.balanceOut, s.weightOut, swapFee);
        if (spotPriceBefore > maxPrice) revert LimitPrice(spotPriceBefore, maxPrice);

        amountOut = WeightedMath.outGivenIn(s.balanceIn, s.weightIn, s.balanceOut, s.weightOut, amountIn, swapFee);
        if (amountOut == 0) revert ZeroAmount();
        if (amountOut < minAmountOut) revert LimitOut(amountOut, minAmountOut);
        spotPriceAfter = _settleSwap(s, tokenIn, amountIn, amountOut, spotPriceBefore, maxPrice);
    }

    /// Buys exactly `amountOut` of the other token, paying at most `maxAmountIn` of `tokenIn`.
    function swapExactAmountOut(address tokenIn, uint256 maxAmountIn, uint256 amountOut, uint256 maxPrice)
        external
        returns (uint256 amountIn, uint256 spotPriceAfter)
    {
        Side memory s = _side(tokenIn, _other(tokenIn));
        if (amountOut == 0) revert ZeroAmount();
        uint256 outLimit = s.balanceOut.mul(MAX_OUT_RATIO);
        if (amountOut > outLimit) revert MaxOutRatio(amountOut, outLimit);
        uint256 spotPriceBefore = WeightedMath.spotPrice(s.balanceIn, s.weightIn, s.balanceOut, s.weightOut, swapFee);
        if (spotPriceBefore > maxPrice) revert LimitPrice(spotPriceBefore, maxPrice);

        amountIn = WeightedMath.inGivenOut(s.balanceIn, s.weightIn, s.balanceOut, s.weightOut, amountOut, swapFee);
        if (amountIn > maxAmountIn) revert LimitIn(amountIn, maxAmountIn);
        spotPriceAfter = _settleSwap(s, tokenIn, amountIn, amountOut, spotPriceBefore, maxPrice);
    }

    // ---------------------------------------------------------------- staking

    /// Stakes: deposits exactly `amountIn` of one token and receives shares.
    function joinswapExternAmountIn(address tokenIn, uint256 amountIn, uint256 minPoolAmountOut)
        external
        returns (uint256 poolAmountOut)
    {
        Side memory s = _side(tokenIn, _other(tokenIn));
        uint256 inLimit = s.balanceIn.mul(MAX_IN_RATIO);
        if (amountIn > inLimit) revert MaxInRatio(amountIn, inLimit);
        poolAmountOut = WeightedMath.poolOutGivenSingleIn(s.balanceIn, s.weightIn, totalSupply(), totalWeight(), amountIn, swapFee);
        if (poolAmountOut == 0) revert ZeroAmount();
        if (poolAmountOut < minPoolAmountOut) revert LimitOut(poolAmountOut, minPoolAmountOut);

        _setBalance(tokenIn, s.balanceIn + amountIn);
        _mint(msg.sender, poolAmountOut);
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        emit Join(msg.sender, tokenIn, amountIn, poolAmountOut);
    }

    /// Unstakes into one token: burns exactly `poolAmountIn` shares.
    function exitswapPoolAmountIn(address tokenOut, uint256 poolAmountIn, uint256 minAmountOut)
        external
        returns (uint256 amountOut)
    {
        Side memory s = _side(_other(tokenOut), tokenOut);
        if (poolAmountIn == 0) revert ZeroAmount();
        amountOut = WeightedMath.singleOutGivenPoolIn(s.balanceOut, s.weightOut, totalSupply(), totalWeight(), poolAmountIn, swapFee);
        uint256 outLimit = s.balanceOut.mul(MAX_OUT_RATIO);
        if (amountOut > outLimit) revert MaxOutRatio(amountOut, outLimit);
        if (amountOut < minAmountOut) revert LimitOut(amountOut, minAmountOut);

        _setBalance(tokenOut, s.balanceOut - amountOut);
        _burn(msg.sender, poolAmountIn);
        IERC20(tokenOut).safeTransfer(msg.sender, amountOut);
        emit Exit(msg.sender, tokenOut, amountOut, poolAmountIn);
    }

    /// Withdraws liquidity in proportion: burns `poolAmountIn` shares for the same fraction of both
    /// balances, rounded down. Redeeming every share empties the pool for good.
    function exitPool(uint256 poolAmountIn, uint256 minDatatokenOut, uint256 minOceanOut)
        external
        returns (uint256 datatokenOut, uint256 oceanOut)
    {
        uint256 supply = totalSupply();
        if (supply == 0) revert EmptyPool();
        if (poolAmountIn == 0) revert ZeroAmount();
        datatokenOut = (datatokenBalance * poolAmountIn) / supply;
        oceanOut = (oceanBalance * poolAmountIn) / supply;
        if (datatokenOut < minDatatokenOut) revert LimitOut(datatokenOut, minDatatokenOut);
        if (oceanOut < minOceanOut) revert LimitOut(oceanOut, minOceanOut);

        datatokenBalance -= datatokenOut;
        oceanBalance -= oceanOut;
        _burn(msg.sender, poolAmountIn);
        if (datatokenOut > 0) datatoken.safeTransfer(msg.sender, datatokenOut);
        if (oceanOut > 0) ocean.safeTransfer(msg.sender, oceanOut);
        emit Exit(msg.sender, address(datatoken), datatokenOut, poolAmountIn);
        emit Exit(msg.sender, address(ocean), oceanOut, 0);
    }

    // ---------------------------------------------------------------- internals

    struct Side {
        uint256 balanceIn;
        uint256 weightIn;
        uint256 balanceOut;
        uint256 weightOut;
    }

    function _isDatatoken(address token) private view returns (bool) {
        if (token == address(datatoken)) return true;
        if (token == address(ocean)) return false;
        revert NotBound(token);
    }

    function _other(address token) private view returns (address) {
        return _isDatatoken(token) ? address(ocean) : address(datatoken);
    }

    /// The pool seen from a trade: balances and weights of what goes in and what comes out. An
    /// emptied pool (all shares redeemed) takes no more trades.
    function _side(address tokenIn, address tokenOut) private view returns (Side memory s) {
        if (_isDatatoken(tokenIn) == _isDatatoken(tokenOut)) revert NotBound(tokenOut);
        if (totalSupply() == 0) revert EmptyPool();
        bool dtIn = tokenIn == address(datatoken);
        s.balanceIn = dtIn ? datatokenBalance : oceanBalance;
        s.weightIn = dtIn ? datatokenWeight : oceanWeight;
        s.balanceOut = dtIn ? oceanBalance : datatokenBalance;
        s.weightOut = dtIn ? oceanWeight : datatokenWeight;
    }

    function _setBalance(address token, uint256 balance) private {
        if (token == address(datatoken)) datatokenBalance = balance;
        else oceanBalance = balance;
    }

    /// Books a swap after checking that it leaves a balance to price with, and that the price moved
    /// the right way by a sane amount: the average price paid is no better than the spot price
    /// before, which the power function's rounding could otherwise break in the trader's favour.
    function _settleSwap(Side memory s, address tokenIn, uint256 amountIn, uint256 amountOut, uint256 spotPriceBefore, uint256 maxPrice)
        private
        returns (uint256 spotPriceAfter)
    {
        address tokenOut = _other(tokenIn);
        uint256 newBalanceIn = s.balanceIn + amountIn;
        uint256 newBalanceOut = s.balanceOut - amountOut;
        // A balance of (almost) nothing has no price: the pool could not quote the next trade.
        if (newBalanceOut < MIN_BALANCE) revert BalanceTooSmall(newBalanceOut);
        spotPriceAfter = WeightedMath.spotPrice(newBalanceIn, s.weightIn, newBalanceOut, s.weightOut, swapFee);
        if (spotPriceAfter < spotPriceBefore) revert MathApprox();
        if (spotPriceAfter > maxPrice) revert LimitPrice(spotPriceAfter, maxPrice);
        if (spotPriceBefore > amountIn.div(amountOut)) revert MathApprox();

        _setBalance(tokenIn, newBalanceIn);
        _setBalance(tokenOut, newBalanceOut);
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        IERC20(tokenOut).safeTransfer(msg.sender, amountOut);
        emit Swap(msg.sender, tokenIn, tokenOut, amountIn, amountOut);
    }
}
