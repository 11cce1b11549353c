import { describe, expect, it } from 'vitest';
import { DAMAGED_TEXT, fileProblem, fileStateWord } from './file-status';

describe('fileProblem', () => {
  it('says damaged plainly, with the code underneath', () => {
    expect(fileProblem('damaged', { code: 'FILE_DAMAGED', message: 'long core sentence' })).toEqual({
      text: DAMAGED_TEXT,
      code: 'FILE_DAMAGED',
    });
    expect(fileProblem('damaged', null)?.code).toBe('FILE_DAMAGED');
  });

  it("gives the core's reason for blocked, failed and unavailable files", () => {
    const error = {
      code: 'FILE_TYPE_BLOCKED' as const,
      message: 'Files of type .exe are blocked on this device.',
    };
    expect(fileProblem('blocked', error)).toEqual({ text: error.message, code: 'FILE_TYPE_BLOCKED' });
    expect(fileProblem('unavailable', null)?.code).toBe('FILE_UNAVAILABLE');
  });

  it('shows nothing for a file that is fine, even with an old error left over', () => {
    expect(fileProblem('downloaded', null)).toBeNull();
    expect(fileProblem('uploading', { code: 'UNAVAILABLE', message: 'old' })).toBeNull();
    expect(fileProblem('available', null)).toBeNull();
  });
});

describe('fileStateWord', () => {
  it('names only the states no bar or button shows', () => {
    expect(fileStateWord('failed', true)).toBe('Not sent');
    expect(fileStateWord('blocked', false)).toBe('Blocked');
    expect(fileStateWord('downloading', false)).toBeNull();
    expect(fileStateWord('uploaded', true)).toBeNull();
  });
});
