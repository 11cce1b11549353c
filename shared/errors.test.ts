import { describe, expect, it } from 'vitest';
import { ParleyError, toErrorInfo } from './errors';

describe('toErrorInfo', () => {
  it('keeps a ParleyError as it is', () => {
    expect(toErrorInfo(new ParleyError('FILE_DAMAGED', 'Damaged.'))).toEqual({
      code: 'FILE_DAMAGED',
      message: 'Damaged.',
    });
  });

  it('says a full disk is a full disk, and hides anything else', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(toErrorInfo(full)).toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringMatching(/disk space/),
    });
    const other = Object.assign(new Error('EIO: i/o error, read /home/alice/secret.txt'), { code: 'EIO' });
    expect(toErrorInfo(other).code).toBe('INTERNAL');
    expect(toErrorInfo(other).message).not.toContain('secret');
    expect(toErrorInfo(null).code).toBe('INTERNAL');
  });
});
