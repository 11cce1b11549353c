/** Bounds every list a caller asks for, so no request can make the store read without limit. */
import { ParleyError } from '../../../shared/errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ParleyError('INVALID_ARGUMENT', `Ask for between 1 and ${MAX_PAGE_SIZE} items at a time.`);
  }
  return limit;
}
