// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";
import {VestingUnlockPeriod} from "./VestingUnlockPeriod.sol";

/// OpenZeppelin's linear vesting with a cliff (nothing before start + cliff, then
/// allocation * (t - start) / duration, all of it from start + duration), in whole unlock periods.
contract VestingLinearCliffWallet is VestingWalletCliff, VestingUnlockPeriod {
    constructor(
        address beneficiary,
        uint64 startTimestamp,
        uint64 durationSeconds,
        uint64 cliffSeconds,
        uint64 unlockPeriodSeconds
    )
        VestingWallet(beneficiary, startTimestamp, durationSeconds)
        VestingWalletCliff(cliffSeconds)
        VestingUnlockPeriod(unlockPeriodSeconds)
    {}

    function _vestingSchedule(uint256 totalAllocation, uint64 timestamp) internal view override(VestingWallet, VestingWalletCliff) returns (uint256) {
        return super._vestingSchedule(totalAllocation, _lastUnlock(timestamp));
    }
}
