// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";

/// A vesting wallet whose schedule moves in whole unlock periods (a day, a month) counted from its
/// start, as many token unlocks do: between two unlocks nothing more vests. It also makes a day's
/// vesting independent of when in the day a release lands.
abstract contract VestingUnlockPeriod is VestingWallet {
    error ZeroUnlockPeriod();

    uint64 private immutable _unlockPeriod;

    constructor(uint64 unlockPeriodSeconds) {
        if (unlockPeriodSeconds == 0) revert ZeroUnlockPeriod();
        _unlockPeriod = unlockPeriodSeconds;
    }

    function unlockPeriod() public view returns (uint256) {
        return _unlockPeriod;
    }

    /// The last unlock at or before `timestamp` (timestamps before the start are left alone).
    function _lastUnlock(uint64 timestamp) internal view returns (uint64) {
        uint64 begin = uint64(start());
        if (timestamp <= begin) return timestamp;
        return timestamp - ((timestamp - begin) % _unlockPeriod);
    }
}
