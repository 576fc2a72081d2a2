import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpImageDimensions } from '../../../functions/adapters/web/image-dimensions.ts';

// A PNG's size is in its IHDR chunk, right after the 8-byte signature; the rest of the file does not matter.
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'ascii');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 2, 0, 0, 0], 16);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    ihdr,
    Buffer.alloc(200_000),
  ]);
}

let server: Server;
let base: string;
const requests: { path: string; range: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', range: req.headers.range });
    if (req.url === '/wide.png') {
      res.writeHead(206, { 'content-type': 'image/png' });
      res.end(pngHeader(1456, 816));
    } else if (req.url === '/hang.png') {
      // Never answers: the time budget must end the wait.
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('HttpImageDimensions', () => {
  it('reads the size from a range read of the header, once per URL, and leaves out what it cannot measure', async () => {
    // Prepare
    const dims = new HttpImageDimensions({ timeBudgetMs: 1000 });
    requests.length = 0;
    // Act
    const first = await dims.measure([
      `${base}/wide.png`,
      `${base}/missing.png`,
      `${base}/hang.png`,
      'data:x',
    ]);
    const second = await dims.measure([`${base}/wide.png`, `${base}/missing.png`]);
    // Assess
    expect([...first]).toEqual([[`${base}/wide.png`, { width: 1456, height: 816 }]]);
    expect([...second]).toEqual([[`${base}/wide.png`, { width: 1456, height: 816 }]]);
    expect(requests.filter((r) => r.path === '/wide.png')).toEqual([
      { path: '/wide.png', range: 'bytes=0-65535' },
    ]);
    expect(requests.filter((r) => r.path === '/missing.png')).toHaveLength(1);
  });
});
