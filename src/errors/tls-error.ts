import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * The server's TLS certificate was refused (self-signed, expired, wrong host name, unknown CA).
 * Retrying cannot fix it: give the transport the right `tls.ca`, or fix the certificate.
 */
export class HmbTlsError extends HmbError {
  override readonly code = 'HMB_ERR_TLS' as const;

  /** Always `'HmbTlsError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbTlsError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
