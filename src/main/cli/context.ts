import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import type { ImportResult } from '../../shared/types';
import type { Progress } from '../engine/replay/import';
import type { Output } from './output';
import type { RotationResult } from '../engine/secrets/rotate-key';
import type { Conversion } from '../engine/retention/vacuum';

export interface CommandContext {
  /** Positional words after the command and verb. */
  positionals: string[];
  options: Record<string, string | string[] | boolean | undefined>;
  out: Output;
  /** Talking to a server (--server) rather than a data dir: HOOKBENCH_TOKEN is then the API token. */
  remote?: boolean;
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
}

export type Command = (ctx: CommandContext) => Promise<void>;

/** What the engine needs to send right away from a CLI process (no serve running). */
export interface CommandEngine {
  sendNow(messageRowId: number): Promise<boolean>;
  /** Runs the dispatcher until each of these messages has had its first attempt. */
  sendAll(endpointId: string, messageRowIds: number[]): Promise<void>;
  /** Streams a HAR file or bundle into the database (files can be larger than an API call). */
  importFile(path: string, progress: Progress, signal: AbortSignal): Promise<ImportResult>;
  /** Re-seals every secret with a new key (secrets rotate-key); on the data dir only. */
  rotateKey(progress: (done: number, total: number) => void): Promise<RotationResult>;
  /** Converts an older database so pruning gives space back, when a policy prunes and nothing else has it open. */
  prepareVacuum(): Conversion | null;
}
