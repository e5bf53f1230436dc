/**
 * The upstream node a fork reads from, over JSON-RPC on HTTP(S), with the limits a public RPC
 * provider imposes: a request budget, a request rate, and retries with exponential backoff.
 *
 * Every HTTP request sent counts against the budget, retries included. A request is retried when
 * the node answers HTTP 429 (too many requests; its `Retry-After` is honoured when longer than the
 * backoff), HTTP 502/503/504, JSON-RPC error -32005 (limit exceeded, as Infura and others answer),
 * something that is not JSON-RPC (a proxy's HTML page, a cut-off body), when it does not answer
 * within the timeout, or when the connection is dropped. The n-th retry waits
 * `min(backoffMs × 2^(n-1), maxBackoffMs)`. Any other HTTP error (401, 403, 404…), a host that does
 * not resolve and a refused connection are not retried: they do not get better by waiting.
 */
import { TokenspiceError, messageOf } from "../errors";
import { redactUrl, scrubError, scrubSecrets } from "../output/secrets";

/** The upstream's limits; every field has a default (FORK_LIMIT_DEFAULTS). */
export interface UpstreamLimits {
  /** HTTP requests the fork may send in all (retries included). Default 100,000. */
  budget: number;
  /** Requests per second at most (0: no limit). Default 25, under the free tiers of common providers. */
  rps: number;
  /** Retries of one request before giving up. Default 6. */
  retries: number;
  /** How long one request may take, ms. Default 20,000 (Hardhat's timeout of an HTTP network). */
  timeoutMs: number;
  /** First retry's wait, ms; doubled at each retry. Default 500. */
  backoffMs: number;
  /** Longest wait between two tries, ms. Default 16,000. */
  maxBackoffMs: number;
}

/** The defaults of UpstreamLimits. */
export const FORK_LIMIT_DEFAULTS: UpstreamLimits = { budget: 100_000, rps: 25, retries: 6, timeoutMs: 20_000, backoffMs: 500, maxBackoffMs: 16_000 };

/** A JSON-RPC error answer the node gave (passed on to the simulation network, never retried). */
export class RpcErrorAnswer extends Error {
  constructor(
    readonly rpcCode: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** How many requests were sent, and how many of them were retries. */
export interface UpstreamCounts {
  requests: number;
  retries: number;
}

class Transient extends Error {
  constructor(
    why: string,
    readonly retryAfterMs = 0,
  ) {
    super(why);
  }
}

/**
 * One upstream node, shared by every read of a fork. `call` sends one JSON-RPC request within the
 * limits and returns its `result`.
 */
export class Upstream {
  readonly counts: UpstreamCounts = { requests: 0, retries: 0 };
  private nextSlot = 0;

  /**
   * @param url the node's URL (it may hold a key: never shown; remember it with rememberSecretUrl)
   * @param setting what messages name as the fork's setting (`--fork`, `tokenspice.fork`)
   */
  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    readonly limits: UpstreamLimits,
    private readonly setting: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /**
   * The node's `result` for `method(params)`.
   * @throws RpcErrorAnswer for a JSON-RPC error answer other than -32005
   * @throws TokenspiceError FORK_BUDGET_SPENT when the budget is spent; FORK_FAILED when the node
   *   cannot be reached, answers an HTTP error that is not retried, or still fails after the retries
   */
  async call(method: string, params: unknown[]): Promise<unknown> {
    let lastWhy = "";
    for (let attempt = 0; ; attempt++) {
      if (attempt > this.limits.retries) {
        throw this.error("FORK_FAILED", `its node still failed ${method} after ${this.limits.retries} retries (the last: ${lastWhy})`, { method, attempts: attempt });
      }
      if (this.counts.requests >= this.limits.budget) {
        throw this.error(
          "FORK_BUDGET_SPENT",
          `its request budget of ${this.limits.budget} is spent (${this.counts.requests} requests sent, ${this.counts.retries} of them retries) with ${method} still to read. ` +
            `Raise --fork-budget (tokenspice.fork.budget), or rerun: what was read is in the bundle and is not asked for again`,
          { method, budget: this.limits.budget, requests: this.counts.requests },
        );
      }
      // Counted before waiting for the rate limit: concurrent reads never send more than the budget.
      this.counts.requests++;
      if (attempt > 0) this.counts.retries++;
      await this.waitForSlot();
      try {
        return await this.send(method, params);
      } catch (error) {
        if (!(error instanceof Transient)) throw error;
        lastWhy = error.message;
        if (attempt < this.limits.retries) await this.sleep(Math.max(error.retryAfterMs, Math.min(this.limits.backoffMs * 2 ** attempt, this.limits.maxBackoffMs)));
      }
    }
  }

  /** The error of this fork, naming the setting and the redacted URL; `why` scrubbed. */
  error(code: "FORK_FAILED" | "FORK_BUDGET_SPENT", why: string, details: Record<string, unknown> = {}, cause?: unknown): TokenspiceError {
    const shown = redactUrl(this.url);
    return new TokenspiceError(
      code,
      `The fork's upstream (${this.setting} ${shown}) ${code === "FORK_BUDGET_SPENT" ? "stopped" : "cannot be used"}: ${scrubSecrets(why)}.`,
      { setting: this.setting, url: shown, ...details },
      scrubError(cause),
    );
  }

  private async waitForSlot(): Promise<void> {
    if (this.limits.rps <= 0) return;
    const now = Date.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + 1000 / this.limits.rps;
    if (at > now) await this.sleep(at - now);
  }

  private async send(method: string, params: unknown[]): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...this.headers },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(this.limits.timeoutMs),
      });
    } catch (error) {
      throw this.transportFailure(error, method);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.transportFailure(error, method);
    }
    if (response.status === 429 || response.status === 502 || response.status === 503 || response.status === 504) {
      const after = Number(response.headers.get("retry-after"));
      throw new Transient(`HTTP ${response.status}`, Number.isFinite(after) && after > 0 ? Math.min(after * 1000, this.limits.maxBackoffMs) : 0);
    }
    if (!response.ok)
      throw this.error("FORK_FAILED", `its node answered ${method} with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`, { method, status: response.status });
    let body: { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Transient(`an answer that is not JSON-RPC (it begins ${JSON.stringify(scrubSecrets(text.slice(0, 40)))})`);
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Transient("an answer that is not a JSON-RPC response");
    if (body.error !== undefined && body.error !== null) {
      const code = Number(body.error.code);
      const message = typeof body.error.message === "string" ? body.error.message : JSON.stringify(body.error);
      if (code === -32005) throw new Transient(`JSON-RPC error -32005 (${scrubSecrets(message)})`);
      throw new RpcErrorAnswer(code, scrubSecrets(message), body.error.data);
    }
    if (!("result" in body)) throw new Transient("an answer without result or error");
    return body.result;
  }

  private transportFailure(error: unknown, method: string): Error {
    const e = error as { name?: string; cause?: { code?: string; name?: string } };
    if (e?.name === "TimeoutError" || e?.cause?.name === "TimeoutError") return new Transient(`no answer within ${this.limits.timeoutMs} ms`);
    const code = e?.cause?.code;
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") return new Transient(`the connection was dropped (${code})`);
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return this.error("FORK_FAILED", `its host name does not resolve (${code}: unknown host, or no DNS)`, { method }, error);
    if (code === "ECONNREFUSED") return this.error("FORK_FAILED", "nothing accepts connections at its host and port (ECONNREFUSED)", { method }, error);
    if (typeof code === "string" && /^(CERT_|ERR_TLS|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return this.error("FORK_FAILED", `its TLS certificate is not valid (${code})`, { method }, error);
    return this.error("FORK_FAILED", `the request failed (${code ?? messageOf((error as { cause?: unknown })?.cause ?? error)})`, { method }, error);
  }
}
