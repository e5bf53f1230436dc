/**
 * Orders every output shares: points by key, params in a fixed order, and the sweep order the
 * report shows points in. Pure functions of the campaign file: never of the order files were listed in.
 */
import type { CampaignDocument } from "../folder";
import type { CampaignPoint } from "../types";

/** Code-unit order (never the locale's): the same everywhere. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The params that vary across the campaign, in order: sweep axes, sampled params, then any other (sorted). */
export function varyingParams(campaign: Pick<CampaignDocument, "spec" | "points">): string[] {
  const names: string[] = [];
  const add = (n: string) => {
    if (!names.includes(n)) names.push(n);
  };
  campaign.spec.sweep.forEach((a) => add(a.param));
  campaign.spec.sample?.over.forEach(add);
  const others = new Set<string>();
  for (const p of campaign.points) for (const n of Object.keys(p.varying)) if (!names.includes(n)) others.add(n);
  [...others].sort(byText).forEach(add);
  return names;
}

/**
 * Points in sweep order: zipped sweeps in the lists' order; else by each sweep axis' value in the order the axis lists them, then by each
 * other varying param's value (numbers numerically, text in code-unit order), then by key.
 */
export function sweepOrder(campaign: Pick<CampaignDocument, "spec" | "points">): CampaignPoint[] {
  const varying = varyingParams(campaign);
  const axes = new Map(campaign.spec.sweep.map((a) => [a.param, a.values.map((v) => JSON.stringify(v))]));
  // Zipped lists may repeat a value within a list: their points go in the lists' order.
  const sweep = campaign.spec.sweep;
  const zipped = campaign.spec.zip && sweep.length > 0 ? new Map(sweep[0].values.map((_, i) => [JSON.stringify(sweep.map((a) => a.values[i])), i])) : undefined;
  const position = (p: CampaignPoint) => zipped?.get(JSON.stringify(sweep.map((a) => p.varying[a.param]))) ?? -1;
  const compare = (a: CampaignPoint, b: CampaignPoint): number => {
    if (zipped && position(a) !== position(b)) return position(a) - position(b);
    for (const name of varying) {
      const va = a.varying[name];
      const vb = b.varying[name];
      const axis = axes.get(name);
      let c: number;
      if (axis) c = axis.indexOf(JSON.stringify(va)) - axis.indexOf(JSON.stringify(vb));
      else if (typeof va === "number" && typeof vb === "number") c = va - vb;
      else c = byText(String(va), String(vb));
      if (c !== 0) return c;
    }
    return byText(a.key, b.key);
  };
  return [...campaign.points].sort(compare);
}
