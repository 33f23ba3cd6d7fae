import { describe, expect, it } from 'vitest';
import { uploadError } from './photos';

describe('uploadError', () => {
  it('reads the server refusal', () => {
    const e = uploadError(
      413,
      JSON.stringify({
        errors: [{ message: 'the file is over 10 MB; photos up to 10 MB are accepted', extensions: { code: 'BAD_USER_INPUT', field: 'photo' } }],
      }),
    );
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.field).toBe('photo');
    expect(e.serverMessage).toContain('10 MB');
  });
  it('falls back on a page that is not JSON', () => {
    expect(uploadError(413, '<html>Request Entity Too Large</html>').serverMessage).toBe('The file is too large.');
    expect(uploadError(0, '').code).toBe('NETWORK');
  });
});
