import { decodeBatch, encodeBatch } from './google-batch.js';

describe('google batch format', () => {
  it('encodes application/http parts with Content-IDs and Directory API paths', () => {
    const body = encodeBatch(
      [
        { method: 'POST', path: '/users', body: { a: 1 } },
        { method: 'DELETE', path: '/users/1' },
      ],
      'b0',
    );
    expect(body).toBe(
      '--b0\r\nContent-Type: application/http\r\nContent-ID: <item0>\r\n\r\nPOST /admin/directory/v1/users HTTP/1.1\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{"a":1}\r\n' +
        '--b0\r\nContent-Type: application/http\r\nContent-ID: <item1>\r\n\r\nDELETE /admin/directory/v1/users/1 HTTP/1.1\r\n\r\n\r\n' +
        '--b0--\r\n',
    );
  });

  it('decodes answers by Content-ID, whatever their order', () => {
    const text =
      '--r\r\nContent-Type: application/http\r\nContent-ID: <response-item1>\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n\r\n' +
      '--r\r\nContent-Type: application/http\r\nContent-ID: <response-item0>\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 5\r\n\r\n{"error":{"code":429}}\r\n' +
      '--r--\r\n';
    const answers = decodeBatch('multipart/mixed; boundary=r', text);
    expect(answers.get(1)).toMatchObject({ status: 204, body: undefined });
    expect(answers.get(0)).toMatchObject({ status: 429, body: { error: { code: 429 } } });
    expect(answers.get(0)?.headers.get('Retry-After')).toBe('5');
  });
});
