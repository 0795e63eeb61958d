import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import type { Output } from './output';

export interface CommandContext {
  /** Positional words after the command and verb. */
  positionals: string[];
  options: Record<string, string | string[] | boolean | undefined>;
  out: Output;
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
}

export type Command = (ctx: CommandContext) => Promise<void>;

/** What the engine needs to send right away from a CLI process (no serve running). */
export interface CommandEngine {
  sendNow(messageRowId: number): Promise<boolean>;
  /** Runs the dispatcher until each of these messages has had its first attempt. */
  sendAll(messageRowIds: number[]): Promise<void>;
}
