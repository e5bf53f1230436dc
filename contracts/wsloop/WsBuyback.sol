// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// Buy-and-burn (TokenSPICE's OCEANBurnerAgent, on chain). It spends all the USD it holds on OCEAN
/// from one market-maker wallet, which stands for the open market and has approved this contract,
/// at the modeled price: the valuation an oracle posts divided by the current OCEAN supply
/// (TokenSPICE's `OCEANprice = valuation / supply`). Then it burns what it bought.
/// When the market maker holds less OCEAN than the USD would buy, it buys what there is and keeps
/// the rest of the USD for the next call. No pool, no slippage: the price is the model's.
contract WsBuyback {
    using SafeERC20 for IERC20;

    error NotOracle(address caller);

    ERC20Burnable public immutable ocean;
    IERC20 public immutable usd;
    address public immutable marketMaker;
    address public immutable oracle;
    /// The valuation of all OCEAN in supply, in USD with 18 decimals.
    uint256 public valuation;
    uint256 public usdSpent;
    uint256 public oceanBurned;

    event Valuation(uint256 valuation);
    event BoughtAndBurned(uint256 usdIn, uint256 oceanOut);

    constructor(ERC20Burnable ocean_, IERC20 usd_, address marketMaker_, address oracle_) {
        ocean = ocean_;
        usd = usd_;
        marketMaker = marketMaker_;
        oracle = oracle_;
    }

    function setValuation(uint256 valuation_) external {
        if (msg.sender != oracle) revert NotOracle(msg.sender);
        valuation = valuation_;
        emit Valuation(valuation_);
    }

    /// USD (18 decimals) per whole OCEAN; 0 before a valuation is posted or with no supply.
    function price() external view returns (uint256) {
        uint256 supply = ocean.totalSupply();
        return supply == 0 ? 0 : Math.mulDiv(valuation, 1e18, supply);
    }

    /// OCEAN that `usdIn` buys at the modeled price (rounded down).
    function quote(uint256 usdIn) public view returns (uint256) {
        return valuation == 0 ? 0 : Math.mulDiv(usdIn, ocean.totalSupply(), valuation);
    }

    /// Anyone may call it; with no USD, no valuation or no OCEAN to buy it does nothing.
    function buyAndBurn() external returns (uint256 usdIn, uint256 oceanOut) {
        usdIn = usd.balanceOf(address(this));
        oceanOut = quote(usdIn);
        uint256 available = Math.min(ocean.balanceOf(marketMaker), ocean.allowance(marketMaker, address(this)));
        if (oceanOut > available) {
            oceanOut = available;
            // Pay for what is there at the same price, rounding in the market maker's favour.
            usdIn = Math.min(usdIn, Math.mulDiv(oceanOut, valuation, ocean.totalSupply(), Math.Rounding.Ceil));
        }
        if (oceanOut == 0) return (0, 0);
        usdSpent += usdIn;
        oceanBurned += oceanOut;
        IERC20(address(ocean)).safeTransferFrom(marketMaker, address(this), oceanOut);
        ocean.burn(oceanOut);
        usd.safeTransfer(marketMaker, usdIn);
        emit BoughtAndBurned(usdIn, oceanOut);
    }

    /// What the simulation samples: USD spent, OCEAN burned, USD waiting to be spent.
    function stats() external view returns (uint256 spent, uint256 burnedByBuyback, uint256 usdHeld) {
        return (usdSpent, oceanBurned, usd.balanceOf(address(this)));
    }
}
