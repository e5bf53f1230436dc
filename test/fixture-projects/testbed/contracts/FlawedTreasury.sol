// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A treasury meant never to go below its floor, with a deliberate flaw for the property-check
/// tests: it checks the floor *before* subtracting, so the withdrawal that crosses the floor goes
/// through. Withdrawing `w` a tick from 10,000, the balance first drops below 5,000 at tick
/// floor(5000 / w) + 1: within 10 ticks exactly when w >= 501, and at tick 6 when w = 1000.
contract FlawedTreasury {
    uint256 public constant FLOOR = 5_000;
    uint256 public balance = 10_000;

    error BelowFloor(uint256 balance);

    function withdraw(uint256 amount) external {
        if (balance < FLOOR) revert BelowFloor(balance); // the flaw: should check balance - amount
        require(amount <= balance, "more than the balance");
        balance -= amount;
    }
}
