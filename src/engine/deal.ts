/**
 * `deal`: set an ERC20 balance on a dev node without knowing where the token keeps it, as Foundry's
 * `deal` and anvil's `anvil_dealERC20` do. The balance slot is found by probing: for each candidate
 * mapping slot `i` (0 to DEAL_MAX_SLOT), and for both layouts of a mapping entry (Solidity:
 * `keccak256(pad32(holder) ++ pad32(i))`; Vyper: `keccak256(pad32(i) ++ pad32(holder))`), the entry
 * is set to a marker under an `evm_snapshot`, `balanceOf(holder)` is read, and the snapshot
 * reverted; the slot whose marker `balanceOf` returns is the balance's. Then the entry is set to the
 * amount (outside any snapshot) and checked. `totalSupply` is left as it is.
 *
 * Tokens whose balances are not a plain mapping (rebasing tokens keeping shares, balances packed
 * with other fields, proxies computing balances) are refused: DEAL_FAILED names the token.
 */
import { keccak256 } from "ethers";
import { TokenspiceError } from "../errors";
import type { Chain } from "./chain";

/** The highest mapping slot probed (OpenZeppelin's ERC20 keeps balances at 0; upgradeable and older tokens further, rarely past 50). */
export const DEAL_MAX_SLOT = 100;

const BALANCE_OF = "0x70a08231";
const pad32 = (hex: string) => hex.replace(/^0x/, "").toLowerCase().padStart(64, "0");
const word = (n: bigint) => "0x" + n.toString(16).padStart(64, "0");
const MARKER = 0x7e57_5b1c_e000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_1234n;

/** The storage key of `holder`'s entry of the mapping at `slot`, in Solidity's or Vyper's layout. */
export function mappingKey(holder: string, slot: number, layout: "solidity" | "vyper"): string {
  const h = pad32(holder);
  const s = pad32(slot.toString(16));
  return keccak256("0x" + (layout === "solidity" ? h + s : s + h));
}

async function balanceOf(chain: Chain, token: string, holder: string): Promise<bigint | undefined> {
  try {
    const out = await chain.request<string>("eth_call", [{ to: token, data: BALANCE_OF + pad32(holder) }, "latest"]);
    return out === "0x" ? undefined : BigInt(out.slice(0, 66));
  } catch {
    return undefined;
  }
}

/**
 * Sets `holder`'s balance of `token` to `amount` (base units). Returns the slot and layout found.
 * @throws TokenspiceError DEAL_FAILED naming the token when it answers no `balanceOf`, or no slot up
 *   to DEAL_MAX_SLOT holds the balance, or the balance read back is not `amount`
 */
export async function dealErc20(chain: Chain, token: string, holder: string, amount: bigint): Promise<{ slot: number; layout: "solidity" | "vyper" }> {
  const fail = (why: string) => new TokenspiceError("DEAL_FAILED", `deal(${token}, ${holder}, ${amount}): ${why}`, { token, holder, amount: amount.toString() });
  if (amount < 0n || amount >= 2n ** 256n) throw fail("the amount must be in [0, 2^256).");
  if ((await balanceOf(chain, token, holder)) === undefined) throw fail("the contract at that address answers no balanceOf(address) (not an ERC20, or no contract there).");
  for (let slot = 0; slot <= DEAL_MAX_SLOT; slot++) {
    for (const layout of ["solidity", "vyper"] as const) {
      const key = mappingKey(holder, slot, layout);
      const snapshot = await chain.snapshot();
      let seen: bigint | undefined;
      try {
        await chain.request("hardhat_setStorageAt", [token, key, word(MARKER)]);
        seen = await balanceOf(chain, token, holder);
      } finally {
        await chain.revert(snapshot);
      }
      if (seen !== MARKER) continue;
      await chain.request("hardhat_setStorageAt", [token, key, word(amount)]);
      const after = await balanceOf(chain, token, holder);
      if (after !== amount) throw fail(`the balance read back is ${String(after)}, not the amount set at slot ${slot} (${layout} layout): the token computes balances from more than one slot.`);
      return { slot, layout };
    }
  }
  throw fail(
    `no storage slot up to ${DEAL_MAX_SLOT} holds its balances as a mapping (a rebasing or proxied token, or balances packed with other fields): fund the holder from an existing one (impersonate a holder and transfer).`,
  );
}
