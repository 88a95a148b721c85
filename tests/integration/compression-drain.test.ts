// A long page, gzipped, read slowly: React Router writes it with back-pressure, waiting for
// 'drain' each time the zlib stream is full. With compression alone each wait left a listener
// behind on that stream (expressjs/compression#135) and Node warned of a leak; the service's
// drainOnceThroughCompression (server/app.ts) leaves none. The control, without it, must warn.
// Node prints the control's warning to the test output: that line is expected.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeReadableStreamToWritable } from '@react-router/node'
import compression from 'compression'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { drainOnceThroughCompression } from '../../server/app'

let server: http.Server | undefined
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

/** Hard-to-compress text, so the gzip output is large enough to fill the socket and zlib's buffers. */
function noisyChunk(seed: number): string {
  let x = seed
  let text = ''
  for (let i = 0; i < 16_384; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648
    text += String.fromCharCode(33 + (x % 90))
  }
  return text
}

/**
 * Serves 8 MB the way React Router streams a page, reads it gzipped after a pause (the socket
 * fills), and returns the leak warnings Node gave and the bytes received.
 */
async function streamSlowly(withFix: boolean) {
  const app = express()
  app.use(compression())
  if (withFix) app.use(drainOnceThroughCompression)
  app.get('/long', (_req, res) => {
    res.type('text/html')
    let n = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (n++ === 512) return controller.close()
        controller.enqueue(new TextEncoder().encode(noisyChunk(n)))
      },
    })
    void writeReadableStreamToWritable(stream, res)
  })
  server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server!.once('listening', resolve))
  const { port } = server.address() as AddressInfo

  const warnings: string[] = []
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`)
  process.on('warning', onWarning)
  try {
    const received = await new Promise<number>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port, path: '/long', headers: { 'accept-encoding': 'gzip' } })
      request.on('error', reject)
      request.on('response', (response) => {
        expect(response.headers['content-encoding']).toBe('gzip')
        response.pause()
        let bytes = 0
        // a phone on a poor connection: nothing read for a while, then a little at a time
        setTimeout(() => {
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length
            response.pause()
            setImmediate(() => response.resume())
          })
          response.on('end', () => resolve(bytes))
          response.resume()
        }, 200)
      })
    })
    await new Promise((resolve) => setImmediate(resolve))
    return { warnings: warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), received }
  } finally {
    process.off('warning', onWarning)
  }
}

describe('a long gzipped page read slowly', () => {
  it('leaves no drain listener behind on the zlib stream, so Node sees no leak', async () => {
    const result = await streamSlowly(true)
    expect(result.received).toBeGreaterThan(4_000_000)
    expect(result.warnings).toEqual([])
  })

  it('control: compression alone leaves one per wait, and Node warns', async () => {
    const result = await streamSlowly(false)
    expect(result.received).toBeGreaterThan(4_000_000)
    expect(result.warnings.length).toBeGreaterThan(0)
  })
})
