/** ProtoMessage names the remote-write protobuf message a request carries. */
export type ProtoMessage = 'prometheus.WriteRequest' | 'io.prometheus.write.v2.Request';

const APP_PROTO = 'application/x-protobuf';
const SUPPORTED: readonly ProtoMessage[] = ['prometheus.WriteRequest', 'io.prometheus.write.v2.Request'];

/** ContentTypeError is a Content-Type or Content-Encoding the receiver refuses (415). */
export class ContentTypeError extends Error {
  override name = 'ContentTypeError';
}

/** parseContentType maps a Content-Type header to the protobuf message, as Prometheus's receiver does (absent: 1.0). */
export function parseContentType(header: string | undefined): ProtoMessage {
  if (header === undefined || header.trim() === '') return 'prometheus.WriteRequest';
  const contentType = header.trim();
  const parts = contentType.split(';');
  if (parts[0]!.trim().toLowerCase() !== APP_PROTO) {
    throw new ContentTypeError(`expected ${APP_PROTO} as the first (media) part, got ${contentType} content-type`);
  }
  for (const p of parts.slice(1)) {
    const pair = p.trim().split('=');
    if (pair.length !== 2) {
      throw new ContentTypeError(`as per https://www.rfc-editor.org/rfc/rfc9110#parameter expected parameters to be key-values, got ${p} in ${contentType} content-type`);
    }
    if (pair[0]!.trim().toLowerCase() === 'proto') {
      const msg = pair[1]!.trim().replace(/^"(.*)"$/, '$1');
      if (!(SUPPORTED as readonly string[]).includes(msg)) {
        throw new ContentTypeError(`got ${contentType} content type; unknown remote write protobuf message ${msg}, supported: ${SUPPORTED.join(', ')}`);
      }
      return msg as ProtoMessage;
    }
  }
  return 'prometheus.WriteRequest';
}

/** checkContentEncoding accepts snappy (block format) or no header (assumed snappy, as Prometheus does for 1.0 clients). */
export function checkContentEncoding(header: string | undefined): void {
  if (header === undefined || header === '') return;
  if (header.trim().toLowerCase() !== 'snappy') {
    throw new ContentTypeError(`${header} encoding (compression) is not accepted by this server; only snappy is acceptable`);
  }
}
