import { ApiError } from '../../../shared/contract';

export type ProviderFailure = 'unauthorized' | 'forbidden' | 'not_found' | 'validation' | 'rate_limited' | 'unreachable' | 'server' | 'unexpected';

const CODE_FOR: Record<ProviderFailure, ApiError['code']> = {
  unauthorized: 'conflict',
  forbidden: 'conflict',
  not_found: 'not_found',
  validation: 'conflict',
  rate_limited: 'conflict',
  unreachable: 'internal',
  server: 'internal',
  unexpected: 'internal',
};

/**
 * A provider said no, or could not be asked. An ApiError, so every transport shows its
 * message; the message always names what happened upstream and what to do about it.
 */
export class ProviderError extends ApiError {
  constructor(
    readonly failure: ProviderFailure,
    message: string,
    readonly status: number | null = null,
    readonly retryAt: number | null = null,
  ) {
    super(CODE_FOR[failure], message);
  }
}

export const isProviderError = (error: unknown, ...failures: ProviderFailure[]): error is ProviderError =>
  error instanceof ProviderError && (failures.length === 0 || failures.includes(error.failure));
