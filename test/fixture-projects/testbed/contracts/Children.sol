// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

/// A vault a factory makes on chain, with an immutable (so its code differs from the artifact's there).
contract Vault {
    error VaultLocked(uint256 unlockAt, uint256 nowTs);
    uint256 public immutable unlockAt;
    uint256 public pokes;

    constructor(uint256 unlockAt_) {
        unlockAt = unlockAt_;
    }

    function poke() external {
        if (block.timestamp < unlockAt) revert VaultLocked(unlockAt, block.timestamp);
        pokes++;
    }
}

/// Makes vaults with `new` and EIP-1167 clones of a template, as pool and datatoken factories do.
contract VaultMaker {
    address[] public made;

    function create(uint256 unlockAt) external returns (address vault) {
        vault = address(new Vault(unlockAt));
        made.push(vault);
    }

    function cloneOf(address template) external returns (address clone) {
        clone = Clones.clone(template);
        made.push(clone);
    }
}

/// An external library, and a contract that must be linked to it.
library Tripler {
    function triple(uint256 x) public pure returns (uint256) {
        return 3 * x;
    }
}

contract UsesTripler {
    uint256 public total;

    function add(uint256 x) external {
        total += Tripler.triple(x);
    }
}
