// Reading a form with a file in it, with a size limit. request.formData() (undici's, on Node)
// would hold any size of body in memory first, so the body is read here chunk by chunk: past the
// limit the rest is read and dropped (not kept), so the browser finishes sending and sees our
// page saying the file is too big, rather than a connection reset. Far past it the stream is
// cancelled, which does reset the connection: only a request no real report makes gets that.
// The file's bytes live only in memory for this one request; nothing here stores or logs them.

export type UploadedForm =
  | { status: 'read'; form: FormData }
  | { status: 'too-large' }
  /** a multipart body that does not parse (cut short, a wrong boundary) */
  | { status: 'unreadable' }

/** Beyond this many bytes even the draining stops and the connection is dropped. */
const DRAIN_LIMIT_FACTOR = 20

export async function readUploadedForm(request: Request, maxBytes: number): Promise<UploadedForm> {
  const type = request.headers.get('content-type') ?? ''
  const declared = Number(request.headers.get('content-length') ?? NaN)
  const body = request.body
  if (!body) return { status: 'unreadable' }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  let tooLarge = Number.isFinite(declared) && declared > maxBytes
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) tooLarge = true
      if (tooLarge) {
        chunks.length = 0
        if (total > maxBytes * DRAIN_LIMIT_FACTOR) {
          await reader.cancel()
          break
        }
        continue
      }
      chunks.push(value)
    }
  } catch {
    return tooLarge ? { status: 'too-large' } : { status: 'unreadable' }
  }
  if (tooLarge) return { status: 'too-large' }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  try {
    const form = await new Response(bytes, { headers: { 'content-type': type } }).formData()
    return { status: 'read', form }
  } catch {
    return { status: 'unreadable' }
  }
}
