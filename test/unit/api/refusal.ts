/** The Lambda error a call refuses with, as { type, message } (fails the test when it does not refuse). */
import { LambdaApiError } from '../../../src/api/api-errors.js';

export interface Refusal {
  readonly type: string;
  readonly message: string;
}

/** The refusal of a synchronous call. */
export function refusal(run: () => unknown): Refusal {
  try {
    run();
  } catch (error) {
    if (error instanceof LambdaApiError) return { type: error.awsType, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

/** The refusal of an asynchronous call. */
export async function asyncRefusal(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LambdaApiError) return { type: error.awsType, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}
