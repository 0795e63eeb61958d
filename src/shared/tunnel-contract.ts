import { z } from 'zod';
import { method } from './contract-method';
import type { TunnelCatchUp, TunnelCreated, TunnelRemoved, TunnelStatus } from './types';

/** The smee channel hooks reach Hookbench through; part of the engine API in contract.ts. */
export const tunnelMethods = {
  'tunnel.create': method<TunnelCreated>()(z.object({ server: z.string().url().max(2000).optional() })),
  'tunnel.status': method<TunnelStatus>()(z.object({})),
  'tunnel.connect': method<TunnelStatus>()(z.object({})),
  'tunnel.disconnect': method<TunnelStatus>()(z.object({})),
  /** Forgets the channel: hook URLs go back to the direct address, updated upstream where a connection manages them. */
  'tunnel.remove': method<TunnelRemoved>()(z.object({})),
  'tunnel.catchUp': method<TunnelCatchUp>()(z.object({})),
} as const;
