import { isTokenspiceError, type ErrorCode } from "../errors";

/**
 * RPC keys kept out of everything the plugin prints or writes. Providers put the key in different
 * parts of the URL: the path (Alchemy `…/v2/<key>`, Infura `…/v3/<key>`, Ankr, QuickNode), the
 * first host label (Rivet `https://<key>.eth.rpc.rivet.cloud/`), the query (dRPC `?dkey=<key>`) or
 * the user info (`https://user:<key>@host`); some send it as an HTTP header instead
 * (`forking.httpHeaders`).
 *
 * The rule for what is recorded (run manifest, campaign file, reports): the scheme and the host's
 * registrable domain (its last two labels), with every label in front of it shown as `*` and a label
 * that looks like a key (16 or more characters, or 6 or more digits) as `<redacted>`; the port is
 * kept; user info, path, query and fragment are dropped. An IP address or `localhost` is kept as it
 * is. So `https://eth-mainnet.g.alchemy.com/v2/<key>` is recorded as `https://*.alchemy.com`, and
 * `https://<key>.eth.rpc.rivet.cloud/` as `https://*.rivet.cloud`. The chain id and the fork's block
 * number, recorded beside it, say which chain and state a run simulated.
 *
 * Text that may quote a URL the plugin was configured with (a node's error message, which names the
 * host) goes through `scrubSecrets` before it is printed or written: each remembered URL is replaced
 * by its redacted form, its host by the redacted host, and its key-length parts (8 or more
 * characters of user info, path segment, query value or header value; 4 or more for the value of a
 * query parameter named as a credential: `key`, `apikey`, `api_key`, `token`, `secret`, `password`,
 * `auth`…, as in `?apikey=…`) by `<redacted>`. The URLs are remembered per process, when the
 * network is built or a fork opened (`rememberSecretUrl`).
 */

/** A query parameter whose value is a credential whatever its length (`?apikey=`, `?access_token=`, `?dkey=`). */
const CREDENTIAL_PARAM = /(key|token|secret|password|passwd|auth|credential|signature)/i;

/** What a key in a URL is replaced with. */
export const REDACTED = "<redacted>";

/**
 * An RPC URL without anything that may be a key: scheme, registrable domain and port (see above).
 * A URL that cannot be parsed is `(unparseable URL)`.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "(unparseable URL)";
  }
  return `${u.protocol}//${redactHost(u.hostname)}${u.port === "" ? "" : `:${u.port}`}`;
}

/** A host name as recorded: see the module's rule. */
export function redactHost(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || /^\[.*\]$/.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host;
  const labels = host.split(".");
  const kept = labels.slice(-2).map((label) => (looksLikeKey(label) ? REDACTED : label));
  return (labels.length > 2 ? ["*", ...kept] : kept).join(".");
}

function looksLikeKey(label: string): boolean {
  return label.length >= 16 || (label.match(/\d/g)?.length ?? 0) >= 6;
}

interface Secret {
  url: string;
  redacted: string;
  host: string;
  parts: string[];
}

const remembered: Secret[] = [];

/**
 * Remembers a URL (and header values sent with it) whose keys `scrubSecrets` removes from text.
 * Idempotent. Called when the network a run uses is built.
 */
export function rememberSecretUrl(url: string, headers: Record<string, string> = {}): void {
  if (remembered.some((s) => s.url === url)) return;
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    // unparseable: only the text as given is scrubbed
  }
  const parts = new Set<string>();
  const add = (part: string, min = 8) => {
    for (const p of [part, safeDecode(part)]) if (p.length >= min) parts.add(p);
  };
  if (u) {
    add(u.username);
    add(u.password, 4);
    for (const segment of u.pathname.split("/")) add(segment);
    for (const [name, value] of u.searchParams) add(value, CREDENTIAL_PARAM.test(name) ? 4 : 8);
    add(u.hash.replace(/^#/, ""));
  }
  for (const value of Object.values(headers)) {
    add(String(value));
    for (const word of String(value).split(/\s+/)) add(word); // "Bearer <token>"
  }
  remembered.push({ url, redacted: redactUrl(url), host: u?.host ?? "", parts: [...parts].sort((a, b) => b.length - a.length) });
}

/** Forgets every remembered URL (for tests). */
export function forgetSecretUrls(): void {
  remembered.length = 0;
}

/** `text` with every remembered URL, host and key replaced (see the module's rule). */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const s of remembered) {
    const forms = new Set([s.url, s.url.replace(/\/+$/, "")]);
    try {
      const href = new URL(s.url).href;
      forms.add(href);
      forms.add(href.replace(/\/+$/, ""));
    } catch {
      // as given only
    }
    for (const form of [...forms].filter((f) => f !== "").sort((a, b) => b.length - a.length)) out = out.split(form).join(s.redacted);
    if (s.host !== "") out = replaceAllCaseless(out, s.host, redactHost(s.host.replace(/:\d+$/, "")) + (s.host.match(/:\d+$/)?.[0] ?? ""));
    for (const part of s.parts) out = out.split(part).join(REDACTED);
  }
  return out;
}

/**
 * `value` with every string in it scrubbed (objects and arrays copied; other values as they are).
 * For error details and anything else built from text a node or a user's code produced.
 */
export function scrubDeep<T>(value: T): T {
  if (remembered.length === 0) return value;
  if (typeof value === "string") return scrubSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v)])) as T;
  }
  return value;
}

/** True when some URL has been remembered (scrubbing has work to do). */
export function hasSecrets(): boolean {
  return remembered.length > 0;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function replaceAllCaseless(text: string, find: string, replacement: string): string {
  const escaped = find.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(escaped, "gi"), () => replacement);
}

/**
 * A copy of an error with every remembered secret scrubbed from its message and stack (and its
 * `code`, and its cause scrubbed the same way), or the error itself when no URL is remembered. For
 * errors a node raised, whose text names the URL it failed to reach.
 */
export function scrubError(error: unknown): unknown {
  if (remembered.length === 0) return error;
  if (!(error instanceof Error)) return typeof error === "string" ? scrubSecrets(error) : error;
  const copy = new Error(scrubSecrets(error.message), error.cause === undefined ? undefined : { cause: scrubError(error.cause) });
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : scrubSecrets(error.stack);
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) (copy as { code?: unknown }).code = code;
  return copy;
}

/**
 * A core TokenspiceError rebuilt as an adapter's plugin error by `make` (each Hardhat version has its
 * own HardhatPluginError to extend), with any RPC key scrubbed from its message, details and cause (a
 * node's error text may name a URL with its key; a no-op unless one was configured). A property
 * check's PROPERTY_FAILED, and anything that is not a TokenspiceError, pass unchanged.
 */
export function asAdapterError(error: unknown, make: (code: ErrorCode, message: string, details: Record<string, unknown>, cause: unknown) => Error): unknown {
  if (!isTokenspiceError(error) || error.code === "PROPERTY_FAILED") return error;
  return make(error.code, scrubSecrets(error.message), scrubDeep(error.details), hasSecrets() ? scrubError(error) : error);
}
