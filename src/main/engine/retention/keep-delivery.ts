import { noSuchDelivery } from '../store/deliveries';

/** When a delivery marked keep was marked; null takes the mark off. */
export const keepMark = (keep: boolean, now: number): number | null => (keep ? now : null);

/** What marking a delivery keep answers, once the store said whether there was such a delivery. */
export function keptAnswer(id: number, keep: boolean, keptAt: number | null, marked: boolean): { id: number; kept: boolean; keptAt: number | null } {
  if (!marked) throw noSuchDelivery(id);
  return { id, kept: keep, keptAt };
}
